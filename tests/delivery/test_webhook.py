"""The signed webhook, against a real HTTP receiver on 127.0.0.1."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from notifications.models import AttemptStatus, DeliveryAttempt, NotificationStatus, WebhookEndpoint
from tests.delivery.makers import incidents_submitted


class Receiver(HTTPServer):
    def __init__(self):
        self.requests = []
        self.statuses = []  # queued statuses to answer with; 200 when empty
        self.delay = 0.0
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}/encompass"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((dict(self.headers), body))
        if self.server.delay:
            threading.Event().wait(self.server.delay)
        status = self.server.statuses.pop(0) if self.server.statuses else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def endpoint(world, receiver):
    return WebhookEndpoint.objects.create(school=world.school_a, url=receiver.url, secret="s3cret-shared")


def webhook_attempt():
    return DeliveryAttempt.objects.get(channel="webhook")


def test_the_school_system_receives_a_signed_payload_without_the_childs_details(
    world, endpoint, receiver, sending
):
    [notification] = sending(incidents_submitted, world, 1)
    [(headers, body)] = receiver.requests
    expected = hmac.new(
        b"s3cret-shared", headers["X-Encompass-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Encompass-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["notification_id"] == notification.pk
    assert payload["link"].endswith(f"/school/notifications/{notification.pk}/")
    for personal in (b"Amelia", b"Smith", b"2016", b"High Street", b"SS1"):
        assert personal not in body
    assert webhook_attempt().status == AttemptStatus.SENT


def test_a_server_error_is_retried_and_then_delivered_once(world, endpoint, receiver, sending):
    receiver.statuses = [503, 500]
    sending(incidents_submitted, world, 1)
    assert len(receiver.requests) == 3
    assert len({h["X-Encompass-Delivery"] for h, _ in receiver.requests}) == 1
    attempt = webhook_attempt()
    assert (attempt.status, attempt.tries) == (AttemptStatus.SENT, 3)


def test_an_endpoint_that_refuses_fails_permanently_without_stopping_the_email(
    world, endpoint, receiver, sending
):
    receiver.statuses = [410]
    [notification] = sending(incidents_submitted, world, 1)
    attempt = webhook_attempt()
    assert (attempt.status, attempt.error) == (AttemptStatus.FAILED, "HTTP 410")
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.DELIVERED


def test_a_receiver_that_hangs_times_out_as_a_temporary_error(world, endpoint, receiver, settings, sending):
    settings.WEBHOOK_TIMEOUT = 0.3
    settings.DELIVERY_MAX_TRIES = 1
    receiver.delay = 1.0
    sending(incidents_submitted, world, 1)
    attempt = webhook_attempt()
    assert attempt.status == AttemptStatus.FAILED
    assert attempt.error == "ReadTimeout"


def test_an_inactive_endpoint_is_not_called(world, endpoint, receiver, sending):
    endpoint.is_active = False
    endpoint.save()
    sending(incidents_submitted, world, 1)
    assert receiver.requests == []
