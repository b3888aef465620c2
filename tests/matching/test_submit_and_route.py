"""Matching through the officer's submit path, and where each child not matched is routed."""

from datetime import date

import pytest

from encompass.events import events_for
from incidents.models import MatchDecision, MatchStatus
from notifications.models import Notification
from police.services import incident_file, incident_submit
from tests.conftest import signed_in
from tests.factories import (
    EnrolmentFactory,
    IncidentChildFactory,
    IncidentFactory,
    LocalAuthorityFactory,
    PupilFactory,
    SchoolFactory,
)

from .census_db import census_store
from .people import BY_ID

OAK_ROAD = {"address_line1": "12 Oak Road", "postcode": "SS1 4AB"}


@pytest.fixture
def stored(world):
    return census_store(world.school_a)


def submit(world, *, incident=None, **child):
    incident = incident or IncidentFactory(force=world.force_a, **OAK_ROAD)
    child = IncidentChildFactory(incident=incident, **child)
    incident_submit(incident=incident, actor=world.officer_a)
    child.refresh_from_db()
    return child


def test_a_twin_recorded_by_a_nickname_goes_to_review_and_no_school_is_told(world, stored):
    twin = BY_ID[12]
    child = submit(world, first_name="Ollie", last_name=twin.last_name, dob=twin.dob, sex="")
    assert child.match_status == MatchStatus.REVIEW
    assert not Notification.objects.exists()
    decision = MatchDecision.objects.get(child=child, is_current=True)
    assert {cand["pupil"] for cand in decision.candidates} == {stored[12].pk, stored[13].pk}
    assert decision.decided_by is None and decision.reason


def test_an_absent_look_alike_gets_no_notification(world, stored):
    smith = BY_ID[1]
    child = submit(world, first_name="Thomas", last_name=smith.last_name, dob=date(2014, 1, 17), sex="M")
    assert child.match_status == MatchStatus.NO_MATCH
    assert not Notification.objects.exists()
    assert child.pupil is None


def test_a_clear_match_notifies_the_school_and_keeps_the_score_and_candidates(world, stored):
    child = submit(world, first_name="Olivia", last_name="Smith", dob=BY_ID[2].dob, sex="F")
    assert child.match_status == MatchStatus.MATCHED
    assert Notification.objects.get().school == world.school_a
    decision = MatchDecision.objects.get(child=child)
    assert decision.score == child.match_score > 24
    assert decision.candidates[0]["levels"]["first_name"] == "exact"


def test_the_decision_event_carries_ids_only(world, stored):
    child = submit(world, first_name="Olivia", last_name="Smith", dob=BY_ID[2].dob, sex="F")
    event = events_for(child).get(verb="child.match_decided")
    assert "Olivia" not in str(event.data) and "Smith" not in str(event.data)


def test_a_toddler_is_routed_as_not_of_school_age_to_the_area_of_the_named_school(world):
    child = submit(world, dob=date(2024, 1, 1), known_school=world.school_b)
    assert child.match_status == MatchStatus.NOT_SCHOOL_AGE
    decision = MatchDecision.objects.get(child=child)
    assert decision.routed_to == world.partnership_a
    assert "not of school age" in decision.route_reason


def test_a_pupil_of_a_school_not_participating_is_routed_to_that_schools_partnership(world):
    school = SchoolFactory(local_authority=world.la_b, participating=False, joined_on=None)
    pupil = PupilFactory(first_name="Mia", last_name="Zielinska", dob=date(2015, 2, 2))
    EnrolmentFactory(pupil=pupil, school=school)
    child = submit(world, first_name="Mia", last_name="Zielinska", dob=date(2015, 2, 2))
    assert child.match_status == MatchStatus.NOT_PARTICIPATING
    assert MatchDecision.objects.get(child=child).routed_to == world.partnership_b
    assert not Notification.objects.exists()


def test_a_pupil_of_a_school_in_an_area_without_encompass_is_out_of_area(world):
    elsewhere = SchoolFactory(
        local_authority=LocalAuthorityFactory(code="330", name="Birmingham", partnership=None)
    )
    pupil = PupilFactory(first_name="Mia", last_name="Zielinska", dob=date(2015, 2, 2))
    EnrolmentFactory(pupil=pupil, school=elsewhere)
    child = submit(
        world, first_name="Mia", last_name="Zielinska", dob=date(2015, 2, 2), known_school=world.school_a
    )
    assert child.match_status == MatchStatus.OUT_OF_AREA
    decision = MatchDecision.objects.get(child=child)
    assert decision.school == elsewhere and decision.routed_to == world.partnership_a
    assert not Notification.objects.exists()


def test_no_match_is_routed_by_the_postcode_of_the_incident(world):
    SchoolFactory(local_authority=world.la_b, postcode="RM17 6DP")
    incident = IncidentFactory(force=world.force_a, address_line1="3 Quay Street", postcode="RM17 5AA")
    child = submit(world, incident=incident, first_name="Nobody", last_name="Known")
    assert child.match_status == MatchStatus.NO_MATCH
    decision = MatchDecision.objects.get(child=child)
    assert decision.routed_to == world.partnership_b
    assert "postcode" in decision.route_reason


NOWHERE = {"address_line1": "", "postcode": ""}  # no postcode, no school named


def test_a_child_with_no_area_goes_to_the_partnership_the_force_names(world):
    world.force_a.unplaced_partnership = world.partnership_b
    world.force_a.save()
    incident = IncidentFactory(force=world.force_a, **NOWHERE)
    child = submit(world, incident=incident, first_name="Nobody", last_name="Known")
    decision = MatchDecision.objects.get(child=child)
    assert child.match_status == MatchStatus.NO_MATCH
    assert decision.routed_to == world.partnership_b
    assert "no postcode" in decision.route_reason and "children with no area" in decision.route_reason


def test_a_child_no_partnership_takes_is_shown_to_the_forces_reviewers_and_flagged(world, client):
    incident = IncidentFactory(force=world.force_a, reference="42/999999/26", **NOWHERE)
    child = submit(world, incident=incident, first_name="Nobody", last_name="Known")
    assert MatchDecision.objects.get(child=child).routed_to is None
    page = signed_in(client, world.reviewer_a).get("/police/review/").content.decode()
    assert "Children no partnership could take" in page and "42/999999/26" in page
    operations = signed_in(client, world.admin).get("/operations/").content.decode()
    assert "Essex Police: 1 child waiting with no coordinator" in operations

    # The force's reviewers add the postcode: the child is placed at once.
    SchoolFactory(local_authority=world.la_b, postcode="RM17 6DP")
    incident.refresh_from_db()
    incident.postcode = "RM17 5AA"
    incident_file(incident=incident, fields=["postcode"], actor=world.reviewer_a)
    decision = MatchDecision.objects.get(child=child, is_current=True)
    assert decision.routed_to == world.partnership_b
    page = signed_in(client, world.reviewer_a).get("/police/review/").content.decode()
    assert "42/999999/26" not in page
