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
