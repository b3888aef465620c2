from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from encompass.events import event_record
from encompass.queue import enqueue_on_commit
from notifications import selectors
from notifications.escalation import Step, action_after, is_outside_term, step_due
from notifications.models import DeliveryAttempt, Notification, NotificationStatus, Purpose, SupportAction
from schools.calendar import next_school_day_start


def notification_create(*, child, school, actor=None) -> Notification:
    """The outbox: call inside the transaction that decided the match. The notification and its
    queued delivery attempts are rows of that transaction; sends are enqueued after it commits."""
    now = timezone.now()
    due_at = next_school_day_start(school, now)
    notification, created = Notification.objects.get_or_create(
        child=child,
        school=school,
        defaults={
            "due_at": due_at,
            "created_at": now,
            "next_action_at": action_after(Step.ALERTED, due_at=due_at, now=now),
        },
    )
    if created:
        event_record(verb="notification.created", obj=notification, actor=actor, school=school.urn)
        delivery_plan(notification=notification, purpose=Purpose.ALERT, now=now)
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


# Delivery: who is told what, and when (README "Delivery and escalation").


def delivery_targets(notification: Notification, purpose: str, now: datetime) -> list[dict]:
    """The attempts one purpose needs, as DeliveryAttempt fields."""
    key_adults = [
        {"recipient": user, "channel": "email"} for user in selectors.key_adult_recipients(notification)
    ]
    webhooks = [{"endpoint": e, "channel": "webhook"} for e in selectors.webhook_endpoints_for(notification)]
    if purpose == Purpose.REMINDER:
        return key_adults
    if purpose == Purpose.UPDATE:
        return key_adults + webhooks
    cover = _holiday_cover(notification, now)
    if purpose == Purpose.ESCALATION:
        coordinators = [
            {"recipient": u, "channel": "email"} for u in selectors.coordinators_for(notification)
        ]
        return coordinators + cover
    return key_adults + webhooks + cover


def _holiday_cover(notification: Notification, now: datetime) -> list[dict]:
    partnership = selectors.partnership_of(notification.school)
    if partnership is None or not partnership.holiday_cover_email:
        return []
    if not is_outside_term(notification.school, now):
        return []
    return [{"address": partnership.holiday_cover_email, "channel": "email"}]


def delivery_plan(
    *, notification: Notification, purpose: str, now: datetime | None = None
) -> list[DeliveryAttempt]:
    """Write one queued attempt per target (idempotent: the unique constraints key them) and send
    each after commit. A school with no active Key Adult escalates at once."""
    from notifications.tasks import send

    now = now or timezone.now()
    targets = delivery_targets(notification, purpose, now)
    planned = []
    for target in targets:
        attempt, created = DeliveryAttempt.objects.get_or_create(
            notification=notification, purpose=purpose, **target, defaults={"started_at": now}
        )
        if created:
            enqueue_on_commit(send, attempt.pk)
            planned.append(attempt)
    if purpose == Purpose.ALERT and notification.escalation_step < Step.REMINDED:
        if not any("recipient" in t for t in targets):
            _no_key_adult(notification, now)
    if purpose == Purpose.ESCALATION and not targets:
        event_record(verb="escalation.no_coordinator", obj=notification, school=notification.school.urn)
    return planned


def _no_key_adult(notification: Notification, now: datetime) -> None:
    event_record(verb="delivery.no_recipient", obj=notification, school=notification.school.urn)
    notification.escalation_step = Step.REMINDED
    notification.next_action_at = now
    notification.save(update_fields=["escalation_step", "next_action_at"])


ESCALATION_PURPOSE = {Step.REMINDED: Purpose.REMINDER, Step.ESCALATED: Purpose.ESCALATION}


def notification_escalate(*, notification: Notification, now: datetime) -> Step | None:
    """Take the policy's next step for a notification whose `next_action_at` has come. The
    caller holds the row lock and has checked it is still unacknowledged."""
    step = step_due(notification.escalation_step, due_at=notification.due_at, now=now)
    if step is not None:
        if step in ESCALATION_PURPOSE:
            delivery_plan(notification=notification, purpose=ESCALATION_PURPOSE[step], now=now)
        notification.escalation_step = step
        event_record(verb=f"escalation.{step.name.lower()}", obj=notification, step=int(step))
    last = Step(notification.escalation_step)
    notification.next_action_at = action_after(last, due_at=notification.due_at, now=now)
    notification.save(update_fields=["escalation_step", "next_action_at"])
    return step


@transaction.atomic
def notifications_escalate_due(*, now: datetime, limit: int = 200) -> int:
    """Take every escalation step that has come, each notification under its row lock; rows
    another sweeper holds are skipped, not waited for."""
    due = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("school__local_authority__partnership")
        .filter(
            status__in=[NotificationStatus.PENDING, NotificationStatus.DELIVERED],
            next_action_at__lte=now,
        )
        .order_by("next_action_at")[:limit]
    )
    return len([notification_escalate(notification=n, now=now) for n in due])
