from dataclasses import dataclass


class TransportError(Exception):
    """A send failed. `permanent` failures (a bad address) are not retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Alert:
    """What a channel may say: ids and a school's name, never a child's details."""

    attempt_id: int
    notification_id: int
    purpose: str
    school_name: str
    address: str
    link: str


class Transport:
    def notify(self, alert: Alert) -> None:
        raise NotImplementedError
