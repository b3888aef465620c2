"""Reads for the Key Adult's pages. Every read is scoped to the user's own schools; a record
outside that scope is a 404, so its existence does not leak."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.timezone import localtime

from encompass.models import Event, Role
from notifications.models import LIVE, UNACKNOWLEDGED, Notification, NotificationStatus, SupportAction
from schools.models import School, SharingLevel
from schools.selectors import schools_for_key_adult

VISIBLE_TO_SCHOOL = [
    NotificationStatus.PENDING,
    NotificationStatus.DELIVERED,
    NotificationStatus.ACKNOWLEDGED,
    NotificationStatus.WITHDRAWN,
]

# The inbox's status filters: name -> statuses shown.
INBOX_FILTERS = {
    "all": VISIBLE_TO_SCHOOL,
    "new": UNACKNOWLEDGED,
    "acknowledged": [NotificationStatus.ACKNOWLEDGED],
    "withdrawn": [NotificationStatus.WITHDRAWN],
}


def notifications_for_key_adult(user) -> QuerySet[Notification]:
    """A Key Adult sees the notifications of their own schools only; 'not our pupil' ones
    leave their view at once."""
    return Notification.objects.filter(
        school__in=schools_for_key_adult(user), status__in=VISIBLE_TO_SCHOOL
    ).select_related("school", "child__incident")


def notification_get_for_key_adult(user, pk: int) -> Notification:
    if not user.is_key_adult:
        raise Http404
    return get_object_or_404(
        notifications_for_key_adult(user).select_related(
            "school__local_authority__partnership", "child__incident", "acknowledged_by"
        ),
        pk=pk,
    )


def schools_of_key_adult(user) -> list[School]:
    if not user.is_key_adult:
        raise Http404
    return list(schools_for_key_adult(user).order_by("name"))


def school_pick(schools: list[School], pk: int | None) -> School:
    """The school the Key Adult is working in: the one asked for if it is theirs, else their
    first. A Key Adult with no active membership has no inbox."""
    if not schools:
        raise Http404
    return next((school for school in schools if school.pk == pk), schools[0])


def inbox_notifications(*, school: School, status: str = "all", search: str = "") -> QuerySet[Notification]:
    """Unacknowledged first, then by the incident's time, newest first within each group (a
    late-filed incident sits with its own date, not at the top). The search matches any word of
    the child's names; withdrawn notifications never match, since their content is gone."""
    notifications = (
        Notification.objects.filter(school=school, status__in=INBOX_FILTERS.get(status, VISIBLE_TO_SCHOOL))
        .select_related("child__incident")
        .annotate(
            rank=Case(
                When(status__in=UNACKNOWLEDGED, then=Value(0)),
                When(status=NotificationStatus.ACKNOWLEDGED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("rank", "-child__incident__occurred_at", "-created_at", "-pk")
    )
    for word in search.split():
        notifications = notifications.filter(
            Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word)
        ).exclude(status=NotificationStatus.WITHDRAWN)
    return notifications


def inbox_counts(*, school: School) -> dict[str, int]:
    """How many notifications each status filter shows, in one query."""
    counts = Notification.objects.filter(school=school).aggregate(
        **{name: Count("pk", filter=Q(status__in=statuses)) for name, statuses in INBOX_FILTERS.items()}
    )
    return counts


# Views by one person closer together than this are one visit (a reload, the page again
# after acknowledging or logging support): the idle sign-out time.
VISIT_GAP = timedelta(seconds=settings.SESSION_COOKIE_AGE)


def notification_viewers(notification: Notification) -> list[dict]:
    """Who has viewed the notification: each person once, with their first and latest view
    and how many visits that was. Every view stays in the access record."""
    views = Event.objects.filter(
        verb="notification.viewed",
        object_type=notification._meta.label_lower,
        object_id=str(notification.pk),
    ).order_by("at")
    viewers: dict = {}
    for actor_id, name, at in views.values_list("actor_id", "actor__full_name", "at"):
        viewer = viewers.setdefault(actor_id, {"actor__full_name": name, "first": at, "visits": 0})
        if viewer["visits"] == 0 or at - viewer["latest"] > VISIT_GAP:
            viewer["visits"] += 1
        viewer["latest"] = at
    return sorted(viewers.values(), key=lambda viewer: viewer["latest"], reverse=True)


def notification_chronology(notification: Notification) -> QuerySet[Notification]:
    """The same pupil's (or register entry's) other notifications at this school or team,
    latest incident first."""
    child = notification.child
    if child.pupil_id is not None:
        same_child = Q(child__pupil_id=child.pupil_id)
    elif child.registered_child_id is not None:
        same_child = Q(child__registered_child_id=child.registered_child_id)
    else:
        return Notification.objects.none()
    return (
        Notification.objects.filter(
            same_child, school_id=notification.school_id, status__in=VISIBLE_TO_SCHOOL
        )
        .exclude(pk=notification.pk)
        .select_related("child__incident")
        .order_by("-child__incident__occurred_at")
    )


def notification_siblings(notification: Notification) -> QuerySet[Notification]:
    """Other children of the same incident notified to this school."""
    return (
        Notification.objects.filter(
            school_id=notification.school_id,
            child__incident_id=notification.child.incident_id,
            status__in=VISIBLE_TO_SCHOOL,
        )
        .exclude(pk=notification.pk)
        .select_related("child")
        .order_by("child__first_name")
    )


@dataclass
class SupportEntry:
    """A support log entry as it stands now, with the earlier versions it replaced."""

    action: SupportAction
    history: list[SupportAction] = field(default_factory=list)


def support_log(notification: Notification) -> list[SupportEntry]:
    actions = list(notification.support_actions.select_related("created_by"))
    by_pk = {a.pk: a for a in actions}
    replaced = {a.corrects_id for a in actions if a.corrects_id}
    entries = []
    for action in actions:
        if action.pk in replaced:
            continue
        entry, earlier = SupportEntry(action), action.corrects_id
        while earlier:
            entry.history.append(by_pk[earlier])
            earlier = by_pk[earlier].corrects_id
        entries.append(entry)
    return entries


def support_action_get(notification: Notification, pk: int) -> SupportAction:
    """An entry of this notification's log that has not been corrected yet."""
    return get_object_or_404(notification.support_actions.filter(corrected_by__isnull=True), pk=pk)


# Delivery: who is told, and what the operations page shows.


def key_adults_to_alert(notification: Notification):
    """Active Key Adults of the school, including any whose last send failed: a failure is
    shown to the coordinator but never silently stops alerts."""
    return list(
        notification.school.key_adults.filter(is_active=True, user__is_active=True).select_related("user")
    )


def webhook_endpoints_for(notification: Notification):
    return list(notification.school.webhook_endpoints.filter(is_active=True))


def partnership_of(school):
    la = school.local_authority
    return la.partnership if la is not None else None


def coordinators_for(notification: Notification):
    partnership = partnership_of(notification.school)
    if partnership is None:
        return []
    return list(partnership.users.filter(role=Role.COORDINATOR, is_active=True))


# The operations page (administrators see everything, coordinators their partnership's schools).

OPEN_ATTEMPTS = ["queued", "sending", "retrying"]


def operations_schools(user) -> QuerySet:
    from django.http import Http404

    from schools.models import School

    if user.role == Role.ADMIN or user.is_superuser:
        return School.objects.all()
    if user.role == Role.COORDINATOR and user.partnership_id:
        return School.objects.filter(local_authority__partnership_id=user.partnership_id)
    raise Http404


def schools_without_reachable_key_adult(schools: QuerySet) -> QuerySet:
    """Participating schools where no alert can reach anyone: no active Key Adult, or every
    active one's last alert failed permanently. Flagged before an incident happens."""
    from django.db.models import Count, Q

    return (
        schools.filter(participating=True)
        .annotate(
            reachable=Count(
                "key_adults",
                filter=Q(
                    key_adults__is_active=True,
                    key_adults__user__is_active=True,
                    key_adults__delivery_failed_at__isnull=True,
                ),
            ),
            active=Count(
                "key_adults", filter=Q(key_adults__is_active=True, key_adults__user__is_active=True)
            ),
        )
        .filter(reachable=0)
        .order_by("name")
    )


def key_adults_with_failed_delivery(schools: QuerySet) -> QuerySet:
    from schools.models import KeyAdult

    return (
        KeyAdult.objects.filter(school__in=schools, delivery_failed_at__isnull=False)
        .select_related("user", "school")
        .order_by("-delivery_failed_at")
    )


def attempts_for_operations(schools: QuerySet):
    from notifications.models import DeliveryAttempt

    attempts = DeliveryAttempt.objects.filter(notification__school__in=schools)
    return {
        "open": attempts.filter(status__in=OPEN_ATTEMPTS).count(),
        "retrying": attempts.filter(status="retrying").count(),
        "failed": attempts.filter(status="failed")
        .select_related("notification__school", "recipient", "endpoint")
        .order_by("-finished_at")[:50],
    }


def receipts_recent(schools: QuerySet, limit: int = 20):
    """The latest delivery receipts from GOV.UK Notify."""
    from notifications.models import DeliveryAttempt

    return (
        DeliveryAttempt.objects.filter(notification__school__in=schools, receipt_at__isnull=False)
        .select_related("notification__school", "recipient")
        .order_by("-receipt_at")[:limit]
    )


def alert_backend() -> dict:
    """Which service carries alerts, for the operations page."""
    from django.conf import settings

    if settings.ALERT_BACKEND == "notify":
        receipts = (
            "by callback"
            if settings.NOTIFY_CALLBACK_TOKEN
            else f"polled every {settings.NOTIFY_POLL_EVERY:g} s"
        )
        return {"name": "GOV.UK Notify", "channels": "e-mail and text messages", "receipts": receipts}
    return {"name": "SMTP", "channels": "e-mail only: text messages need GOV.UK Notify", "receipts": ""}


def notifications_overdue(schools: QuerySet, now) -> QuerySet[Notification]:
    """Past their due time and still unacknowledged, oldest first."""
    return (
        Notification.objects.filter(
            school__in=schools,
            status__in=UNACKNOWLEDGED,
            due_at__lt=now,
        )
        .select_related("school")
        .order_by("due_at")
    )


def queue_depth(queue: str = "celery") -> int | None:
    """Messages waiting in the broker, or None when the broker does not answer."""
    from encompass.celery import app

    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # Declaring is idempotent and what every worker does; a passive declare fails on an
            # empty Redis, where the queue does not exist yet.
            return conn.default_channel.queue_declare(
                queue=queue, durable=True, auto_delete=False
            ).message_count
    except Exception:  # noqa: BLE001 (a broker that is down shows as "not answering")
        return None


def _when(moment) -> str:
    return date_format(localtime(moment), "l j F Y, H:i") if moment else ""


def notification_shared_fields(notification: Notification) -> list[tuple[str, str]]:
    """What the school may know, as (label, value) rows: the partnership's sharing level
    decides (design.md). Perpetrator details are never shared; a withdrawn notification
    shares nothing."""
    if notification.is_withdrawn:
        return []
    partnership = notification.school.local_authority.partnership
    return shared_fields_at(
        notification, full=partnership is not None and partnership.sharing_level == SharingLevel.FULL
    )


def shared_fields_at(notification: Notification, *, full: bool) -> list[tuple[str, str]]:
    """The notification's fields at a sharing level: minimal, or full."""
    child, incident = notification.child, notification.child.incident
    rows = [
        ("Name", f"{child.first_name} {child.last_name}"),
        ("Date of birth", date_format(child.dob, "j F Y") if child.dob else "Not known"),
        ("Date and time of the incident", _when(incident.occurred_at)),
        ("Child present", "Yes" if child.present else "No"),
        ("Welfare check made", "Yes" if incident.welfare_check else "No"),
    ]
    if full:
        location = ", ".join(
            part
            for part in (incident.address_line1, incident.address_line2, incident.town, incident.postcode)
            if part
        )
        rows += [
            ("Police reference", incident.reference),
            ("Location", location or "Not given"),
            ("Voice of the child", incident.voice_of_child or "Not recorded"),
            ("Brief circumstances", incident.circumstances or "Not given"),
        ]
    return rows


def forces_routing_nobody(user) -> list:
    """For the service's administrators: forces whose children with no area would reach no
    coordinator (no partnership named for them), with how many such children wait now."""
    from incidents.models import Force, IncidentStatus, MatchDecision

    if not (user.role == Role.ADMIN or user.is_superuser):
        return []
    waiting = dict(
        MatchDecision.objects.unrouted()
        .filter(child__incident__status=IncidentStatus.SUBMITTED)
        .order_by()
        .values("child__incident__force")
        .annotate(n=Count("child", distinct=True))
        .values_list("child__incident__force", "n")
    )
    forces = list(Force.objects.filter(unplaced_partnership__isnull=True).order_by("name"))
    for force in forces:
        force.waiting = waiting.get(force.pk, 0)
    return forces


def notifications_live_for(children) -> list[Notification]:
    """The notifications of these children that a school still holds."""
    return list(Notification.objects.filter(child__in=children, status__in=LIVE))
