from notifications.transports.base import Alert, Transport, TransportError
from notifications.transports.email import EmailTransport
from notifications.transports.webhook import WebhookTransport

TRANSPORTS: dict[str, type[Transport]] = {"email": EmailTransport, "webhook": WebhookTransport}


def transport_for(channel: str) -> Transport:
    return TRANSPORTS[channel]()


__all__ = ["Alert", "Transport", "TransportError", "transport_for"]
