from django.conf import settings

from notifications.transports.base import Alert, Transport, TransportError
from notifications.transports.email import EmailTransport
from notifications.transports.notify import NotifyEmailTransport, NotifySmsTransport
from notifications.transports.webhook import WebhookTransport

# The channel is what the recipient asked for; ALERT_BACKEND says which service carries it.
TRANSPORTS: dict[str, dict[str, type[Transport]]] = {
    "smtp": {"email": EmailTransport, "webhook": WebhookTransport},
    "notify": {"email": NotifyEmailTransport, "sms": NotifySmsTransport, "webhook": WebhookTransport},
}


def transport_for(channel: str) -> Transport:
    transports = TRANSPORTS[settings.ALERT_BACKEND]
    if channel not in transports:  # a text planned before the backend was switched to SMTP
        raise TransportError(
            f"no {channel} transport with ALERT_BACKEND={settings.ALERT_BACKEND}", permanent=True
        )
    return transports[channel]()


def texts_available() -> bool:
    """Text messages need GOV.UK Notify; with SMTP alone, everyone is e-mailed."""
    return "sms" in TRANSPORTS[settings.ALERT_BACKEND]


__all__ = ["Alert", "Transport", "TransportError", "texts_available", "transport_for"]
