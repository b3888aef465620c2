from datetime import date

from django.db import transaction
from django.utils import timezone

from encompass.events import event_record
from encompass.queue import enqueue_on_commit
from notifications.models import Notification, NotificationStatus, SupportAction
from schools.calendar import next_school_day_start


def notification_create(*, child, school, actor=None) -> Notification:
    """The outbox: call inside the transaction that decided the match. Delivery is enqueued
    only after that transaction commits."""
    from notifications.tasks import deliver

    now = timezone.now()
    notification, created = Notification.objects.get_or_create(
        child=child,
        school=school,
        defaults={"due_at": next_school_day_start(school, now), "created_at": now},
    )
    if created:
        event_record(verb="notification.created", obj=notification, actor=actor, school=school.urn)
        enqueue_on_commit(deliver, notification.pk, "alert")
    return notification


def notification_view(*, notification: Notification, user, ip_address: str | None) -> None:
    event_record(
        verb="notification.viewed",
        obj=notification,
        actor=user,
        ip_address=ip_address,
        purpose="safeguarding: Key Adult reads the notification",
    )


@transaction.atomic
def notification_acknowledge(*, notification: Notification, user, ip_address: str | None) -> Notification:
    """One action, safe to repeat: a second acknowledgement changes nothing."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status not in (NotificationStatus.PENDING, NotificationStatus.DELIVERED):
        return locked
    locked.status = NotificationStatus.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = user
    locked.next_action_at = None
    locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "next_action_at"])
    event_record(verb="notification.acknowledged", obj=locked, actor=user, ip_address=ip_address)
    return locked


@transaction.atomic
def support_action_add(
    *, notification: Notification, user, given_on: date, kind: str, note: str, corrects=None
) -> SupportAction:
    action = SupportAction(
        notification=notification, given_on=given_on, kind=kind, note=note, created_by=user, corrects=corrects
    )
    action.full_clean()
    action.save()
    event_record(verb="support.logged", obj=notification, actor=user, support_action=action.pk, kind=kind)
    return action


LIVE = (NotificationStatus.PENDING, NotificationStatus.DELIVERED, NotificationStatus.ACKNOWLEDGED)


@transaction.atomic
def notification_update_content(*, notification: Notification, actor=None, **ids) -> Notification:
    """The police amended what the school sees: the same notification is marked updated and
    the school's Key Adults get an 'update' alert (no personal data, as every alert)."""
    from notifications.tasks import deliver

    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status not in LIVE:
        return locked
    locked.content_updated_at = timezone.now()
    locked.save(update_fields=["content_updated_at"])
    event_record(verb="notification.updated", obj=locked, actor=actor, **ids)
    enqueue_on_commit(deliver, locked.pk, "update")
    return locked


@transaction.atomic
def notification_withdraw(*, notification: Notification, reason: str, actor=None, **ids) -> Notification:
    """The police withdrew it: the school sees 'withdrawn' and no content; no reminder or
    escalation follows. Safe to repeat."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status == NotificationStatus.WITHDRAWN:
        return locked
    locked.status = NotificationStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.next_action_at = None
    locked.save(update_fields=["status", "withdrawn_at", "next_action_at"])
    event_record(verb="notification.withdrawn", obj=locked, actor=actor, reason=reason, **ids)
    return locked
