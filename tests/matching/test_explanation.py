"""A reviewer sees, field by field, why a pupil was proposed."""

from datetime import date

import pytest

from matching import score_candidate

from .people import BY_ID, recorded


def test_explanation_names_the_fields_that_agreed():
    candidate = score_candidate(recorded(1, first_name="Bill", dob=date(2015, 4, 3), sex=None), BY_ID[1])
    assert candidate.explanation["first_name"] == "nickname or variant"
    assert candidate.explanation["last_name"] == "agree strongly"
    assert candidate.explanation["dob"] == "swapped day and month"
    assert candidate.explanation["sex"] == "not recorded"
    assert candidate.explanation["address"] == "same address"


def test_explanation_shows_a_double_barrelled_part_and_a_typo():
    candidate = score_candidate(recorded(6, first_name="Aisah", last_name="Jones"), BY_ID[6])
    assert candidate.explanation["first_name"] == "typo"
    assert candidate.explanation["last_name"] == "one part of a double-barrelled name"


def test_explanation_says_when_names_were_read_the_other_way_round():
    candidate = score_candidate(recorded(9, first_name="Evans", last_name="Chloe"), BY_ID[9])
    assert candidate.explanation["order"] == "first and last name swapped"
    assert candidate.log_odds["order"] < 0


def test_score_is_the_sum_of_the_field_weights_shown():
    candidate = score_candidate(recorded(2, sex="M"), BY_ID[2])
    assert candidate.score == pytest.approx(sum(candidate.log_odds.values()))
    assert candidate.log_odds["sex"] < 0 < candidate.log_odds["dob"]


def test_missing_fields_weigh_nothing():
    candidate = score_candidate(recorded(2, dob=None, sex=None), BY_ID[2])
    assert candidate.log_odds["dob"] == 0 and candidate.log_odds["sex"] == 0


def test_address_disagreement_is_only_weak_evidence_against():
    candidate = score_candidate(recorded(2, address_line1="4 Hill Rise", postcode="S8 2FL"), BY_ID[2])
    assert -4 < candidate.log_odds["address"] < 0
