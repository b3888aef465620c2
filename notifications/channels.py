"""Which channels one Key Adult's alert goes by: what they chose (e-mail, text or both), less a
text the partnership's policy does not allow now, and never nothing (README "Alerts through
GOV.UK Notify"). Plain values in, so it is tested without a database."""

from dataclasses import dataclass
from datetime import datetime, time

from schools.calendar import LONDON
from schools.models import AlertChannels, TextPolicy

TEXTED_UNDER_ESCALATIONS_POLICY = ("reminder", "escalation")


@dataclass(frozen=True)
class TextRule:
    policy: str = TextPolicy.HOURS
    texts_from: time = time(6, 30)
    texts_until: time = time(21, 0)

    @classmethod
    def of(cls, partnership) -> "TextRule":
        if partnership is None:
            return cls()
        return cls(partnership.text_policy, partnership.texts_from, partnership.texts_until)

    def allows(self, *, purpose: str, now: datetime) -> bool:
        if self.policy == TextPolicy.ESCALATIONS:
            return purpose in TEXTED_UNDER_ESCALATIONS_POLICY
        return within(now.astimezone(LONDON).time(), self.texts_from, self.texts_until)


def within(moment: time, start: time, end: time) -> bool:
    """start <= moment < end, across midnight when end is before start; start == end: always."""
    if start == end:
        return True
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def channels_for(
    *, alert_by: str, has_mobile: bool, purpose: str, rule: TextRule, now: datetime, texts: bool
):
    """`texts`: whether the backend can send text messages at all."""
    wanted = {"email", "sms"} if alert_by == AlertChannels.BOTH else {alert_by}
    if not (texts and has_mobile and rule.allows(purpose=purpose, now=now)):
        wanted.discard("sms")
    return sorted(wanted or {"email"})
