"""The life of one delivery attempt: claimed under the notification's row lock (is the send
still wanted? is it not done already?), marked 'sending' and committed before the transport is
called, then finished as sent, retrying or failed."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from encompass.events import event_record
from notifications.escalation import Step
from notifications.models import (
    UNACKNOWLEDGED,
    AttemptStatus,
    DeliveryAttempt,
    Notification,
    NotificationStatus,
    Purpose,
)
from notifications.statistics.maintenance import notification_statistics_refresh
from notifications.transports import Alert, TransportError
from schools.models import KeyAdult

logger = logging.getLogger(__name__)

STILL_WANTED = {
    Purpose.ALERT: UNACKNOWLEDGED,
    Purpose.UPDATE: (
        NotificationStatus.PENDING,
        NotificationStatus.DELIVERED,
        NotificationStatus.ACKNOWLEDGED,
    ),
    Purpose.REMINDER: UNACKNOWLEDGED,
    Purpose.ESCALATION: UNACKNOWLEDGED,
}
DONE = (AttemptStatus.SENT, AttemptStatus.FAILED, AttemptStatus.SKIPPED)


def send_timeout() -> timedelta:
    """How long a 'sending' attempt may take before it counts as abandoned (its worker died).
    Longer than any transport's timeouts, so a slow send is never sent a second time."""
    longest = max(settings.EMAIL_TIMEOUT or 10, settings.WEBHOOK_TIMEOUT, settings.NOTIFY_TIMEOUT) * 3
    return max(settings.DELIVERY_SWEEP_AFTER, timedelta(seconds=longest))


def attempt_claim(attempt_id: int) -> DeliveryAttempt | None:
    """Lock the attempt and its notification (one query, both rows), check the send is still
    wanted and not done or in progress elsewhere, and commit it as 'sending'."""
    with transaction.atomic():
        attempt = (
            DeliveryAttempt.objects.select_for_update(of=("self", "notification"))
            .select_related("notification__school", "recipient", "endpoint")
            .annotate(
                recipient_flagged=Exists(
                    KeyAdult.objects.filter(
                        user_id=OuterRef("recipient_id"), delivery_failed_at__isnull=False
                    )
                )
            )
            .get(pk=attempt_id)
        )
        notification = attempt.notification
        now = timezone.now()
        if attempt.status in DONE:
            return None
        if attempt.status == AttemptStatus.SENDING and attempt.started_at > now - send_timeout():
            return None  # another worker is sending it right now
        if notification.status not in STILL_WANTED[attempt.purpose]:
            attempt.status = AttemptStatus.SKIPPED
            attempt.finished_at = now
            attempt.save(update_fields=["status", "finished_at"])
            event_record(
                verb="delivery.skipped", obj=notification, attempt=attempt.pk, status=notification.status
            )
            return None
        attempt.status = AttemptStatus.SENDING
        attempt.tries += 1
        attempt.started_at = now
        attempt.save(update_fields=["status", "tries", "started_at"])
        return attempt


def alert_for(attempt: DeliveryAttempt) -> Alert:
    """What the transport may say, from an attempt loaded by `attempt_claim`."""
    notification = attempt.notification
    if attempt.endpoint_id:
        address, secret = attempt.endpoint.url, attempt.endpoint.secret
    elif attempt.channel == "sms":
        address, secret = _mobile_of(attempt), ""
    else:
        address, secret = (attempt.recipient.email if attempt.recipient_id else attempt.address), ""
    return Alert(
        attempt_id=attempt.pk,
        notification_id=notification.pk,
        purpose=attempt.purpose,
        school_name=notification.school.name,
        school_urn=notification.school.urn,
        address=address,
        link=link_for(attempt),
        secret=secret,
    )


def _mobile_of(attempt: DeliveryAttempt) -> str:
    mobile = (
        KeyAdult.objects.filter(user_id=attempt.recipient_id, school_id=attempt.notification.school_id)
        .values_list("mobile", flat=True)
        .first()
    )
    if not mobile:  # removed from the register since the text was planned
        raise TransportError("no mobile number on the Key Adult register", permanent=True)
    return mobile


def link_for(attempt: DeliveryAttempt) -> str:
    if attempt.purpose == Purpose.ESCALATION:
        return f"{settings.SITE_URL}/operations/"
    return f"{settings.SITE_URL}/school/notifications/{attempt.notification_id}/"


def _finish(attempt: DeliveryAttempt, status: str, error: str, started: float) -> None:
    attempt.status = status
    attempt.error = error[:500]
    attempt.finished_at = timezone.now()
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.save(update_fields=["status", "error", "finished_at", "duration_ms", "provider_id"])


@transaction.atomic
def attempt_succeed(attempt: DeliveryAttempt, started: float) -> None:
    _finish(attempt, AttemptStatus.SENT, "", started)
    if (
        attempt.recipient_id
        and attempt.recipient.key_adult_roles.filter(delivery_failed_at__isnull=False).exists()
    ):
        KeyAdult.objects.filter(user_id=attempt.recipient_id).update(
            delivery_failed_at=None, delivery_failure=""
        )
    if attempt.purpose != Purpose.ALERT or not (attempt.recipient_id or attempt.endpoint_id):
        return
    if attempt.notification.delivered_at is not None:
        return
    first = Notification.objects.filter(pk=attempt.notification_id, delivered_at__isnull=True).update(
        delivered_at=attempt.finished_at,
        status=Case(
            When(status=NotificationStatus.PENDING, then=Value(NotificationStatus.DELIVERED)),
            default=F("status"),
        ),
    )
    if first:
        event_record(verb="notification.delivered", obj=attempt.notification, attempt=attempt.pk)
        # A bulk update skips save(): the statistics row is refreshed here, explicitly.
        notification_statistics_refresh(notification_ids=[attempt.notification_id])


@transaction.atomic
def attempt_fail(attempt: DeliveryAttempt, exc: TransportError, started: float) -> bool:
    """Record the failure; True when it is final (permanent, or out of tries)."""
    final = exc.permanent or attempt.tries >= settings.DELIVERY_MAX_TRIES
    _finish(attempt, AttemptStatus.FAILED if final else AttemptStatus.RETRYING, exc.message, started)
    logger.warning("attempt %s failed (%s, permanent=%s)", attempt.pk, exc.message, exc.permanent)
    notification = Notification.objects.select_for_update().get(pk=attempt.notification_id)
    verb = "delivery.failed" if final else "delivery.try_failed"
    event_record(
        verb=verb, obj=notification, attempt=attempt.pk, tries=attempt.tries, error=exc.message[:200]
    )
    if final:
        failure_made_loud(attempt, notification, exc)
    return final


def failure_made_loud(attempt: DeliveryAttempt, notification: Notification, exc: TransportError) -> None:
    """Show the failure on the Key Adult's membership (the coordinator sees it on the
    operations page; alerts keep going to them), and escalate at once if no Key Adult was told.
    Also called for a delivery receipt that says a sent message never arrived."""
    now = timezone.now()
    if attempt.recipient_id:
        KeyAdult.objects.filter(user_id=attempt.recipient_id, school_id=notification.school_id).update(
            delivery_failed_at=now, delivery_failure=f"{attempt.get_purpose_display()}: {exc.message}"[:300]
        )
    if attempt.purpose != Purpose.ALERT or notification.status not in STILL_WANTED[Purpose.ALERT]:
        return
    still_possible = notification.attempts.filter(purpose=Purpose.ALERT, recipient__isnull=False).exclude(
        status=AttemptStatus.FAILED
    )
    if not still_possible.exists() and notification.escalation_step < Step.REMINDED:
        notification.escalation_step = Step.REMINDED
        notification.next_action_at = now
        notification.save(update_fields=["escalation_step", "next_action_at"])
        event_record(verb="escalation.brought_forward", obj=notification, reason="no Key Adult reachable")
        notification_statistics_refresh(notification_ids=[notification.pk])
