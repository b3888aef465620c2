"""A signed webhook for school safeguarding systems (CPOMS, MyConcern...).

POST, JSON body {"event", "attempt_id", "notification_id", "school_urn", "link", "sent_at"}: ids
and a link, never the child's details; the receiver signs in to read. Headers:
`X-Encompass-Timestamp` (Unix seconds) and `X-Encompass-Signature: sha256=<hex>`, the HMAC-SHA256
with the endpoint's secret over "<timestamp>.<body>". Receivers should reject a timestamp older
than five minutes and compare signatures in constant time. `X-Encompass-Delivery` (the attempt
id) is the same on every try, so a receiver can drop repeats."""

import hashlib
import hmac
import json
import time

import requests
from django.conf import settings

from notifications.transports.base import Alert, Transport, TransportError

RETRYABLE_STATUSES = {408, 425, 429}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(alert: Alert) -> bytes:
    data = {
        "event": f"notification.{alert.purpose}",
        "attempt_id": alert.attempt_id,
        "notification_id": alert.notification_id,
        "school_urn": alert.school_urn,
        "link": alert.link,
        "sent_at": int(time.time()),
    }
    return json.dumps(data, separators=(",", ":")).encode()


class WebhookTransport(Transport):
    def notify(self, alert: Alert) -> None:
        body = payload(alert)
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Encompass-Webhook/1",
            "X-Encompass-Timestamp": timestamp,
            "X-Encompass-Signature": signature(alert.secret, timestamp, body),
            "X-Encompass-Delivery": str(alert.attempt_id),
        }
        timeout = settings.WEBHOOK_TIMEOUT
        try:
            response = requests.post(
                alert.address, data=body, headers=headers, timeout=(timeout, timeout), allow_redirects=False
            )
        except requests.RequestException as exc:
            raise TransportError(type(exc).__name__, permanent=False)
        if response.status_code >= 300:
            code = response.status_code
            permanent = 300 <= code < 500 and code not in RETRYABLE_STATUSES
            raise TransportError(f"HTTP {code}", permanent=permanent)
