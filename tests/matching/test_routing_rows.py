"""A routed child's row says what a coordinator needs to act: age, last known school, the
address area, why it came here and what to do."""

from datetime import date

from django.urls import reverse

from incidents.models import MatchDecision, MatchStatus
from tests.conftest import signed_in
from tests.factories import IncidentChildFactory, IncidentFactory


def test_a_routed_row_gives_age_school_area_reason_and_what_to_do(client, world):
    incident = IncidentFactory(force=world.force_a, town="Southend-on-Sea", postcode="SS1 1AA")
    child = IncidentChildFactory(
        incident=incident,
        dob=date(2016, 5, 14),
        known_school=world.school_a,
        match_status=MatchStatus.OUT_OF_AREA,
    )
    MatchDecision.objects.create(
        child=child,
        outcome=MatchStatus.OUT_OF_AREA,
        reason="-",
        routed_to=world.partnership_a,
        route_reason="the pupil's school is in another area",
    )
    signed_in(client, world.coordinator_a)

    page = client.get(reverse("routing:queue")).content.decode()

    on = incident.occurred_at.date()
    assert f"Age {on.year - 2016 - ((on.month, on.day) < (5, 14))}" in page
    assert f"Last known school: {world.school_a.name}" in page
    assert "Area: Southend-on-Sea SS1" in page
    assert "The pupil&#x27;s school is in another area" in page
    assert (
        "What to do:</strong> Tell the Operation Encompass lead of the child&#x27;s local authority." in page
    )
