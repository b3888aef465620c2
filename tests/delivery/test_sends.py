"""One send per (notification, recipient, purpose); permanent failures are loud but never
stop alerts to the recipient."""

import smtplib

import pytest
from django.utils import timezone

from encompass.models import Event
from notifications.models import AttemptStatus, DeliveryAttempt, Notification, Purpose
from notifications.tasks import deliver, send
from tests.delivery.makers import incidents_submitted
from tests.factories import KeyAdultFactory


def test_sending_an_attempt_again_sends_nothing_more(world, sending, mailoutbox):
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    sending(send.delay, attempt.pk)
    sending(deliver.delay, notification.pk, Purpose.ALERT)
    assert len(mailoutbox) == 1
    attempt.refresh_from_db()
    assert attempt.tries == 1


def test_every_active_key_adult_of_the_school_is_alerted(world, sending, mailoutbox):
    deputy = KeyAdultFactory(school=world.school_a, role="deputy").user
    KeyAdultFactory(school=world.school_a, is_active=False)
    sending(incidents_submitted, world, 1)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.key_adult_a.email, deputy.email])


def test_the_email_says_where_to_sign_in_and_carries_a_message_id_per_attempt(world, sending, mailoutbox):
    [notification] = sending(incidents_submitted, world, 1)
    [message] = mailoutbox
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert message.extra_headers["Message-ID"].startswith(
        f"<attempt-{attempt.pk}.notification-{notification.pk}@"
    )
    assert f"/school/notifications/{notification.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "Sign in to view it" in html
    for personal in ("Amelia", "Smith", "2016", "High Street"):
        assert personal not in message.body + html + message.subject


class Refusing:
    """An SMTP connection whose server refuses the recipient for good."""

    def __init__(self, code):
        self.code = code

    def send_messages(self, messages):
        to = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({to: (self.code, b"5.1.1 no such user")})


@pytest.fixture
def smtp_refusing(monkeypatch):
    def install(code=550):
        monkeypatch.setattr("notifications.transports.email._open_connection", lambda: Refusing(code))

    return install


def test_a_refused_address_is_shown_on_the_key_adult_and_escalates_at_once(world, sending, smtp_refusing):
    smtp_refusing(550)
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.status, attempt.tries) == (AttemptStatus.FAILED, 1)
    key_adult = world.key_adult_a.key_adult_roles.get()
    assert key_adult.delivery_failed_at is not None
    assert "recipient refused" in key_adult.delivery_failure
    assert key_adult.is_active
    notification.refresh_from_db()
    assert notification.next_action_at <= timezone.now()
    assert Event.objects.filter(verb="escalation.brought_forward", object_id=str(notification.pk)).exists()


def test_a_key_adult_whose_alert_failed_still_gets_the_next_one_and_the_flag_clears(
    world, sending, smtp_refusing, mailoutbox, monkeypatch
):
    smtp_refusing(550)
    sending(incidents_submitted, world, 1)
    monkeypatch.undo()
    sending(incidents_submitted, world, 1)
    assert [m.to for m in mailoutbox] == [[world.key_adult_a.email]]
    key_adult = world.key_adult_a.key_adult_roles.get()
    assert key_adult.delivery_failed_at is None


def test_a_temporary_refusal_is_retried(world, sending, smtp_refusing, settings):
    settings.DELIVERY_MAX_TRIES = 2
    smtp_refusing(450)
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.status, attempt.tries) == (AttemptStatus.FAILED, 2)
    assert Event.objects.filter(verb="delivery.try_failed", object_id=str(notification.pk)).count() == 1


def test_a_withdrawn_notification_is_not_sent(
    world, eager_celery, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [notification] = incidents_submitted(world, 1)
    Notification.objects.filter(pk=notification.pk).update(status="withdrawn")
    for callback in callbacks:
        callback()
    assert mailoutbox == []
    assert DeliveryAttempt.objects.get(notification=notification).status == AttemptStatus.SKIPPED


def test_a_database_blip_after_the_email_left_does_not_send_it_again(world, sending, mailoutbox, monkeypatch):
    from django.db import OperationalError

    from notifications import tasks

    real, calls = tasks.attempt_succeed, []

    def flaky(attempt, started):
        calls.append(attempt.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(attempt, started)

    monkeypatch.setattr(tasks, "attempt_succeed", flaky)
    [notification] = sending(incidents_submitted, world, 1)
    assert len(mailoutbox) == 1
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.status, attempt.tries, len(calls)) == (AttemptStatus.SENT, 1, 2)
