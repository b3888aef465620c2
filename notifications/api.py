"""GOV.UK Notify's delivery-receipt callback: Notify POSTs one JSON receipt per message, with
`Authorization: Bearer <NOTIFY_CALLBACK_TOKEN>`. The body also carries the recipient's address
(`to`); it is never stored or logged, only the reference (our attempt id), Notify's id and the
status are read."""

import hmac
import json
import logging

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from notifications.receipts import UnknownReceipt, attempt_receipt_record

logger = logging.getLogger(__name__)


def _bearer_matches(request) -> bool:
    expected = f"Bearer {settings.NOTIFY_CALLBACK_TOKEN}".encode()
    return hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected)


@csrf_exempt
@require_POST
def notify_receipt(request):
    if not settings.NOTIFY_CALLBACK_TOKEN:
        raise Http404
    if not _bearer_matches(request):
        return JsonResponse({"error": "wrong or missing bearer token"}, status=401)
    try:
        data = json.loads(request.body)
        reference, provider_id, status = str(data["reference"]), str(data["id"]), str(data["status"])
        completed = parse_datetime(data["completed_at"]) if data.get("completed_at") else None
        attempt = attempt_receipt_record(
            reference=reference, provider_id=provider_id, status=status, at=completed
        )
    except UnknownReceipt:
        logger.warning("Notify receipt for no attempt of ours (Notify id %s)", str(data.get("id"))[:36])
        return JsonResponse({"error": "no such reference"}, status=404)
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"error": "expected Notify's JSON receipt: id, reference, status"}, status=400)
    logger.info("Notify receipt for attempt %s: %s", attempt.pk, status)
    return HttpResponse(status=204)
