from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from encompass.models import Role
from notifications.models import Notification, NotificationStatus
from schools.selectors import schools_for_key_adult

VISIBLE_TO_SCHOOL = [
    NotificationStatus.PENDING,
    NotificationStatus.DELIVERED,
    NotificationStatus.ACKNOWLEDGED,
    NotificationStatus.WITHDRAWN,
]


def notifications_for_key_adult(user) -> QuerySet[Notification]:
    """A Key Adult sees the notifications of their own schools only; 'not our pupil' ones
    leave their view at once."""
    return Notification.objects.filter(
        school__in=schools_for_key_adult(user), status__in=VISIBLE_TO_SCHOOL
    ).select_related("school", "child__incident")


def notification_get_for_key_adult(user, pk: int) -> Notification:
    if not user.is_key_adult:
        from django.http import Http404

        raise Http404
    return get_object_or_404(notifications_for_key_adult(user), pk=pk)


# Delivery: who is told, and what the operations page shows.


def key_adult_recipients(notification: Notification):
    """Active Key Adults of the school, including any whose last send failed: a failure is
    shown to the coordinator but never silently stops alerts."""
    return [
        ka.user
        for ka in notification.school.key_adults.filter(is_active=True, user__is_active=True).select_related(
            "user"
        )
    ]


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


def notifications_overdue(schools: QuerySet, now) -> QuerySet[Notification]:
    """Past their due time and still unacknowledged, oldest first."""
    return (
        Notification.objects.filter(
            school__in=schools,
            status__in=[NotificationStatus.PENDING, NotificationStatus.DELIVERED],
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
