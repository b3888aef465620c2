"""An officer files a draft, submits it, amends it and withdraws it; the school sees each
step on the same notification, and every change is recorded."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from encompass.events import events_for
from incidents.models import Incident, IncidentChild, IncidentStatus, MatchStatus
from notifications.models import DeliveryAttempt, Notification, NotificationStatus
from tests.conftest import signed_in
from tests.factories import EnrolmentFactory, PupilFactory
from tests.incidents.conftest import CHILD, add_url, change_url, form_data


@pytest.fixture
def submitted(officer, world, eager_celery, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(add_url(), form_data(submit=True))
    assert response.status_code == 302
    return Incident.objects.get()


def amend(officer, incident, callbacks, *, existing=None, new_children=(), **fields):
    existing = incident.children.all() if existing is None else existing
    with callbacks(execute=True):
        response = officer.post(
            change_url(incident), form_data(existing=existing, children=new_children, **fields)
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def test_a_draft_is_not_shared_until_submitted(officer, world, eager_celery):
    officer.post(add_url(), form_data())
    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.DRAFT
    assert not Notification.objects.exists()
    assert incident.children.get().match_status == MatchStatus.PENDING


def test_an_incident_filed_in_the_officers_interface_records_its_creation(officer, world, eager_celery):
    officer.post(add_url(), form_data())
    incident = Incident.objects.get()
    created = [e for e in events_for(incident) if e.verb == "incident.created"]
    assert len(created) == 1
    assert created[0].actor == world.officer_a
    assert created[0].data["children_added"] == [incident.children.get().pk]


def test_submitting_matches_the_child_and_alerts_the_school(submitted, world):
    assert submitted.status == IncidentStatus.SUBMITTED
    notification = Notification.objects.get()
    assert notification.school == world.school_a
    assert [m.to for m in mail.outbox] == [[world.key_adult_a.email]]


def test_an_amendment_updates_the_same_notification_and_alerts_the_school(
    officer, submitted, world, django_capture_on_commit_callbacks
):
    amend(officer, submitted, django_capture_on_commit_callbacks, welfare_check="on")
    notification = Notification.objects.get()
    assert notification.is_updated
    assert DeliveryAttempt.objects.filter(notification=notification, purpose="update").count() == 1
    assert len(mail.outbox) == 2
    inbox = signed_in(officer, world.key_adult_a).get(reverse("notifications:inbox")).content.decode()
    assert "Updated" in inbox
    assert [e.verb for e in events_for(submitted)].count("incident.amended") == 1


def test_each_later_amendment_alerts_the_school_again(
    officer, submitted, world, django_capture_on_commit_callbacks
):
    amend(officer, submitted, django_capture_on_commit_callbacks, welfare_check="on")
    amend(officer, submitted, django_capture_on_commit_callbacks, voice_of_child="Said they were scared")
    notification = Notification.objects.get()
    assert notification.update_count == 2
    assert DeliveryAttempt.objects.filter(notification=notification, purpose="update").count() == 2
    assert len(mail.outbox) == 3


def test_saving_without_a_change_tells_nobody(officer, submitted, django_capture_on_commit_callbacks):
    amend(officer, submitted, django_capture_on_commit_callbacks)
    assert not Notification.objects.get().is_updated
    assert len(mail.outbox) == 1


def test_a_change_that_does_not_identify_the_child_keeps_the_match(
    officer, submitted, django_capture_on_commit_callbacks
):
    child = submitted.children.get()
    child.present = False
    amend(officer, submitted, django_capture_on_commit_callbacks, existing=[child])
    notification = Notification.objects.get()
    assert notification.is_updated
    assert [e.verb for e in events_for(child)].count("child.match_decided") == 1


def test_a_corrected_name_rematches_and_withdraws_a_school_that_no_longer_matches(
    officer, submitted, world, django_capture_on_commit_callbacks
):
    child = submitted.children.get()
    # Nobody in the census. (Under other names but born that very day at Amelia's home, the
    # child would be shown to a person: matching's test_born_that_day_at_home_under_other_names.)
    child.first_name, child.last_name, child.dob = "Zebedee", "Quill", date(2015, 1, 9)
    amend(officer, submitted, django_capture_on_commit_callbacks, existing=[child])
    child.refresh_from_db()
    assert child.match_status == MatchStatus.NO_MATCH
    assert Notification.objects.get().status == NotificationStatus.WITHDRAWN


def test_a_child_added_after_submission_notifies_that_childs_school(
    officer, submitted, world, django_capture_on_commit_callbacks
):
    sibling = PupilFactory(first_name="Oliver", last_name="Smith", dob="2014-02-03")
    EnrolmentFactory(pupil=sibling, school=world.school_b)
    amend(
        officer,
        submitted,
        django_capture_on_commit_callbacks,
        new_children=[{**CHILD, "first_name": "Oliver", "dob": "2014-02-03", "sex": "M"}],
    )
    assert Notification.objects.count() == 2
    assert Notification.objects.get(school=world.school_b).child.first_name == "Oliver"
    assert not Notification.objects.get(school=world.school_a).is_updated
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.key_adult_a.email, world.key_adult_b.email])


def test_a_child_cannot_be_deleted_after_submission(officer, submitted):
    data = form_data(existing=submitted.children.all(), children=[])
    data["children-0-DELETE"] = "on"
    officer.post(change_url(submitted), data)
    assert IncidentChild.objects.count() == 1


def test_withdrawal_needs_a_reason(officer, submitted):
    response = officer.post(reverse("police:incidents_incident_withdraw", args=[submitted.pk]), {})
    assert response.status_code == 400
    assert "Choose why the incident is being withdrawn" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == IncidentStatus.SUBMITTED


def test_withdrawal_removes_the_content_from_the_schools_view(
    client, officer, submitted, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            reverse("police:incidents_incident_withdraw", args=[submitted.pk]), {"reason": "entered_in_error"}
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == IncidentStatus.WITHDRAWN
    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.WITHDRAWN
    page = signed_in(client, world.key_adult_a).get(reverse("notifications:detail", args=[notification.pk]))
    assert "Withdrawn" in page.content.decode()
    assert "Amelia" not in page.content.decode()
    assert "incident.withdrawn" in [e.verb for e in events_for(submitted)]


def test_a_withdrawn_incident_cannot_be_changed(officer, submitted, world):
    officer.post(
        reverse("police:incidents_incident_withdraw", args=[submitted.pk]), {"reason": "wrong_address"}
    )
    officer.post(
        change_url(submitted), form_data(existing=submitted.children.all(), children=[], town="Leigh")
    )
    submitted.refresh_from_db()
    assert submitted.town == ""
    assert officer.get(reverse("police:incidents_incident_withdraw", args=[submitted.pk])).status_code == 404


def test_an_officer_of_another_force_cannot_withdraw(client, submitted, world):
    signed_in(client, world.officer_b)
    url = reverse("police:incidents_incident_withdraw", args=[submitted.pk])
    assert client.post(url, {"reason": "entered_in_error"}).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == IncidentStatus.SUBMITTED
