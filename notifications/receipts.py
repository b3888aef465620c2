"""GOV.UK Notify's delivery receipts: what happened to a message Notify accepted. They come by
Notify's callback (notifications/api.py) or, without one, by polling recent sends (beat runs
`notifications.tasks.receipts_poll`). Either way one service records them on the attempt; a
message that can never arrive is made loud exactly as a refused send is."""

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from notifications_python_client.errors import APIError

from encompass.events import event_record
from notifications.delivery import failure_made_loud
from notifications.models import FINAL_RECEIPTS, AttemptStatus, DeliveryAttempt, Notification, Receipt
from notifications.transports import TransportError
from notifications.transports.notify import client

logger = logging.getLogger(__name__)

REFERENCE = re.compile(r"[0-9]{1,18}", re.ASCII)
CHANNEL_NAMES = {"email": "e-mail", "sms": "text message"}
AWAITING = [Receipt.NONE, Receipt.CREATED, Receipt.SENDING, Receipt.PENDING]
# Notify gives a final status within 72 hours; after that there is nothing more to ask.
POLL_WINDOW = timedelta(hours=72)
# With callbacks set up, only sends whose callback is this late are polled.
CALLBACK_LATE = timedelta(minutes=10)
POLL_BATCH = 100


class UnknownReceipt(Exception):
    """The receipt names no attempt of ours."""


def attempt_for_reference(reference: str) -> int:
    if not isinstance(reference, str) or not REFERENCE.fullmatch(reference):
        raise UnknownReceipt
    return int(reference)


@transaction.atomic
def attempt_receipt_record(
    *, reference: str, provider_id: str, status: str, at: datetime | None = None
) -> DeliveryAttempt:
    """Record Notify's status on the attempt whose id is the reference. A final status is never
    replaced by an earlier one, nor "delivered" by anything (a repeated send of one attempt has
    two receipts; one arrival is enough). Safe to repeat."""
    if status not in Receipt.values or status == Receipt.NONE:
        raise ValueError(f"unknown Notify status {status!r}")
    try:
        attempt = (
            DeliveryAttempt.objects.select_for_update()
            .select_related("notification")
            .get(pk=attempt_for_reference(reference), status__in=[AttemptStatus.SENT, AttemptStatus.SENDING])
        )
    except DeliveryAttempt.DoesNotExist:
        raise UnknownReceipt from None
    if attempt.receipt == Receipt.DELIVERED or (
        attempt.receipt in FINAL_RECEIPTS and status not in FINAL_RECEIPTS
    ):
        return attempt
    if attempt.receipt == status:
        return attempt
    attempt.receipt = status
    attempt.receipt_at = at or timezone.now()
    attempt.provider_id = attempt.provider_id or provider_id[:36]
    fields = ["receipt", "receipt_at", "provider_id"]
    if status not in (Receipt.DELIVERED, Receipt.SENT) and status in FINAL_RECEIPTS:
        attempt.error = f"{CHANNEL_NAMES.get(attempt.channel, attempt.channel)}: {Receipt(status).label}"
        fields.append("error")
    if status == Receipt.PERMANENT_FAILURE:
        attempt.status = AttemptStatus.FAILED
        fields.append("status")
    attempt.save(update_fields=fields)
    notification = Notification.objects.select_for_update().get(pk=attempt.notification_id)
    event_record(verb="delivery.receipt", obj=notification, attempt=attempt.pk, receipt=status)
    if status == Receipt.PERMANENT_FAILURE:
        event_record(verb="delivery.failed", obj=notification, attempt=attempt.pk, error=attempt.error)
        failure_made_loud(attempt, notification, TransportError(attempt.error, permanent=True))
    return attempt


def attempts_awaiting_receipt(now: datetime):
    """Sends Notify accepted that have no final receipt yet, least recently asked first."""
    sent = DeliveryAttempt.objects.filter(
        status=AttemptStatus.SENT, receipt__in=AWAITING, finished_at__gte=now - POLL_WINDOW
    ).exclude(provider_id="")
    if settings.NOTIFY_CALLBACK_TOKEN:
        sent = sent.filter(finished_at__lte=now - CALLBACK_LATE)
    return sent.order_by(F("receipt_checked_at").asc(nulls_first=True), "finished_at")


def receipts_poll(*, now: datetime, limit: int = POLL_BATCH) -> int:
    """Ask Notify for the status of recent sends; returns how many changed."""
    changed = 0
    for attempt in attempts_awaiting_receipt(now)[:limit]:
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(receipt_checked_at=now)
        try:
            answer = client().get_notification_by_id(attempt.provider_id)
        except APIError as exc:
            logger.warning("receipt poll for attempt %s failed (Notify %s)", attempt.pk, exc.status_code)
            continue
        status = answer.get("status", "")
        if status not in Receipt.values or status == attempt.receipt:
            continue
        completed = parse_datetime(answer.get("completed_at") or "")
        attempt_receipt_record(
            reference=str(attempt.pk), provider_id=attempt.provider_id, status=status, at=completed
        )
        changed += 1
    return changed
