"""A coordinator passes on an out-of-area child: to whom and how are recorded, and the police
see on the child's progress that it was passed on, to whom and when."""

from datetime import date

import pytest
from django.urls import reverse

from encompass.events import events_for
from incidents.models import MatchDecision, MatchStatus
from incidents.services import api_client_create
from police.services import incident_submit
from tests.conftest import signed_in
from tests.factories import (
    EnrolmentFactory,
    IncidentChildFactory,
    IncidentFactory,
    LocalAuthorityFactory,
    PupilFactory,
    SchoolFactory,
)


@pytest.fixture
def out_of_area(world):
    """A pupil of a Kent school (no partnership on Encompass), at an incident in Southend."""
    kent = LocalAuthorityFactory(code="886", name="Kent", partnership=None)
    pupil = PupilFactory(first_name="Jayden", last_name="Oyelaran-Pike", dob=date(2013, 6, 2), sex="M")
    EnrolmentFactory(pupil=pupil, school=SchoolFactory(local_authority=kent, name="Dover Grammar"))
    incident = IncidentFactory(force=world.force_a)
    child = IncidentChildFactory(
        incident=incident, first_name="Jayden", last_name="Oyelaran-Pike", dob=date(2013, 6, 2), sex="M",
        known_school=world.school_a,
    )  # fmt: skip
    incident_submit(incident=incident, actor=world.officer_a)
    child.refresh_from_db()
    assert child.match_status == MatchStatus.OUT_OF_AREA
    return MatchDecision.objects.get(child=child, is_current=True)


def page(decision):
    return reverse("routing:pass_on", args=[decision.pk])


def test_passing_on_records_to_whom_and_how_and_the_police_see_it(client, world, out_of_area):
    signed_in(client, world.coordinator_a)
    assert page(out_of_area) in client.get(reverse("routing:queue")).content.decode()
    data = {"passed_to": "Kent County Council, Operation Encompass lead", "passed_how": "secure_email"}
    response = client.post(page(out_of_area), data)
    assert response.status_code == 302
    out_of_area.refresh_from_db()
    assert out_of_area.passed_to == "Kent County Council, Operation Encompass lead"
    assert out_of_area.passed_how == "secure_email" and out_of_area.handled_by == world.coordinator_a
    event = events_for(out_of_area.child).get(verb="match.passed_on")
    assert event.actor == world.coordinator_a and "Kent" not in str(event.data)

    incident = out_of_area.child.incident
    signed_in(client, world.officer_a)
    change = client.get(reverse("police:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "passed on by Southend Safeguarding Partnership to Kent County Council" in change
    assert "secure e-mail" in change

    token = api_client_create(force=world.force_a, name="athena")[1]
    api = client.get(f"/api/v1/incidents/{incident.reference}/", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    passed = api["children"][0]["passed_on"]
    assert passed["to"] == "Kent County Council, Operation Encompass lead" and passed["how"] == "secure_email"
    assert passed["by"] == "Southend Safeguarding Partnership" and passed["at"]


def test_a_pass_on_without_whom_or_how_says_what_is_missing_and_changes_nothing(client, world, out_of_area):
    signed_in(client, world.coordinator_a)
    response = client.post(page(out_of_area), {"passed_to": " ", "passed_how": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_passed_to"' in body and "Enter who you passed it on to" in body
    assert 'href="#id_passed_how_0"' in body and "Select how you passed it on" in body
    response = client.post(page(out_of_area), {"passed_to": "Kent", "passed_how": "carrier_pigeon"})
    assert response.status_code == 400
    out_of_area.refresh_from_db()
    assert out_of_area.handled_at is None and out_of_area.passed_to == ""


def test_a_child_is_passed_on_once(client, world, out_of_area):
    signed_in(client, world.coordinator_a)
    client.post(page(out_of_area), {"passed_to": "Kent County Council", "passed_how": "phone"})
    client.post(page(out_of_area), {"passed_to": "Medway Council", "passed_how": "letter"})
    out_of_area.refresh_from_db()
    assert out_of_area.passed_to == "Kent County Council"
    assert events_for(out_of_area.child).filter(verb="match.passed_on").count() == 1


def test_nobody_but_that_partnerships_coordinator_may_pass_it_on(client, world, out_of_area):
    from encompass.models import Role
    from tests.factories import UserFactory

    for user in (
        world.officer_a,
        world.key_adult_a,
        UserFactory(role=Role.COORDINATOR, partnership=world.partnership_b),
    ):
        signed_in(client, user)
        assert client.get(page(out_of_area)).status_code == 404
        assert client.post(page(out_of_area), {"passed_to": "Kent", "passed_how": "phone"}).status_code == 404
    out_of_area.refresh_from_db()
    assert out_of_area.handled_at is None
