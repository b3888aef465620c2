"""No personal data outside the app: the whole flow runs with seeded names against the real
broker, a real worker and an SMTP sink; every broker command (Redis MONITOR), the worker's
log, this process's log and every e-mail are captured, and none may contain a seeded name,
date of birth, address or police reference."""

import logging
import threading

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from notifications.models import Notification, NotificationStatus
from tests.conftest import signed_in
from tests.services import eventually
from tests.slice.test_thin_slice import file_incident

pytestmark = pytest.mark.services

SEEDED = ["Amelia", "Smith", "2016-05-14", "14/05/2016", "1 High Street", "SS1 1AA", "42/123456/26"]


class BrokerRecorder:
    """Every command any client sends to Redis while it runs, as Redis MONITOR shows it."""

    def __init__(self, url: str):
        self.lines: list[str] = []
        self._client = redis.Redis.from_url(url)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        with self._client.monitor() as monitor:
            for command in monitor.listen():
                self.lines.append(command["command"])
                if self._stop.is_set():
                    return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._client.ping()  # one more command wakes the listener so it can stop
        self._thread.join(timeout=5)


def leaks(text: str) -> list[str]:
    return [value for value in SEEDED if value.lower() in text.lower()]


def test_no_seeded_name_date_of_birth_or_address_leaves_the_app(
    client, world, smtp_sink, celery_worker_process, caplog
):
    caplog.set_level(logging.DEBUG)
    with BrokerRecorder(settings.CELERY_BROKER_URL) as broker:
        assert file_incident(client, world).status_code == 302
        notification = eventually(
            lambda: Notification.objects.filter(status=NotificationStatus.DELIVERED).first()
        )
        assert notification is not None, celery_worker_process.log()
        key_adult = signed_in(client, world.key_adult_a)
        key_adult.get(reverse("notifications:detail", args=[notification.pk]))
        key_adult.post(reverse("notifications:acknowledge", args=[notification.pk]))
        key_adult.post(
            reverse("notifications:support_add", args=[notification.pk]),
            {"given_on": "2026-11-28", "kind": "welfare_check_in", "note": "Amelia Smith seemed settled"},
        )
        smtp_sink.wait_for(1)

    assert broker.lines, "the recorder saw no broker traffic at all"
    assert any("notifications.tasks" in line for line in broker.lines)
    assert leaks("\n".join(broker.lines)) == []
    assert leaks(celery_worker_process.log()) == []
    assert leaks(caplog.text) == []
    assert smtp_sink.messages
    for message in smtp_sink.messages:
        assert leaks(message.as_string()) == []
