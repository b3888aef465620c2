"""Alerts through GOV.UK Notify from a real Celery worker (with beat) on PostgreSQL and Redis,
against the local Notify stand-in (tests/notify_standin.py): e-mail and text, no personal
data in any request, a burst of 429s retried until each alert is sent exactly once, a
permanent 400 not retried, and receipts polled by beat."""

import json
from collections import Counter
from datetime import time

import pytest
from django.db import connection

from encompass.events import events_for
from notifications.models import AttemptStatus, DeliveryAttempt
from tests.delivery.makers import incidents_submitted
from tests.integration.conftest import WorkerProcess
from tests.notify_standin import NOT_A_UK_MOBILE, RATE_LIMITED, NotifyStandIn
from tests.services import eventually

pytestmark = pytest.mark.services

MOBILE = "+447700900123"


@pytest.fixture
def standin(settings):
    standin = NotifyStandIn().start()
    for name, value in standin.settings().items():
        setattr(settings, name, value)
    yield standin
    standin.stop()


@pytest.fixture
def notify_worker(world, standin, worker_env, tmp_path):
    from encompass.celery import app

    worker_env.update(standin.settings())
    worker_env["NOTIFY_POLL_EVERY_SECONDS"] = "1"
    world.partnership_a.texts_from = world.partnership_a.texts_until = time(0, 0)  # texts at any hour
    world.partnership_a.save()
    world.key_adult_a.key_adult_roles.update(alert_by="both", mobile=MOBILE)
    app.control.purge()
    connection.close()
    worker = WorkerProcess(env=worker_env, log_path=tmp_path / "worker.log").start(beat=True)
    yield worker
    worker.stop()


def test_a_real_worker_alerts_by_email_and_text_with_no_personal_data(world, standin, notify_worker):
    [notification] = incidents_submitted(world, 1)
    assert len(standin.wait_for(2)) == 2, notify_worker.log()
    [email], [text] = standin.sent("email"), standin.sent("sms")
    assert (email["body"]["email_address"], text["body"]["phone_number"]) == (world.key_adult_a.email, MOBILE)
    child, incident = notification.child, notification.child.incident
    personal = [child.first_name, child.last_name, str(child.dob), incident.reference]
    personal += [incident.address_line1, incident.postcode]
    for request in (email, text):
        assert set(request["body"]["personalisation"]) == {"school_name", "link", "purpose"}
        assert request["claims"]["iss"] == standin.service_id
        assert not [p for p in personal if p and p in json.dumps(request["body"])]
    sent = eventually(lambda: DeliveryAttempt.objects.filter(status=AttemptStatus.SENT).count() == 2)
    assert sent, notify_worker.log()
    assert "Amelia" not in notify_worker.log()


def test_a_burst_of_429s_is_retried_with_backoff_and_every_alert_is_sent_exactly_once(
    world, standin, notify_worker
):
    standin.replies = [RATE_LIMITED] * 12
    notifications = incidents_submitted(world, 6)
    done = eventually(
        lambda: DeliveryAttempt.objects.filter(status=AttemptStatus.SENT).count() == 12, timeout=90
    )
    assert done, notify_worker.log()
    assert [r["status"] for r in standin.refused] == [429] * 12
    per_reference = Counter(r["body"]["reference"] for r in standin.requests)
    assert len(per_reference) == 12 and max(per_reference.values()) == 1
    attempts = DeliveryAttempt.objects.filter(notification__in=notifications)
    assert sum(a.tries for a in attempts) == 12 + 12
    assert max(a.tries for a in attempts) >= 2


def test_a_permanent_400_is_not_retried_and_the_key_adult_is_flagged(world, standin, notify_worker):
    world.key_adult_a.key_adult_roles.update(alert_by="sms")
    standin.replies = [NOT_A_UK_MOBILE]
    [notification] = incidents_submitted(world, 1)
    failed = eventually(lambda: DeliveryAttempt.objects.filter(status=AttemptStatus.FAILED).first())
    assert failed, notify_worker.log()
    assert (failed.channel, failed.tries) == ("sms", 1)
    assert failed.error == "Notify 400: phone_number Not a UK mobile number"
    key_adult = world.key_adult_a.key_adult_roles.get()
    assert "Not a UK mobile number" in key_adult.delivery_failure
    assert events_for(notification).filter(verb="escalation.brought_forward").exists()
    assert len(standin.refused) == 1 and not standin.requests


def test_beat_polls_notify_and_records_the_receipts(world, standin, notify_worker):
    incidents_submitted(world, 1)
    assert len(standin.wait_for(2)) == 2, notify_worker.log()
    for request in standin.requests:
        standin.statuses[request["id"]] = "delivered"
    delivered = eventually(
        lambda: DeliveryAttempt.objects.filter(receipt="delivered").count() == 2, timeout=30
    )
    assert delivered, notify_worker.log()
