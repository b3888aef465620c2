"""Delivery tasks: thin, ids only in their arguments, never logging anything but ids.

`send(attempt_id)` sends one queued attempt (see notifications/delivery.py for the claim under
the notification's row lock). `sweep` re-enqueues attempts the broker or a dead worker lost;
`escalate` takes the escalation policy's due steps. Beat runs both every
DELIVERY_SWEEP_EVERY seconds; nothing waits in a long-delayed task."""

import logging
import random
import time
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from encompass.tasks import heartbeat
from notifications import receipts, services, transfers
from notifications.delivery import alert_for, attempt_claim, attempt_fail, attempt_succeed, send_timeout
from notifications.models import AttemptStatus, DeliveryAttempt, Notification
from notifications.retention import retention_apply
from notifications.statistics import maintenance
from notifications.transports import TransportError, transport_for

logger = logging.getLogger(__name__)

BATCH = 1000
MAX_BACKOFF = 60


def backoff(tries: int) -> float:
    """Exponential with full jitter, capped at a minute: no long-delayed tasks."""
    return random.uniform(0.5, min(MAX_BACKOFF, 2**tries))


@shared_task(bind=True, acks_late=True, max_retries=None)
def send(self, attempt_id: int) -> None:
    attempt = attempt_claim(attempt_id)
    if attempt is None:
        return
    started = time.monotonic()
    try:
        provider_id = transport_for(attempt.channel).notify(alert_for(attempt))
    except TransportError as exc:
        if not attempt_fail(attempt, exc, started):
            raise self.retry(countdown=backoff(attempt.tries), exc=exc)
        return
    attempt.provider_id = provider_id or ""
    _recorded_despite_database_blips(attempt_succeed, attempt, started)


def _recorded_despite_database_blips(record, *args, wait: float = 30.0) -> None:
    """The message is out: recording that must survive a database restart, or the sweeper
    would later find the attempt 'sending' and send it again."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return record(*args)
        except (OperationalError, InterfaceError):
            if time.monotonic() > deadline:
                raise
            logger.warning("database unavailable while recording a sent attempt; trying again")
            if not connection.in_atomic_block:
                connection.close()
            time.sleep(1)


@shared_task(acks_late=True)
def deliver(notification_id: int, purpose: str) -> None:
    """Plan (again) the sends of one purpose; safe to repeat, as attempts are keyed."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("school").get(pk=notification_id)
        )
        services.delivery_plan(notification=notification, purpose=purpose)


@shared_task
def sweep() -> int:
    """Re-enqueue attempts that should have been sent by now: queued but never picked up (the
    broker was down when they were published), 'sending' for longer than any send takes (the
    worker died), or waiting to retry for longer than the longest backoff (the retry was lost)."""
    heartbeat("sweeper")
    now = timezone.now()
    cutoff = now - settings.DELIVERY_SWEEP_AFTER
    lost = DeliveryAttempt.objects.filter(
        Q(status=AttemptStatus.QUEUED, started_at__lt=cutoff)
        | Q(status=AttemptStatus.SENDING, started_at__lt=now - send_timeout())
        | Q(status=AttemptStatus.RETRYING, finished_at__lt=cutoff - timedelta(seconds=MAX_BACKOFF))
    ).order_by("started_at")
    ids = list(lost.values_list("pk", flat=True)[:BATCH])
    for pk in ids:
        send.apply_async(args=(pk,))
    if ids:
        logger.warning("sweep re-enqueued %d delivery attempts", len(ids))
    return len(ids)


@shared_task
def escalate() -> int:
    return services.notifications_escalate_due(now=timezone.now())


@shared_task
def receipts_poll() -> int:
    """GOV.UK Notify's status of recent sends, for receipts no callback brought."""
    if settings.ALERT_BACKEND != "notify":
        return 0
    return receipts.receipts_poll(now=timezone.now())


@shared_task
def statistics_rebuild():
    """Nightly: rebuild the partnership statistics tables from scratch, a check on the
    services' own updates (notifications/statistics/maintenance.py)."""
    maintenance.notification_statistics_rebuild()


@shared_task
def transfers_find() -> int:
    """Children the census shows at a new school: the history follows them (notifications.transfers)."""
    return transfers.transfers_find(now=timezone.now())


@shared_task
def statistics_follow_schools():
    maintenance.statistics_follow_schools()


@shared_task
def apply_retention():
    retention_apply()
