"""Twenty police-system requests for the same new reference at the same moment, against real
PostgreSQL: one incident, one notification per child, one alert."""

import threading

from django.core import mail
from django.db import connection
from django.test import Client

from incidents.models import Incident
from incidents.services import api_client_create
from notifications.models import Notification
from tests.factories import EnrolmentFactory, PupilFactory
from tests.incidents.test_api import BODY, URL

SENDERS = 20


def test_twenty_simultaneous_posts_make_one_incident_and_one_notification_per_child(
    postgres, world, eager_celery
):
    EnrolmentFactory(pupil=PupilFactory(first_name="Oliver", last_name="Smith"), school=world.school_b)
    body = {
        **BODY,
        "children": [*BODY["children"], {"first_name": "Oliver", "last_name": "Smith", "dob": "2016-05-14"}],
    }
    token = api_client_create(force=world.force_a, name="athena")[1]
    start = threading.Barrier(SENDERS)
    statuses = []

    def send():
        try:
            client = Client()
            start.wait()
            response = client.post(
                URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(statuses) == [200] * (SENDERS - 1) + [201]
    incident = Incident.objects.get()
    assert incident.children.count() == 2
    assert Notification.objects.count() == 2
    assert {n.school for n in Notification.objects.all()} == {world.school_a, world.school_b}
    assert not any(n.is_updated for n in Notification.objects.all())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.key_adult_a.email, world.key_adult_b.email])
