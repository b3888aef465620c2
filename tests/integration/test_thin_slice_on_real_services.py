"""The thin slice on real PostgreSQL, Redis, a real Celery worker and a real SMTP sink."""

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationStatus
from tests.conftest import signed_in
from tests.services import eventually
from tests.slice.test_thin_slice import file_incident

pytestmark = pytest.mark.services


def test_an_incident_reaches_the_key_adult_by_email_and_dashboard(
    client, world, smtp_sink, celery_worker_process
):
    response = file_incident(client, world)
    assert response.status_code == 302

    messages = smtp_sink.wait_for(1)
    assert len(messages) == 1, celery_worker_process.log()
    message = messages[0]
    assert message["To"] == world.key_adult_a.email
    text = smtp_sink.text(message)
    assert "Chalkwell Primary School" in text
    for personal in ("Amelia", "Smith", "2016", "High Street", "SS1"):
        assert personal not in text
    assert "https://encompass.example/" in text

    delivered = eventually(lambda: Notification.objects.filter(status=NotificationStatus.DELIVERED).first())
    assert delivered is not None, celery_worker_process.log()
    inbox = signed_in(client, world.key_adult_a).get(reverse("notifications:inbox"))
    assert "Amelia Smith" in inbox.content.decode()
