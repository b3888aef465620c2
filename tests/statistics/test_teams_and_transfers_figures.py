"""Teams and transfers have their own figures: notifications by recipient (schools, the home
education team, the early years team) and children who moved school; teams are not schools
in the coverage figure."""

import pytest
from django.urls import reverse

from notifications.models import Transfer, TransferStatus
from notifications.statistics.maintenance import notification_statistics_refresh
from schools.models import RecipientKind
from schools.services import la_team_create
from tests.conftest import signed_in
from tests.dashboard.helpers import notification_for
from tests.factories import EnrolmentFactory, PupilFactory

NOVEMBER = {"start": "2026-11-01", "end": "2026-11-30"}
DECEMBER = {"start": "2026-12-01", "end": "2026-12-31"}


def figure(client, user, key, params):
    response = signed_in(client, user).get(reverse("statistics_api:figure", args=[key]), params)
    assert response.status_code == 200, response.content
    return {row["label"]: row["cells"][0]["display"] for row in response.json()["rows"]}


@pytest.fixture
def team(world):
    return la_team_create(local_authority=world.la_a, kind=RecipientKind.HOME_EDUCATION)


def test_notifications_are_counted_by_recipient(client, world, team):
    made = [notification_for(world.school_a) for _ in range(6)] + [notification_for(team) for _ in range(7)]
    notification_statistics_refresh(notification_ids=[n.pk for n in made])
    rows = figure(client, world.analyst_a, "recipients", NOVEMBER)
    assert rows == {
        "Schools": "6",
        "Home education team": "7",
        "Early years team": "0",
        "All notifications": "13",
    }


def test_a_team_is_not_a_school_in_the_coverage(client, world):
    before = figure(client, world.analyst_a, "schools", NOVEMBER)
    la_team_create(local_authority=world.la_a, kind=RecipientKind.HOME_EDUCATION)
    la_team_create(local_authority=world.la_a, kind=RecipientKind.EARLY_YEARS)
    assert figure(client, world.analyst_a, "schools", NOVEMBER) == before


def transfer(world, to_school, routed_to):
    enrolment = EnrolmentFactory(pupil=PupilFactory(), school=to_school)
    return Transfer.objects.create(
        enrolment=enrolment, pupil=enrolment.pupil, from_school=world.school_b, to_school=to_school,
        status=TransferStatus.ROUTED, routed_to=routed_to,
    )  # fmt: skip


def test_transfers_are_counted_on_their_own_in_their_partnership(client, world):
    for _ in range(5):
        transfer(world, world.school_a, world.partnership_a)
    transfer(world, world.school_c, world.partnership_b)
    rows = figure(client, world.analyst_a, "transfers", DECEMBER)
    assert rows == {
        "History sent to the new school": "0",
        "New school not on Encompass: to the coordinator": "5",
        "All transfers": "5",
    }
    assert figure(client, world.analyst_b, "transfers", DECEMBER)["All transfers"] == "fewer than 5"
    assert figure(client, world.analyst_a, "summary", DECEMBER)["Notifications to schools"] == "0"
