from dataclasses import dataclass, field


class TransportError(Exception):
    """A send failed. `permanent` failures (a bad address, an endpoint that refuses) are not
    retried; temporary ones are, with backoff."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Alert:
    """What a channel may say: ids, a school's name and a link, never a child's details.
    `address` is an e-mail address, a mobile number (E.164) or a webhook URL; `secret` signs
    webhooks."""

    attempt_id: int
    notification_id: int
    purpose: str
    school_name: str
    school_urn: int
    address: str
    link: str
    secret: str = field(default="", repr=False)


class Transport:
    def notify(self, alert: Alert) -> str | None:
        """Send the alert; return the provider's id for the message when it gives one (GOV.UK
        Notify does, for its delivery receipts), else None. Raise TransportError on failure."""
        raise NotImplementedError
