from datetime import date

import pytest

from matching import InMemoryCandidateSource, child_blocking_keys
from schools.census import DatabaseCandidateSource

from .census_db import census_store
from .people import PUPILS, recorded

CHILDREN = [
    recorded(1),
    recorded(12, first_name="Ollie", sex=None),
    recorded(3, first_name="Freddie"),
    recorded(1, first_name="Thomas", dob=date(2009, 1, 17)),
    recorded(6, last_name="Patel"),
    recorded(7, dob=None, postcode=""),
]


@pytest.fixture
def stored(world):
    return census_store(world.school_a)


@pytest.mark.parametrize("child", CHILDREN, ids=lambda c: f"{c.first_name}-{c.last_name}")
def test_the_database_finds_the_same_candidates_as_memory(stored, child):
    keys = child_blocking_keys(child)
    in_memory = InMemoryCandidateSource(PUPILS).candidates_for(keys)
    in_database = DatabaseCandidateSource().candidates_for(keys)
    assert sorted(p.upn for p in in_database) == sorted(p.upn for p in in_memory)
    assert {p.upn: p for p in in_database} == {
        p.upn: p.__class__(**{**p.__dict__, "id": stored[p.id].pk}) for p in in_memory
    }


def test_a_key_shared_by_too_many_pupils_is_skipped(stored, django_assert_num_queries):
    keys = child_blocking_keys(recorded(3))  # the Smith household shares many keys
    with django_assert_num_queries(1):
        capped = DatabaseCandidateSource(max_bucket=1).candidates_for(keys)
    assert sorted(p.upn for p in capped) == sorted(
        p.upn for p in InMemoryCandidateSource(PUPILS, max_bucket=1).candidates_for(keys)
    )
    assert len(capped) < len(DatabaseCandidateSource().candidates_for(keys))


def test_many_children_at_once_find_what_each_finds_alone(stored, django_assert_num_queries):
    """match_children's chunk: one query on PostgreSQL, one per child on SQLite; the same pupils
    either way, an oversized bucket skipped per child, a child with no keys finding nobody."""
    from django.db import connection

    key_sets = [child_blocking_keys(child) for child in CHILDREN] + [set()]
    for max_bucket in (500, 1):
        source = DatabaseCandidateSource(max_bucket=max_bucket)
        alone = [source.candidates_for(keys) for keys in key_sets]
        queries = 1 if connection.vendor == "postgresql" else len(key_sets) - 1
        with django_assert_num_queries(queries):
            together = source.candidates_for_many(key_sets)
        assert together == alone
    assert together[-1] == []
