"""What officers see: their own force's incidents, searchable, and how far each child's
notification has got (matched, delivered, viewed, acknowledged); never the school's support log."""

from datetime import date

import pytest
from django.urls import reverse

from incidents.models import Incident
from notifications.models import Notification
from notifications.services import notification_acknowledge, notification_view, support_action_add
from tests.conftest import signed_in
from tests.factories import IncidentChildFactory, IncidentFactory
from tests.incidents.conftest import add_url, change_url, form_data

LIST = reverse("police:incidents_incident_changelist")


@pytest.fixture
def filed(officer, world, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(add_url(), form_data(submit=True))
    return Incident.objects.get()


def test_the_officer_sees_the_childs_progress_step_by_step(officer, filed, world):
    assert "Matched (Chalkwell Primary School); Delivered" in officer.get(change_url(filed)).content.decode()
    notification = Notification.objects.get()
    notification_view(notification=notification, user=world.key_adult_a, ip_address=None)
    assert "Viewed" in officer.get(change_url(filed)).content.decode()
    notification_acknowledge(notification=notification, user=world.key_adult_a, ip_address=None)
    assert "Acknowledged" in officer.get(change_url(filed)).content.decode()


def test_the_officer_never_sees_the_schools_support_log(officer, filed, world):
    notification = Notification.objects.get()
    support_action_add(
        notification=notification,
        user=world.key_adult_a,
        given_on=date(2026, 11, 28),
        kind="pastoral",
        note="Spoke with Amelia at break time",
    )
    for url in (change_url(filed), LIST):
        page = officer.get(url).content.decode()
        assert "Spoke with Amelia" not in page
        assert "Pastoral" not in page


def test_a_child_in_review_or_without_a_match_says_so(officer, world):
    incident = IncidentFactory(force=world.force_a, status="submitted")
    IncidentChildFactory(incident=incident, first_name="Zebedee", match_status="no_match")
    IncidentChildFactory(incident=incident, first_name="Twin", match_status="review")
    page = officer.get(change_url(incident)).content.decode()
    assert "No match; No notification" in page
    assert "Needs review; No notification" in page


def test_the_list_is_searchable_by_reference_and_child(officer, world):
    mine = IncidentFactory(force=world.force_a, reference="42/222222/26")
    IncidentChildFactory(incident=mine, first_name="Ruby", last_name="Jones")
    IncidentFactory(force=world.force_a, reference="42/333333/26")
    by_name = officer.post(LIST, {"q": "Jones", "_search": "Search"}, follow=True)
    assert by_name.redirect_chain == [(LIST, 302)]
    page = by_name.content.decode()
    assert "42/222222/26" in page and "42/333333/26" not in page
    assert 'value="Jones"' in page
    page = officer.post(LIST, {"q": "42/333333", "_search": "Search"}, follow=True).content.decode()
    assert "42/333333/26" in page and "42/222222/26" not in page
    cleared = officer.post(LIST, {"q": "42/333333", "_search": "1", "_clear": "Clear"}, follow=True)
    assert "42/222222/26" in cleared.content.decode()


def test_a_name_in_the_url_is_dropped_not_searched(officer, world):
    IncidentFactory(force=world.force_a, reference="42/222222/26")
    response = officer.get(LIST, {"q": "Jones", "status__exact": "draft"})
    assert response.status_code == 302
    assert "Jones" not in response.url and "status__exact=draft" in response.url


def test_an_officer_sees_only_their_own_forces_incidents(client, world):
    theirs = IncidentFactory(force=world.force_b, reference="42/444444/26")
    signed_in(client, world.officer_a)
    client.post(LIST, {"q": "42/444444", "_search": "Search"})
    assert "42/444444/26" not in client.get(LIST).content.decode()
    response = client.get(change_url(theirs))
    assert response.status_code in (302, 404)
    assert (
        "42/444444/26"
        not in client.get(response.url if response.status_code == 302 else LIST).content.decode()
    )


def test_a_key_adult_cannot_reach_the_police_site(client, world, filed):
    signed_in(client, world.key_adult_a)
    assert client.get(change_url(filed)).status_code == 404
