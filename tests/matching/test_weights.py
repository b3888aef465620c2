"""Weights are Fellegi-Sunter log-odds, tunable and measurable on the census."""

import math

import pytest

from matching import DEFAULT_WEIGHTS, Weights, estimate_u, score_candidate, weights_from_census
from matching.weights import DEFAULT_M, DEFAULT_U

from .people import BY_ID, PUPILS, recorded


def test_weight_is_log2_of_m_over_u():
    expected = math.log2(DEFAULT_M["dob"]["exact"] / DEFAULT_U["dob"]["exact"])
    assert DEFAULT_WEIGHTS.log_odds("dob", "exact") == pytest.approx(expected)


def test_agreement_weighs_for_and_disagreement_against():
    for field in ("first_name", "last_name", "dob", "sex"):
        assert DEFAULT_WEIGHTS.log_odds(field, "exact") > 0 > DEFAULT_WEIGHTS.log_odds(field, "disagree")


def test_u_estimated_from_the_census_sees_half_of_pairs_share_a_sex():
    u = estimate_u(PUPILS, pairs=4000, seed=1)
    assert 0.35 < u["sex"]["exact"] < 0.65
    assert u["dob"]["exact"] < 0.1


def test_a_common_surname_counts_for_less_than_a_rare_one():
    weights = weights_from_census(PUPILS, pairs=500)
    smith = score_candidate(recorded(1), BY_ID[1], weights).log_odds["last_name"]
    khan = score_candidate(recorded(7), BY_ID[7], weights).log_odds["last_name"]
    assert smith < khan


def test_weights_can_be_tuned_without_touching_the_matcher():
    lenient = {**DEFAULT_M, "address": {**DEFAULT_M["address"], "different": 0.5}}
    weights = Weights(m=lenient)
    away = recorded(2, address_line1="4 Hill Rise", postcode="S8 2FL")
    assert score_candidate(away, BY_ID[2], weights).score > score_candidate(away, BY_ID[2]).score


def test_a_small_census_never_lowers_the_thresholds_below_a_forces():
    assert Weights(pupils=14).prior_bits == Weights().prior_bits == 18
    assert Weights(pupils=2**20).prior_bits == 20


def test_the_stored_weights_are_read_again_when_they_change(settings, tmp_path):
    import os

    from schools.census import weights_current, weights_save

    assert weights_current() is DEFAULT_WEIGHTS  # nothing stored yet
    path = weights_save({"pupils": 2**20})
    assert weights_current().pupils == 2**20
    weights_save({"pupils": 2**21})
    os.utime(path, ns=(1, 1))  # a different modification time, however fast the disk
    assert weights_current().pupils == 2**21
