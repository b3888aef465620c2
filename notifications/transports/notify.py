"""GOV.UK Notify, for e-mail and text messages, through the official client.

The template does the wording; the personalisation carries only the school's name, the link
and the purpose, never a child's details. The reference is the attempt id, so a repeat of one
attempt (a worker killed after Notify accepted it) carries the same reference, and its delivery
receipt finds the same attempt. Notify's answers map onto TransportError: 400 (a bad address,
a missing template field) and 403 (a bad key) are permanent; 429 (rate limit), 5xx and no
answer at all are temporary, retried with the usual backoff."""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from notifications.models import Purpose
from notifications.transports.base import Alert, Transport, TransportError

PERMANENT_STATUSES = {400, 403}

_client = None


def client() -> NotificationsAPIClient:
    """One per process (the client keeps a requests session; it is not thread-safe, and a
    Celery prefork worker sends one message at a time)."""
    global _client
    if _client is None:
        _client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.NOTIFY_TIMEOUT
        )
    return _client


@receiver(setting_changed)
def _notify_settings_changed(setting, **kwargs):
    global _client
    if setting.startswith("NOTIFY_"):
        _client = None


def personalisation(alert: Alert) -> dict[str, str]:
    return {
        "school_name": alert.school_name,
        "link": alert.link,
        "purpose": Purpose(alert.purpose).label,
    }


def transport_error(exc: APIError, alert: Alert) -> TransportError:
    """Notify's error as a TransportError whose message never repeats the address."""
    code = exc.status_code
    detail = exc.message
    if isinstance(detail, list):  # {"errors": [{"error": "BadRequestError", "message": "..."}]}
        detail = "; ".join(str(e.get("message", e.get("error", ""))) for e in detail if isinstance(e, dict))
    detail = str(detail).replace(alert.address, "<address>")[:200]
    permanent = code in PERMANENT_STATUSES or (400 <= code < 500 and code != 429 and code != 408)
    return TransportError(f"Notify {code}: {detail}", permanent=permanent)


class NotifyTransport(Transport):
    def notify(self, alert: Alert) -> str:
        try:
            response = self.send(alert)
        except APIError as exc:
            raise transport_error(exc, alert) from None
        return str(response["id"])

    def send(self, alert: Alert) -> dict:
        raise NotImplementedError


class NotifyEmailTransport(NotifyTransport):
    def send(self, alert: Alert) -> dict:
        return client().send_email_notification(
            email_address=alert.address,
            template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            personalisation=personalisation(alert),
            reference=str(alert.attempt_id),
        )


class NotifySmsTransport(NotifyTransport):
    def send(self, alert: Alert) -> dict:
        return client().send_sms_notification(
            phone_number=alert.address,
            template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            personalisation=personalisation(alert),
            reference=str(alert.attempt_id),
        )
