"""Every child reaches someone: a child on a local authority's register of children educated
at home (or missing education) is told to that authority's team, and an under-five to the
early years team of a partnership that opted in. A team works like a school."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse

from encompass.events import events_for
from encompass.london import LONDON
from encompass.models import Role
from incidents.models import MatchDecision, MatchStatus
from notifications.models import DeliveryAttempt, Notification, NotificationStatus, SupportAction
from police.services import incident_submit
from schools.calendar import is_bank_holiday, next_school_day_start
from schools.models import RecipientKind, RegisteredChild, RegisterStatus, TermPeriod, TermPeriodKind
from schools.services import la_team_create
from tests.conftest import signed_in
from tests.factories import (
    EnrolmentFactory,
    IncidentChildFactory,
    IncidentFactory,
    KeyAdultFactory,
    PupilFactory,
    UserFactory,
)

HOME = {"address_line1": "4 Marine Parade", "postcode": "SS1 2EJ"}


@pytest.fixture
def team(world):
    """Southend's home education team, with one member."""
    team = la_team_create(local_authority=world.la_a, kind=RecipientKind.HOME_EDUCATION)
    team.member = KeyAdultFactory(school=team).user
    return team


def on_register(world, *, start=date(2025, 9, 1), end=None, **fields):
    values = {
        "local_authority": world.la_a,
        "child_id": "EHE-0042",
        "first_name": "Noah",
        "last_name": "Featherstonehaugh",
        "dob": date(2015, 3, 9),
        "sex": "M",
        "status": RegisterStatus.HOME_EDUCATION,
        "start_date": start,
        "end_date": end,
        **HOME,
    }
    return RegisteredChild.objects.create(**(values | fields))


def submit(world, *, occurred_at=None, **child):
    incident = IncidentFactory(
        force=world.force_a, occurred_at=occurred_at or datetime(2026, 11, 27, 21, 30, tzinfo=LONDON), **HOME
    )
    values = {"first_name": "Noah", "last_name": "Featherstonehaugh", "dob": date(2015, 3, 9), "sex": "M"}
    # The school police named places the incident in Southend's area (a hint, never the answer).
    child = IncidentChildFactory(incident=incident, known_school=world.school_a, **(values | child))
    incident_submit(incident=incident, actor=world.officer_a)
    child.refresh_from_db()
    return child


def test_a_child_on_the_home_education_register_reaches_the_authoritys_team(world, team):
    entry = on_register(world)
    child = submit(world)
    assert child.match_status == MatchStatus.MATCHED
    assert child.school == team and child.registered_child == entry and child.pupil is None
    notification = Notification.objects.get(child=child)
    assert notification.school == team
    # The same alert as a school's: one queued e-mail to the member, with no personal data.
    attempt = DeliveryAttempt.objects.get(notification=notification)
    assert attempt.recipient == team.member
    decision = MatchDecision.objects.get(child=child, is_current=True)
    assert decision.registered_child == entry and "register" in decision.reason
    assert decision.candidates[0]["registered_child"] == entry.pk and "pupil" not in decision.candidates[0]
    assert events_for(child).filter(verb="child.match_decided").exists()


def test_the_team_member_signs_in_acknowledges_and_logs_support(client, world, team):
    on_register(world)
    child = submit(world)
    notification = Notification.objects.get(child=child)
    signed_in(client, team.member)
    assert "Noah" in client.get(reverse("notifications:inbox")).content.decode()
    page = client.get(reverse("notifications:detail", args=[notification.pk])).content.decode()
    assert "Featherstonehaugh" in page and "This child is not known to us" in page
    assert events_for(notification).filter(verb="notification.viewed", actor=team.member).exists()
    client.post(reverse("notifications:acknowledge", args=[notification.pk]))
    notification.refresh_from_db()
    assert (
        notification.status == NotificationStatus.ACKNOWLEDGED and notification.acknowledged_by == team.member
    )
    response = client.post(
        reverse("notifications:support_add", args=[notification.pk]),
        {"given_on": "30/11/2026", "kind": "early_help", "note": "Home visit by the EHE adviser"},
    )
    assert response.status_code in (200, 302)
    assert SupportAction.objects.get(notification=notification).created_by == team.member
    # A school's Key Adult sees nothing of it.
    signed_in(client, world.key_adult_a)
    assert client.get(reverse("notifications:detail", args=[notification.pk])).status_code == 404


def test_a_teams_deadline_is_the_next_working_day_not_the_next_school_day(world, team):
    """Southend's schools are on holiday all week: the team still works on Monday."""
    TermPeriod.objects.create(
        local_authority=world.la_a,
        kind=TermPeriodKind.TERM,
        starts_on=date(2026, 9, 1),
        ends_on=date(2027, 7, 20),
    )
    TermPeriod.objects.create(
        local_authority=world.la_a,
        kind=TermPeriodKind.HOLIDAY,
        starts_on=date(2026, 11, 30),
        ends_on=date(2026, 12, 4),
    )
    on_register(world)
    child = submit(world)
    notification = Notification.objects.get(child=child)
    due = notification.due_at.astimezone(LONDON)
    day = notification.created_at.astimezone(LONDON).date()
    while (
        day.weekday() >= 5
        or is_bank_holiday(day)
        or datetime.combine(day, time(9, 0), tzinfo=LONDON) <= notification.created_at
    ):
        day += timedelta(days=1)
    assert (due.date(), due.time()) == (day, time(9, 0))
    if date(2026, 11, 30) <= day <= date(2026, 12, 4):
        assert next_school_day_start(world.school_a, notification.created_at) > notification.due_at
    assert not DeliveryAttempt.objects.filter(notification=notification, address__gt="").exists()


def test_a_child_whose_register_entry_ended_before_the_incident_is_not_the_teams(world, team):
    on_register(world, start=date(2024, 9, 1), end=date(2025, 7, 18))
    child = submit(world)
    assert child.match_status == MatchStatus.NO_MATCH
    assert not Notification.objects.exists()


def test_a_registered_child_also_in_the_census_goes_to_the_team_while_on_the_register(world, team):
    pupil = PupilFactory(
        first_name="Noah", last_name="Featherstonehaugh", dob=date(2015, 3, 9), sex="M", **HOME
    )
    EnrolmentFactory(pupil=pupil, school=world.school_a, entry_date=date(2022, 9, 1))
    on_register(world)
    child = submit(world)
    assert child.school == team
    assert not Notification.objects.filter(school=world.school_a).exists()


def test_an_uncertain_register_match_goes_to_review_and_a_reviewer_can_send_it_to_the_team(
    client, world, team, django_capture_on_commit_callbacks
):
    entry = on_register(world)
    child = submit(world, first_name="N", sex="")
    assert child.match_status == MatchStatus.REVIEW
    assert not Notification.objects.exists()
    signed_in(client, world.reviewer_a)
    page = reverse("police:review_child", args=[child.pk])
    assert "register" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks():
        response = client.post(
            page, {"decision": f"register-{entry.pk}", "reason": "The EHE officer knows him"}
        )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.match_status == MatchStatus.MATCHED and child.registered_child == entry
    assert Notification.objects.get(child=child).school == team


def test_a_register_child_of_an_authority_without_a_team_goes_to_its_coordinator(world):
    on_register(world)
    child = submit(world)
    assert child.match_status == MatchStatus.HOME_EDUCATED
    decision = MatchDecision.objects.get(child=child, is_current=True)
    assert decision.routed_to == world.partnership_a and "home education team" in decision.route_reason
    assert not Notification.objects.exists()


# --- under-fives --------------------------------------------------------------------------


@pytest.fixture
def early_years(world):
    team = la_team_create(local_authority=world.la_a, kind=RecipientKind.EARLY_YEARS)
    KeyAdultFactory(school=team)
    return team


def test_an_under_five_in_a_partnership_that_opted_in_reaches_its_early_years_team(world, early_years):
    world.partnership_a.early_years_opt_in = True
    world.partnership_a.save()
    child = submit(world, first_name="Isla", dob=date(2023, 6, 1))
    assert child.match_status == MatchStatus.MATCHED and child.school == early_years
    assert Notification.objects.get(child=child).school == early_years


def test_an_under_five_in_a_partnership_that_did_not_opt_in_goes_to_the_coordinator(world, early_years):
    child = submit(world, first_name="Isla", dob=date(2023, 6, 1))
    assert child.match_status == MatchStatus.NOT_SCHOOL_AGE
    assert not Notification.objects.exists()
    assert MatchDecision.objects.get(child=child, is_current=True).routed_to == world.partnership_a


def test_a_seventeen_year_old_is_not_the_early_years_teams(world, early_years):
    world.partnership_a.early_years_opt_in = True
    world.partnership_a.save()
    child = submit(world, dob=date(2008, 1, 1))
    assert child.match_status == MatchStatus.NOT_SCHOOL_AGE


# --- teams on the coordinator's pages -------------------------------------------------------


def test_the_coordinator_manages_the_teams_members_on_the_key_adult_pages(client, world, team):
    signed_in(client, world.coordinator_a)
    schools_page = client.get(reverse("schools:schools", args=[world.partnership_a.pk])).content.decode()
    assert team.name in schools_page
    url = reverse("schools:key_adult_add", args=[world.partnership_a.pk, team.urn])
    response = client.post(
        url,
        {
            "email": "ehe.adviser@southend.gov.uk",
            "full_name": "Priya Shah",
            "role": "deputy",
            "alert_by": "email",
        },
    )
    assert response.status_code == 302
    assert team.key_adults.filter(
        user__email="ehe.adviser@southend.gov.uk", user__role=Role.KEY_ADULT
    ).exists()


def test_creating_a_team_again_changes_nothing_and_is_an_event_once(world):
    first = la_team_create(local_authority=world.la_a, kind=RecipientKind.HOME_EDUCATION)
    again = la_team_create(local_authority=world.la_a, kind=RecipientKind.HOME_EDUCATION)
    assert first == again and first.urn == 900_882_001 and first.participating
    assert events_for(first).filter(verb="la_team.created").count() == 1


def test_an_officer_cannot_be_made_a_team_member(client, world, team):
    signed_in(client, world.coordinator_a)
    officer = UserFactory(role=Role.OFFICER, force=world.force_a)
    url = reverse("schools:key_adult_add", args=[world.partnership_a.pk, team.urn])
    response = client.post(
        url, {"email": officer.email, "full_name": "X", "role": "dsl", "alert_by": "email"}
    )
    assert response.status_code == 400
    assert not team.key_adults.filter(user=officer).exists()
