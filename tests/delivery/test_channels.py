"""Which channels an alert goes by: the Key Adult's choice, the partnership's text policy, and
never nothing."""

from datetime import datetime, time

import pytest

from notifications.channels import TextRule, channels_for
from notifications.models import DeliveryAttempt
from schools.calendar import LONDON
from tests.delivery.makers import incidents_submitted

HOURS = TextRule("hours", time(6, 30), time(21, 0))
ESCALATIONS = TextRule("escalations", time(6, 30), time(21, 0))


def at(hour, minute=0):
    return datetime(2026, 12, 1, hour, minute, tzinfo=LONDON)


def channels(alert_by, *, purpose="alert", rule=HOURS, now=None, texts=True, has_mobile=True):
    return channels_for(
        alert_by=alert_by, has_mobile=has_mobile, purpose=purpose, rule=rule, now=now or at(12), texts=texts
    )


@pytest.mark.parametrize(
    ("alert_by", "expected"), [("email", ["email"]), ("sms", ["sms"]), ("both", ["email", "sms"])]
)
def test_inside_the_hours_each_key_adult_gets_what_they_chose(alert_by, expected):
    assert channels(alert_by, now=at(6, 30)) == expected


def test_outside_the_hours_a_text_only_key_adult_is_emailed_instead():
    assert channels("sms", now=at(2, 15)) == ["email"]
    assert channels("both", now=at(21, 0)) == ["email"]


def test_hours_may_run_across_midnight_and_equal_hours_mean_any_hour():
    night_shift = TextRule("hours", time(18, 0), time(8, 0))
    assert channels("sms", rule=night_shift, now=at(3)) == ["sms"]
    assert channels("sms", rule=night_shift, now=at(12)) == ["email"]
    assert channels("sms", rule=TextRule("hours", time(0, 0), time(0, 0)), now=at(3)) == ["sms"]


def test_hours_are_london_time_across_the_clock_change():
    summer_morning = datetime(2026, 6, 1, 5, 45, tzinfo=LONDON)
    assert channels("sms", now=summer_morning) == ["email"]  # 05:45 London
    assert channels("sms", now=datetime.fromisoformat("2026-06-01T05:45:00+00:00")) == ["sms"]  # 06:45 London


def test_under_the_escalations_policy_only_reminders_and_escalations_are_texted_at_any_hour():
    assert channels("sms", rule=ESCALATIONS, purpose="alert", now=at(12)) == ["email"]
    assert channels("sms", rule=ESCALATIONS, purpose="reminder", now=at(3)) == ["sms"]
    assert channels("both", rule=ESCALATIONS, purpose="escalation", now=at(3)) == ["email", "sms"]


def test_without_a_text_backend_or_a_mobile_everyone_is_emailed():
    assert channels("sms", texts=False) == ["email"]
    assert channels("both", has_mobile=False) == ["email"]


def test_with_smtp_as_the_backend_a_key_adult_who_chose_texts_is_emailed(world, sending, mailoutbox):
    world.key_adult_a.key_adult_roles.update(alert_by="sms", mobile="+447700900123")
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.channel, attempt.status) == ("email", "sent")
    assert mailoutbox[0].to == [world.key_adult_a.email]
