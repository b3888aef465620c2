"""Reading incidents for the police: their own force only, and how far each child's
notification has got. Never the school's support log."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min, QuerySet
from django.shortcuts import get_object_or_404

from encompass.models import Event
from incidents.models import Force, Incident, IncidentChild, MatchStatus
from notifications.models import Notification, NotificationStatus


def incidents_for_force(force: Force | None) -> QuerySet[Incident]:
    return Incident.objects.filter(force=force)


def incident_get_for_force(*, force: Force, reference: str) -> Incident:
    return get_object_or_404(incidents_for_force(force), reference=reference)


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
            )
        )
    return rows


def force_find(name_or_code: str) -> Force | None:
    return (
        Force.objects.filter(name__iexact=name_or_code).first()
        or Force.objects.filter(code__iexact=name_or_code).first()
    )
