"""Alerts through GOV.UK Notify, by e-mail and by text message, against a local stand-in that
checks the client's signed token (tests/notify_standin.py)."""

import json

import pytest

from notifications.models import AttemptStatus, DeliveryAttempt
from notifications.transports import Alert, TransportError
from notifications.transports.notify import NotifyEmailTransport, NotifySmsTransport
from tests.delivery.makers import incidents_submitted
from tests.notify_standin import NOT_A_UK_MOBILE, RATE_LIMITED, SERVER_ERROR, TEAM_ONLY_KEY, error_body

MOBILE = "+447700900123"


def texts_too(user, school, *, alert_by="both", mobile=MOBILE):
    user.key_adult_roles.filter(school=school).update(alert_by=alert_by, mobile=mobile)


def test_a_notification_reaches_the_stand_in_by_email_and_by_text_without_personal_data(
    world, notify, texts_any_hour, sending
):
    texts_too(world.key_adult_a, world.school_a)
    [notification] = sending(incidents_submitted, world, 1)
    [email] = notify.sent("email")
    [text] = notify.sent("sms")
    email_attempt = DeliveryAttempt.objects.get(notification=notification, channel="email")
    text_attempt = DeliveryAttempt.objects.get(notification=notification, channel="sms")
    assert email["body"]["email_address"] == world.key_adult_a.email
    assert text["body"]["phone_number"] == MOBILE
    link = f"http://127.0.0.1:8000/school/notifications/{notification.pk}/"
    for request, attempt in ((email, email_attempt), (text, text_attempt)):
        assert request["body"]["personalisation"] == {
            "school_name": "Chalkwell Primary School",
            "link": link,
            "purpose": "New notification",
        }
        assert request["body"]["reference"] == str(attempt.pk)
        assert (attempt.status, attempt.provider_id) == (AttemptStatus.SENT, request["id"])
        payload = json.dumps(request["body"])
        for personal in ("Amelia", "Smith", "2016", "High Street", notification.child.incident.reference):
            assert personal not in payload


def test_the_client_signs_every_request_with_the_services_key(world, notify, sending):
    sending(incidents_submitted, world, 1)
    [email] = notify.sent("email")
    assert email["claims"]["iss"] == notify.service_id
    assert email["headers"]["Authorization"].startswith("Bearer ey")


def test_a_key_the_stand_in_does_not_know_fails_for_good_and_is_shown_on_the_key_adult(
    world, notify, sending, settings
):
    settings.NOTIFY_API_KEY = f"encompass_test-{notify.service_id}-{'0' * 36}"
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.status, attempt.tries) == (AttemptStatus.FAILED, 1)
    assert attempt.error.startswith("Notify 403")
    assert [r["status"] for r in notify.refused] == [403]
    assert world.key_adult_a.key_adult_roles.get().delivery_failed_at is not None


def test_a_rate_limit_is_retried_with_backoff_until_notify_takes_the_message(world, notify, sending):
    notify.replies = [RATE_LIMITED, RATE_LIMITED, SERVER_ERROR]
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert (attempt.status, attempt.tries) == (AttemptStatus.SENT, 4)
    assert len(notify.sent("email")) == 1


def test_a_number_notify_refuses_fails_for_good_without_a_retry(world, notify, texts_any_hour, sending):
    texts_too(world.key_adult_a, world.school_a, alert_by="sms")
    notify.replies = [NOT_A_UK_MOBILE]
    [notification] = sending(incidents_submitted, world, 1)
    attempt = DeliveryAttempt.objects.get(notification=notification, channel="sms")
    assert (attempt.status, attempt.tries) == (AttemptStatus.FAILED, 1)
    assert attempt.error == "Notify 400: phone_number Not a UK mobile number"
    assert "Not a UK mobile number" in world.key_adult_a.key_adult_roles.get().delivery_failure


def alert(address: str, purpose: str = "alert") -> Alert:
    return Alert(
        attempt_id=7, notification_id=3, purpose=purpose, school_name="Chalkwell Primary School",
        school_urn=100001, address=address, link="https://encompass.example/school/notifications/3/",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("reply", "permanent"),
    [
        (NOT_A_UK_MOBILE, True),
        (TEAM_ONLY_KEY, True),
        ((403, error_body(403, "AuthError", "Invalid token: API key not found")), True),
        (RATE_LIMITED, False),
        (SERVER_ERROR, False),
        ((502, {"message": "bad gateway"}), False),
        ((503, error_body(503, "Exception", "Service unavailable")), False),
    ],
)
def test_notifys_answers_map_onto_temporary_and_permanent_errors(notify, reply, permanent):
    notify.replies = [reply]
    with pytest.raises(TransportError) as failure:
        NotifySmsTransport().notify(alert(MOBILE))
    assert failure.value.permanent is permanent
    assert failure.value.message.startswith(f"Notify {reply[0]}")


def test_no_answer_at_all_is_temporary(notify, settings):
    from tests.services import free_port

    settings.NOTIFY_BASE_URL = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(TransportError) as failure:
        NotifyEmailTransport().notify(alert("dsl@school.example"))
    assert failure.value.permanent is False


def test_an_error_never_repeats_the_address(notify):
    notify.replies = [
        (400, error_body(400, "ValidationError", f"email_address {'dsl@school.example'} is bad"))
    ]
    with pytest.raises(TransportError) as failure:
        NotifyEmailTransport().notify(alert("dsl@school.example"))
    assert "dsl@school.example" not in failure.value.message
    assert failure.value.permanent


def test_the_transport_returns_notifys_id_and_the_reference_is_the_attempt(notify):
    notify_id = NotifyEmailTransport().notify(alert("dsl@school.example", purpose="escalation"))
    [email] = notify.sent("email")
    assert notify_id == email["id"]
    assert email["body"]["reference"] == "7"
    assert email["body"]["personalisation"]["purpose"] == "Escalation"
