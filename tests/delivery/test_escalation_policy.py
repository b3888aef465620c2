"""The escalation policy: reminder at 07:30 on the due day, the coordinator at the due time,
the phone list an hour later; nothing more once someone acknowledges."""

from datetime import datetime, timedelta

import pytest

from encompass.models import Event
from notifications.escalation import Step, action_after
from notifications.models import DeliveryAttempt, Notification, Purpose
from notifications.services import notification_acknowledge, notifications_escalate_due
from schools.calendar import LONDON
from tests.delivery.makers import incidents_submitted

THURSDAY_EVENING = datetime(2026, 11, 26, 21, 30, tzinfo=LONDON)
FRIDAY_DUE = datetime(2026, 11, 27, 8, 45, tzinfo=LONDON)


@pytest.fixture
def notification(world, sending):
    [notification] = sending(incidents_submitted, world, 1)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=THURSDAY_EVENING,
        due_at=FRIDAY_DUE,
        next_action_at=action_after(Step.ALERTED, due_at=FRIDAY_DUE, now=THURSDAY_EVENING),
    )
    notification.refresh_from_db()
    return notification


def at(hour, minute=0):
    return datetime(2026, 11, 27, hour, minute, tzinfo=LONDON)


def recipients(notification, purpose):
    return sorted(
        a.recipient.email for a in DeliveryAttempt.objects.filter(notification=notification, purpose=purpose)
    )


def test_the_next_action_after_an_evening_alert_is_the_0730_reminder(notification):
    assert notification.next_action_at == at(7, 30)


def test_nothing_happens_before_the_reminder_time(notification, sending):
    assert sending(notifications_escalate_due, now=at(7, 29)) == 0
    assert recipients(notification, Purpose.REMINDER) == []


def test_the_key_adult_is_reminded_then_the_coordinator_told_then_the_school_phoned(
    world, notification, sending, mailoutbox
):
    sending(notifications_escalate_due, now=at(7, 30))
    assert recipients(notification, Purpose.REMINDER) == [world.key_adult_a.email]
    assert "reminder" in mailoutbox[-1].subject

    sending(notifications_escalate_due, now=at(8, 45))
    assert recipients(notification, Purpose.ESCALATION) == [world.coordinator_a.email]
    assert mailoutbox[-1].to == [world.coordinator_a.email]
    assert "https://" in mailoutbox[-1].body or "http://" in mailoutbox[-1].body

    sending(notifications_escalate_due, now=at(9, 45))
    notification.refresh_from_db()
    assert notification.escalation_step == Step.PHONE
    assert notification.next_action_at is None
    verbs = list(
        Event.objects.filter(object_id=str(notification.pk), verb__startswith="escalation.").values_list(
            "verb", flat=True
        )
    )
    assert verbs == ["escalation.reminded", "escalation.escalated", "escalation.phone"]


def test_an_acknowledged_notification_is_not_reminded_or_escalated(world, notification, sending, mailoutbox):
    notification_acknowledge(notification=notification, user=world.key_adult_a, ip_address=None)
    sent_before = len(mailoutbox)
    for moment in (at(7, 30), at(8, 45), at(9, 45)):
        sending(notifications_escalate_due, now=moment)
    assert len(mailoutbox) == sent_before
    assert (
        not DeliveryAttempt.objects.filter(notification=notification).exclude(purpose=Purpose.ALERT).exists()
    )


def test_a_reminder_queued_before_the_acknowledgement_is_skipped_at_send_time(
    world, notification, eager_celery, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications_escalate_due(now=at(7, 30))
    notification_acknowledge(notification=notification, user=world.key_adult_a, ip_address=None)
    sent_before = len(mailoutbox)
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == sent_before
    reminder = DeliveryAttempt.objects.get(notification=notification, purpose=Purpose.REMINDER)
    assert reminder.status == "skipped"


def test_a_school_with_no_active_key_adult_is_escalated_to_the_coordinator_at_once(
    world, sending, mailoutbox
):
    world.school_a.key_adults.update(is_active=False)
    [notification] = sending(incidents_submitted, world, 1)
    assert Event.objects.filter(verb="delivery.no_recipient", object_id=str(notification.pk)).exists()
    sending(notifications_escalate_due, now=notification.created_at + timedelta(seconds=1))
    assert [m.to for m in mailoutbox] == [[world.coordinator_a.email]]


def test_outside_term_the_holiday_cover_address_is_alerted_too(world, sending, mailoutbox, monkeypatch):
    world.partnership_a.holiday_cover_email = "cover@southend.example"
    world.partnership_a.save()
    monkeypatch.setattr("notifications.services.is_outside_term", lambda school, moment: True)
    sending(incidents_submitted, world, 1)
    assert sorted(m.to[0] for m in mailoutbox) == ["cover@southend.example", world.key_adult_a.email]


def test_in_term_the_holiday_cover_address_is_not_alerted(world, sending, mailoutbox, monkeypatch):
    world.partnership_a.holiday_cover_email = "cover@southend.example"
    world.partnership_a.save()
    monkeypatch.setattr("notifications.services.is_outside_term", lambda school, moment: False)
    sending(incidents_submitted, world, 1)
    assert [m.to[0] for m in mailoutbox] == [world.key_adult_a.email]
