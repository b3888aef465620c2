"""Fixtures for the matching tests: plain pytest, no Django settings needed."""

import pytest

from matching import InMemoryCandidateSource, match

from .people import PUPILS


@pytest.fixture
def census() -> InMemoryCandidateSource:
    return InMemoryCandidateSource(PUPILS)


@pytest.fixture
def find(census):
    return lambda child: match(child, census)


@pytest.fixture
def twin_in_review(world):
    """Ollie Taylor at the home of the twins Oliver and Olivia: in the review queue."""
    from incidents.models import MatchStatus
    from police.services import incident_submit
    from tests.factories import IncidentChildFactory, IncidentFactory

    from .census_db import census_store
    from .people import BY_ID

    stored = census_store(world.school_a)
    incident = IncidentFactory(force=world.force_a, address_line1="6 Chapel Lane", postcode="M20 5BU")
    child = IncidentChildFactory(
        incident=incident,
        first_name="Ollie",
        last_name="Taylor",
        dob=BY_ID[12].dob,
        sex="",
        known_school=world.school_a,
    )
    incident_submit(incident=incident, actor=world.officer_a)
    child.refresh_from_db()
    assert child.match_status == MatchStatus.REVIEW
    child.stored = stored
    return child
