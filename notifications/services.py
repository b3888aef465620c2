from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from encompass.events import event_record
from encompass.queue import enqueue_on_commit
from incidents.match_services import child_return_to_review
from notifications import selectors
from notifications.channels import TextRule, channels_for
from notifications.escalation import Step, action_after, step_due
from notifications.export import ExportFile, export_render
from notifications.models import (
    LIVE,
    UNACKNOWLEDGED,
    DeliveryAttempt,
    Notification,
    NotificationKind,
    NotificationStatus,
    Purpose,
    SupportAction,
)
from notifications.statistics.maintenance import child_statistics_refresh, notification_statistics_refresh
from notifications.transports import texts_available
from schools.calendar import is_outside_term, next_school_day_start

SUPPORT_ALLOWED = LIVE
REJECT_ALLOWED = SUPPORT_ALLOWED
# notifications/tasks.py calls these services, so they name the task instead of importing it.
SEND_TASK = "notifications.tasks.send"


def notification_create(*, child, school, actor=None, kind: str = NotificationKind.INCIDENT) -> Notification:
    """The outbox: call inside the transaction that decided the match (or the transfer). The
    notification and its queued delivery attempts are rows of that transaction; sends are
    enqueued after it commits."""
    now = timezone.now()
    due_at = next_school_day_start(school, now)
    notification, created = Notification.objects.get_or_create(
        child=child,
        school=school,
        defaults={
            "kind": kind,
            "due_at": due_at,
            "created_at": now,
            "next_action_at": action_after(Step.ALERTED, due_at=due_at, now=now),
        },
    )
    if created:
        event_record(verb="notification.created", obj=notification, actor=actor, school=school.urn, kind=kind)
        delivery_plan(notification=notification, purpose=Purpose.ALERT, now=now)
        notification_statistics_refresh(notification_ids=[notification.pk])
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
    if locked.status not in UNACKNOWLEDGED:
        return locked
    locked.status = NotificationStatus.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = user
    locked.next_action_at = None
    locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "next_action_at"])
    event_record(verb="notification.acknowledged", obj=locked, actor=user, ip_address=ip_address)
    notification_statistics_refresh(notification_ids=[locked.pk])
    return locked


@transaction.atomic
def support_action_add(
    *,
    notification: Notification,
    user,
    given_on: date,
    kind: str,
    note: str,
    corrects: SupportAction | None = None,
) -> SupportAction:
    """Log support given to the child. A correction is a new entry pointing at the one it
    replaces; the original is kept as it was."""
    if notification.status not in SUPPORT_ALLOWED:
        raise ValidationError("Support can only be logged on a notification your school holds.")
    if corrects is not None:
        locked = SupportAction.objects.select_for_update().get(pk=corrects.pk)
        if locked.notification_id != notification.pk:
            raise ValidationError("That entry belongs to another notification.")
        if SupportAction.objects.filter(corrects=locked).exists():
            raise ValidationError("That entry has already been corrected.")
    action = SupportAction(
        notification=notification, given_on=given_on, kind=kind, note=note, created_by=user, corrects=corrects
    )
    action.full_clean()
    action.save()
    event_record(
        verb="support.corrected" if corrects else "support.logged",
        obj=notification,
        actor=user,
        support_action=action.pk,
        corrects=corrects.pk if corrects else None,
        kind=kind,
    )
    notification_statistics_refresh(notification_ids=[notification.pk])
    return action


@transaction.atomic
def notification_update_content(*, notification: Notification, actor=None, **ids) -> Notification:
    """The police amended what the school sees: the same notification is marked updated and
    the school's Key Adults get an 'update' alert (no personal data, as every alert), planned
    in this transaction like every send (the outbox)."""
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    if locked.status not in LIVE:
        return locked
    locked.content_updated_at = timezone.now()
    locked.update_count += 1
    locked.save(update_fields=["content_updated_at", "update_count"])
    event_record(verb="notification.updated", obj=locked, actor=actor, update=locked.update_count, **ids)
    delivery_plan(notification=locked, purpose=Purpose.UPDATE)
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
    notification_statistics_refresh(notification_ids=[locked.pk])
    return locked


@transaction.atomic
def notification_reject(
    *, notification: Notification, user, reason: str, note: str, ip_address: str | None
) -> Notification:
    """'Not our pupil': the school loses access at once and the child goes back to the police
    review queue, with the school's reason recorded for the reviewer."""
    locked = (
        Notification.objects.select_for_update(of=("self", "child"))
        .select_related("child", "school")
        .get(pk=notification.pk)
    )
    if locked.status not in REJECT_ALLOWED:
        raise ValidationError("This notification can no longer be returned to the police.")
    locked.status = NotificationStatus.REJECTED
    locked.next_action_at = None
    locked.save(update_fields=["status", "next_action_at"])
    event_record(
        verb="notification.rejected",
        obj=locked,
        actor=user,
        ip_address=ip_address,
        purpose="school says the child is not its pupil",
        school=locked.school_id,
        child=locked.child_id,
        reason=reason,
    )
    if locked.kind == NotificationKind.INCIDENT:
        # A transfer came from the census, not a match: the police have nothing to review.
        child_return_to_review(
            child=locked.child, school_urn=locked.school.urn, reason=reason, note=note, actor=user
        )
    notification_statistics_refresh(notification_ids=[locked.pk])
    child_statistics_refresh(child_ids=[locked.child_id])
    return locked


def notification_export(*, notification: Notification, user, fmt: str, ip_address: str | None) -> ExportFile:
    """The notification and its support log for the school's own child-protection file.
    The caller has checked a fresh second factor; the export is recorded."""
    export = export_render(notification=notification, user=user, fmt=fmt)
    event_record(
        verb="notification.exported",
        obj=notification,
        actor=user,
        ip_address=ip_address,
        purpose="school's child-protection file",
        format=fmt,
    )
    return export


# Delivery: who is told what, and when (README "Delivery and escalation").


def delivery_targets(notification: Notification, purpose: str, now: datetime) -> list[dict]:
    """The attempts one purpose needs, as DeliveryAttempt fields."""
    rule = TextRule.of(selectors.partnership_of(notification.school))
    texts = texts_available()
    key_adults = [
        {"recipient": key_adult.user, "channel": channel}
        for key_adult in selectors.key_adults_to_alert(notification)
        for channel in channels_for(
            alert_by=key_adult.alert_by,
            has_mobile=bool(key_adult.mobile),
            purpose=purpose,
            rule=rule,
            now=now,
            texts=texts,
        )
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
    now = now or timezone.now()
    targets = delivery_targets(notification, purpose, now)
    planned = []
    for target in targets:
        attempt, created = DeliveryAttempt.objects.get_or_create(
            notification=notification,
            purpose=purpose,
            round=notification.update_count if purpose == Purpose.UPDATE else 0,
            **target,
            defaults={"started_at": now},
        )
        if created:
            enqueue_on_commit(SEND_TASK, attempt.pk)
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
    notification_statistics_refresh(notification_ids=[notification.pk])


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
    notification_statistics_refresh(notification_ids=[notification.pk])
    return step


@transaction.atomic
def notifications_escalate_due(*, now: datetime, limit: int = 200) -> int:
    """Take every escalation step that has come, each notification under its row lock; rows
    another sweeper holds are skipped, not waited for."""
    due = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("school__local_authority__partnership")
        .filter(
            status__in=UNACKNOWLEDGED,
            next_action_at__lte=now,
        )
        .order_by("next_action_at")[:limit]
    )
    return len([notification_escalate(notification=n, now=now) for n in due])
