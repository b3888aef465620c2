"""The operations page: administrators see everything, a coordinator their partnership's
schools only, everyone else a 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from encompass.models import Heartbeat
from notifications.escalation import Step
from notifications.models import Notification
from tests.conftest import signed_in
from tests.delivery.makers import incidents_submitted

URL = reverse("notifications:operations")


@pytest.fixture
def overdue(world):
    [notification] = incidents_submitted(world, 1)
    Notification.objects.filter(pk=notification.pk).update(
        due_at=timezone.now() - timedelta(hours=2), escalation_step=Step.PHONE
    )
    return notification


def page(client, user):
    response = signed_in(client, user).get(URL)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("persona", ["officer_a", "reviewer_a", "key_adult_a", "analyst_a"])
def test_people_without_operations_duties_get_404(client, world, persona):
    assert page(client, getattr(world, persona))[0] == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_coordinator_sees_the_school_to_phone_with_no_childs_details(client, world, overdue):
    status, html = page(client, world.coordinator_a)
    assert status == 200
    assert "Phone the school" in html
    assert "Chalkwell Primary School" in html
    assert "Amelia" not in html and "Smith" not in html


def test_the_coordinator_does_not_see_another_partnerships_schools(client, world):
    world.school_c.key_adults.all().delete()
    status, html = page(client, world.coordinator_a)
    assert "Grays Primary School" not in html
    status, html = page(client, world.admin)
    assert "Grays Primary School" in html


def test_a_school_without_an_active_key_adult_is_flagged(client, world):
    world.school_b.key_adults.update(is_active=False)
    html = page(client, world.coordinator_a)[1]
    assert "Leigh Primary School" in html
    assert "no active Key Adult" in html


def test_a_key_adult_whose_alert_failed_is_shown_to_the_coordinator(client, world):
    world.key_adult_a.key_adult_roles.update(
        delivery_failed_at=timezone.now(), delivery_failure="Alert: SMTP 550"
    )
    html = page(client, world.coordinator_a)[1]
    assert world.key_adult_a.email in html
    assert "SMTP 550" in html
    assert "the last alert to every Key Adult failed" in html


def test_a_beat_that_has_gone_quiet_is_shown_as_such(client, world):
    Heartbeat.objects.create(name="beat", seen_at=timezone.now() - timedelta(minutes=10))
    Heartbeat.objects.create(name="worker@celery@host", seen_at=timezone.now())
    html = page(client, world.admin)[1]
    assert "Not seen recently" in html
    assert "Running" in html


def test_the_queue_depth_is_shown(client, world):
    html = page(client, world.admin)[1]
    assert "Tasks waiting in the queue" in html
    assert "Broker not answering" not in html
