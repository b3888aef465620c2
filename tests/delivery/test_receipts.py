"""GOV.UK Notify's delivery receipts, by its callback and by polling, recorded on the attempt; a
message that can never arrive is loud like a refused send."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from encompass.models import Event
from notifications.models import AttemptStatus, DeliveryAttempt
from notifications.receipts import receipts_poll
from tests.conftest import signed_in
from tests.delivery.makers import incidents_submitted

URL = reverse("notifications:notify_receipt")
TOKEN = "a-callback-token-notify-sends-0123456789"


@pytest.fixture
def callbacks(settings):
    settings.NOTIFY_CALLBACK_TOKEN = TOKEN


@pytest.fixture
def sent(world, notify, sending):
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert attempt.status == AttemptStatus.SENT
    return attempt


def receipt(client, attempt, status, *, token=TOKEN, **extra):
    body = {
        "id": attempt.provider_id, "reference": str(attempt.pk), "to": attempt.recipient.email,
        "status": status, "created_at": "2026-12-01T06:30:00.000000Z",
        "completed_at": "2026-12-01T06:30:05.000000Z", "sent_at": "2026-12-01T06:30:01.000000Z",
        "notification_type": "email", "template_id": "x", "template_version": 1, **extra,
    }  # fmt: skip
    return client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_delivered_receipt_is_recorded_on_the_attempt(client, sent, callbacks):
    assert receipt(client, sent, "delivered").status_code == 204
    sent.refresh_from_db()
    assert (sent.status, sent.receipt) == (AttemptStatus.SENT, "delivered")
    assert sent.receipt_at.isoformat() == "2026-12-01T06:30:05+00:00"
    assert Event.objects.filter(verb="delivery.receipt", data__receipt="delivered").exists()


def test_a_permanent_failure_is_loud_the_key_adult_flagged_and_the_school_escalated(
    client, world, sent, callbacks
):
    assert receipt(client, sent, "permanent-failure").status_code == 204
    sent.refresh_from_db()
    assert (sent.status, sent.receipt) == (AttemptStatus.FAILED, "permanent-failure")
    key_adult = world.key_adult_a.key_adult_roles.get()
    assert "address or number does not exist" in key_adult.delivery_failure
    sent.notification.refresh_from_db()
    assert sent.notification.next_action_at <= timezone.now()
    page = signed_in(client, world.coordinator_a).get(reverse("notifications:operations")).content.decode()
    assert "Not delivered: address or number does not exist" in page
    assert world.key_adult_a.email in page


def test_a_temporary_failure_is_recorded_and_shown_without_failing_the_attempt(
    client, world, sent, callbacks
):
    receipt(client, sent, "temporary-failure")
    sent.refresh_from_db()
    assert (sent.status, sent.receipt) == (AttemptStatus.SENT, "temporary-failure")
    assert sent.error == "e-mail: Not delivered: inbox full or phone off"


def test_delivered_is_never_undone_by_a_later_receipt_and_repeats_change_nothing(client, sent, callbacks):
    receipt(client, sent, "delivered")
    receipt(client, sent, "delivered")
    receipt(client, sent, "permanent-failure")
    sent.refresh_from_db()
    assert (sent.status, sent.receipt) == (AttemptStatus.SENT, "delivered")
    assert Event.objects.filter(verb="delivery.receipt").count() == 1


def test_the_recipients_address_in_the_callback_is_never_kept(client, sent, callbacks):
    receipt(client, sent, "permanent-failure")
    stored = [str(e.data) for e in Event.objects.all()] + [DeliveryAttempt.objects.get().error]
    assert not any(sent.recipient.email in text for text in stored)


def test_a_callback_without_the_bearer_token_is_refused(client, sent, callbacks):
    assert receipt(client, sent, "delivered", token="guess").status_code == 401
    no_header = client.post(URL, "{}", content_type="application/json")
    assert no_header.status_code == 401
    sent.refresh_from_db()
    assert sent.receipt == ""


def test_without_a_callback_token_the_endpoint_does_not_exist(client, sent):
    assert receipt(client, sent, "delivered", token="").status_code == 404


def test_a_receipt_for_no_attempt_of_ours_or_not_a_receipt_is_refused(client, sent, callbacks):
    assert receipt(client, sent, "delivered", reference="999999").status_code == 404
    assert receipt(client, sent, "delivered", reference="１２").status_code == 404
    assert receipt(client, sent, "opened").status_code == 400
    bad = client.post(URL, "not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert bad.status_code == 400


def test_without_callbacks_beat_polls_notify_for_recent_sends(world, notify, sent):
    assert receipts_poll(now=timezone.now()) == 1  # Notify says "sending"
    sent.refresh_from_db()
    assert (sent.status, sent.receipt) == (AttemptStatus.SENT, "sending")
    assert receipts_poll(now=timezone.now()) == 0  # and still does
    notify.statuses[sent.provider_id] = "permanent-failure"
    assert receipts_poll(now=timezone.now()) == 1
    sent.refresh_from_db()
    assert (sent.status, sent.receipt) == (AttemptStatus.FAILED, "permanent-failure")
    assert world.key_adult_a.key_adult_roles.get().delivery_failed_at is not None
    assert receipts_poll(now=timezone.now()) == 0  # nothing left to ask about


def test_with_callbacks_only_sends_whose_callback_is_late_are_polled(notify, sent, callbacks):
    notify.statuses[sent.provider_id] = "delivered"
    assert receipts_poll(now=timezone.now()) == 0
    assert receipts_poll(now=timezone.now() + timezone.timedelta(minutes=11)) == 1
    sent.refresh_from_db()
    assert sent.receipt == "delivered"


def test_the_operations_page_says_which_backend_sends_alerts(client, world, settings):
    page = signed_in(client, world.admin).get(reverse("notifications:operations")).content.decode()
    assert "SMTP: e-mail only" in page
    settings.ALERT_BACKEND = "notify"
    page = client.get(reverse("notifications:operations")).content.decode()
    assert "GOV.UK Notify: e-mail and text messages" in page
    assert "polled every 60 s" in page
