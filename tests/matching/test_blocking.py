"""Blocking keys: the right pupil is always among the candidates, and buckets stay small."""

from datetime import date

import pytest

from matching import InMemoryCandidateSource, child_blocking_keys, pupil_blocking_keys

from .people import BY_ID, PUPILS, recorded

ONE_MISTAKE = {
    "nickname": {"first_name": "Bill"},
    "first name typo": {"first_name": "Wiliam"},
    "last name typo": {"last_name": "Smiht"},
    "names swapped": {"first_name": "Smith", "last_name": "William"},
    "middle name as first": {"first_name": "James"},
    "dob typo": {"dob": date(2016, 3, 4)},
    "day and month swapped": {"dob": date(2015, 4, 3)},
    "dob missing": {"dob": None},
    "relative's address": {"address_line1": "4 Hill Rise", "postcode": "S8 2FL"},
}


@pytest.mark.parametrize("mistake", ONE_MISTAKE)
def test_child_with_one_mistake_still_shares_a_key_with_the_pupil(mistake):
    child = recorded(1, **ONE_MISTAKE[mistake])
    assert child_blocking_keys(child) & pupil_blocking_keys(BY_ID[1])


def test_no_key_is_a_bare_birth_year_surname_or_postcode():
    for key in pupil_blocking_keys(BY_ID[1]):
        kind, *parts = key.split(":")
        assert len(parts) >= 2 or kind == "u", key


def test_double_barrelled_surname_is_keyed_by_each_part():
    keys = pupil_blocking_keys(BY_ID[6])
    assert any(key.startswith("nn:patel:") for key in keys)
    assert any(key.startswith("nn:jones:") for key in keys)


def test_candidates_are_the_pupils_sharing_a_key():
    source = InMemoryCandidateSource(PUPILS)
    found = {p.id for p in source.candidates_for(child_blocking_keys(recorded(3)))}
    assert {3, 4} <= found  # the twins both come up; the decision separates them
    assert 10 not in found


def test_an_oversized_bucket_is_skipped_rather_than_read():
    source = InMemoryCandidateSource(PUPILS, max_bucket=1)
    keys = {
        key for key in pupil_blocking_keys(BY_ID[3]) if key.startswith("pl:")
    }  # the whole Smith household
    assert source.candidates_for(keys) == []
