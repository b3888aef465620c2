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
