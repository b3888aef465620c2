"""Delivery tasks. They take ids only, lock the notification before each send and re-check
that the send is still wanted; an attempt row per (notification, recipient, purpose) makes a
task that runs twice send once."""

import logging
import random
import time

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from encompass.events import event_record
from notifications.models import AttemptStatus, DeliveryAttempt, Notification, NotificationStatus, Purpose
from notifications.selectors import key_adult_recipients
from notifications.transports import TransportError, transport_for
from notifications.transports.base import Alert
from notifications.transports.email import sign_in_link

logger = logging.getLogger(__name__)

MAX_TRIES = 6
STILL_WANTED = {
    Purpose.ALERT: (NotificationStatus.PENDING, NotificationStatus.DELIVERED),
    Purpose.UPDATE: (
        NotificationStatus.PENDING,
        NotificationStatus.DELIVERED,
        NotificationStatus.ACKNOWLEDGED,
    ),
    Purpose.REMINDER: (NotificationStatus.PENDING, NotificationStatus.DELIVERED),
    Purpose.ESCALATION: (NotificationStatus.PENDING, NotificationStatus.DELIVERED),
}


@shared_task(acks_late=True)
def deliver(notification_id: int, purpose: str) -> None:
    notification = Notification.objects.select_related("school").get(pk=notification_id)
    recipients = key_adult_recipients(notification)
    if not recipients:
        event_record(verb="delivery.no_recipient", obj=notification, school=notification.school.urn)
        logger.error("notification %s: school has no active Key Adult", notification_id)
        return
    for user in recipients:
        send.apply_async(args=(notification_id, user.pk, purpose))


def _backoff(tries: int) -> float:
    # Exponential with full jitter, capped at a minute: no long-delayed tasks.
    return random.uniform(0, min(60, 2**tries))


@shared_task(bind=True, acks_late=True, max_retries=MAX_TRIES)
def send(self, notification_id: int, recipient_id: int, purpose: str, channel: str = "email") -> None:
    attempt = attempt_claim(notification_id, recipient_id, purpose, channel)
    if attempt is None:
        return
    started = time.monotonic()
    try:
        transport_for(channel).notify(alert_for(attempt))
    except TransportError as exc:
        attempt_fail(attempt, exc, started)
        if not exc.permanent and attempt.tries < MAX_TRIES:
            raise self.retry(countdown=_backoff(attempt.tries), exc=exc)
        return
    attempt_succeed(attempt, started)


def attempt_claim(notification_id, recipient_id, purpose, channel) -> DeliveryAttempt | None:
    """Lock the notification, check the send is still wanted and not done, and mark the
    attempt 'sending' (committed before the transport is called)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        attempt, created = DeliveryAttempt.objects.select_for_update().get_or_create(
            notification=notification, recipient_id=recipient_id, purpose=purpose, channel=channel
        )
        if not created and attempt.status in (
            AttemptStatus.SENT,
            AttemptStatus.FAILED,
            AttemptStatus.SKIPPED,
        ):
            return None
        if not created and attempt.status == AttemptStatus.SENDING and attempt.tries and not _stale(attempt):
            return None  # another worker is sending it right now
        if notification.status not in STILL_WANTED[purpose]:
            attempt.status = AttemptStatus.SKIPPED
            attempt.finished_at = timezone.now()
            attempt.save(update_fields=["status", "finished_at"])
            return None
        attempt.status = AttemptStatus.SENDING
        attempt.tries += 1
        attempt.started_at = timezone.now()
        attempt.save(update_fields=["status", "tries", "started_at"])
        return attempt


def _stale(attempt: DeliveryAttempt) -> bool:
    return attempt.started_at < timezone.now() - settings.DELIVERY_SWEEP_AFTER


def alert_for(attempt: DeliveryAttempt) -> Alert:
    notification = Notification.objects.select_related("school").get(pk=attempt.notification_id)
    recipient = get_user_model().objects.get(pk=attempt.recipient_id)
    return Alert(
        attempt_id=attempt.pk,
        notification_id=notification.pk,
        purpose=attempt.purpose,
        school_name=notification.school.name,
        address=recipient.email,
        link=sign_in_link(),
    )


def _finish(attempt: DeliveryAttempt, status: str, error: str, started: float) -> None:
    attempt.status = status
    attempt.error = error[:500]
    attempt.finished_at = timezone.now()
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.save(update_fields=["status", "error", "finished_at", "duration_ms"])


def attempt_succeed(attempt: DeliveryAttempt, started: float) -> None:
    with transaction.atomic():
        _finish(attempt, AttemptStatus.SENT, "", started)
        notification = Notification.objects.select_for_update().get(pk=attempt.notification_id)
        if attempt.purpose == Purpose.ALERT and notification.delivered_at is None:
            notification.delivered_at = attempt.finished_at
            if notification.status == NotificationStatus.PENDING:
                notification.status = NotificationStatus.DELIVERED
            notification.save(update_fields=["delivered_at", "status"])
            event_record(verb="notification.delivered", obj=notification, attempt=attempt.pk)


def attempt_fail(attempt: DeliveryAttempt, exc: TransportError, started: float) -> None:
    final = exc.permanent or attempt.tries >= MAX_TRIES
    _finish(attempt, AttemptStatus.FAILED if final else AttemptStatus.RETRYING, exc.message, started)
    logger.warning("attempt %s failed (%s, permanent=%s)", attempt.pk, exc.message, exc.permanent)
    if final:
        event_record(
            verb="delivery.failed", obj=attempt.notification, attempt=attempt.pk, error=exc.message[:200]
        )


@shared_task
def sweep() -> None:
    """Re-enqueue what the broker or a worker lost: notifications with no alert sent, and
    attempts left 'sending' or 'retrying' for too long."""
    cutoff = timezone.now() - settings.DELIVERY_SWEEP_AFTER
    sent = DeliveryAttempt.objects.filter(
        notification=OuterRef("pk"),
        purpose=Purpose.ALERT,
        status__in=[AttemptStatus.SENT, AttemptStatus.FAILED],
    )
    for pk in (
        Notification.objects.filter(status=NotificationStatus.PENDING, created_at__lt=cutoff)
        .filter(~Exists(sent))
        .values_list("pk", flat=True)[:500]
    ):
        deliver.apply_async(args=(pk, Purpose.ALERT))
    stuck = DeliveryAttempt.objects.filter(
        status__in=[AttemptStatus.SENDING, AttemptStatus.RETRYING],
        started_at__lt=cutoff,
        tries__lt=MAX_TRIES * 3,
    )
    for a in stuck.values("notification_id", "recipient_id", "purpose", "channel")[:500]:
        send.apply_async(args=(a["notification_id"], a["recipient_id"], a["purpose"], a["channel"]))


@shared_task
def statistics_rebuild():
    """Nightly: rebuild the partnership statistics table, catching any bulk update that
    bypassed the signals (notifications/statistics/maintenance.py)."""
    from notifications.statistics.maintenance import notification_statistics_rebuild

    notification_statistics_rebuild()
