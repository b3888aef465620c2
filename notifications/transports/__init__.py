from notifications.transports.base import Transport, TransportError
from notifications.transports.email import EmailTransport

TRANSPORTS: dict[str, type[Transport]] = {"email": EmailTransport}


def transport_for(channel: str) -> Transport:
    return TRANSPORTS[channel]()


__all__ = ["Transport", "TransportError", "transport_for"]
