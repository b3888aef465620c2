"""Reading for the police what their records became in the schools: how far each child's
notification has got (never the school's support log), and the record of access to the
force's data."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, Min, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from encompass.london import LONDON
from encompass.models import Event
from incidents.models import Incident, IncidentChild, MatchDecision, MatchStatus
from notifications.models import Notification, NotificationStatus


def _ids(queryset) -> QuerySet:
    return queryset.annotate(id_text=Cast("pk", CharField())).values("id_text")


def events_for_force(*, force, start: date, end: date) -> QuerySet[Event]:
    """The record of access to one force's data (incidents, their children and the schools'
    notifications), from the start of `start` to the end of `end`, London time."""
    incidents = Incident.objects.filter(force=force)
    children = IncidentChild.objects.filter(incident__force=force)
    notifications = Notification.objects.filter(child__incident__force=force)
    scope = (
        Q(object_type="incidents.incident", object_id__in=_ids(incidents))
        | Q(object_type="incidents.incidentchild", object_id__in=_ids(children))
        | Q(object_type="notifications.notification", object_id__in=_ids(notifications))
    )
    since = datetime.combine(start, time.min, tzinfo=LONDON)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=LONDON)
    return (
        Event.objects.filter(scope, at__gte=since, at__lt=until).select_related("actor").order_by("at", "pk")
    )


@dataclass
class ChildProgress:
    child: IncidentChild
    match_status: str
    match_label: str
    school_name: str
    notification_status: str
    notification_label: str
    delivered_at: datetime | None = None
    viewed_at: datetime | None = None
    acknowledged_at: datetime | None = None
    updated_at: datetime | None = None
    withdrawn_at: datetime | None = None
    # A coordinator passed the child on (to whom, how, when, which partnership), or None.
    passed_on: dict | None = None

    @property
    def passed_on_words(self) -> str:
        if not self.passed_on:
            return ""
        on = timezone.localtime(self.passed_on["at"]).strftime("%d %b %Y %H:%M")
        passed = self.passed_on
        return f"passed on by {passed['by']} to {passed['to']} ({passed['how_label']}), {on}"


def _label(notification: Notification | None, viewed_at) -> tuple[str, str]:
    """The furthest step reached: not sent, waiting, delivered, viewed, acknowledged (or
    withdrawn, or 'not our pupil')."""
    if notification is None:
        return "none", "No notification"
    if notification.status == NotificationStatus.DELIVERED and viewed_at:
        return "viewed", "Viewed"
    return notification.status, notification.get_status_display()


def child_progress(incident: Incident) -> list[ChildProgress]:
    children = list(incident.children.select_related("school").order_by("pk"))
    notifications = {
        n.child_id: n
        for n in Notification.objects.filter(child__in=children)
        .select_related("school")
        .order_by("created_at")
    }
    viewed = dict(
        Event.objects.filter(
            verb="notification.viewed",
            object_type=Notification._meta.label_lower,
            object_id__in=[str(n.pk) for n in notifications.values()],
        )
        .order_by()
        .values_list("object_id")
        .annotate(first=Min("at"))
    )
    passed = _passed_on(children)
    rows = []
    for child in children:
        n = notifications.get(child.pk)
        viewed_at = viewed.get(str(n.pk)) if n else None
        status, label = _label(n, viewed_at)
        rows.append(
            ChildProgress(
                child=child,
                match_status=child.match_status,
                match_label=MatchStatus(child.match_status).label,
                school_name=(n.school.name if n else child.school.name if child.school else ""),
                notification_status=status,
                notification_label=label,
                delivered_at=n.delivered_at if n else None,
                viewed_at=viewed_at,
                acknowledged_at=n.acknowledged_at if n else None,
                updated_at=n.content_updated_at if n else None,
                withdrawn_at=n.withdrawn_at if n else None,
                passed_on=passed.get(child.pk),
            )
        )
    return rows


def _passed_on(children) -> dict[int, dict]:
    """The children a coordinator passed on, by child id: one query."""
    decisions = (
        MatchDecision.objects.filter(child__in=children, is_current=True)
        .exclude(passed_to="")
        .select_related("routed_to")
    )
    return {
        d.child_id: {
            "to": d.passed_to,
            "how": d.passed_how,
            "how_label": d.get_passed_how_display().lower(),
            "at": d.handled_at,
            "by": d.routed_to.name if d.routed_to else "",
        }
        for d in decisions
    }
