"""Learning from the reviewers (issue 13, item 4): each person's decision is a labelled pair,
m is re-estimated from them as a new weights version, shown in the admin, and a version goes
live only when the development evaluation shows no wrong automatic match with it."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from encompass.models import Event
from incidents.match_services import child_return_to_review
from incidents.match_weights import development_evaluation, match_weights_activate, match_weights_propose
from incidents.models import LabelSource, MatchLabel, MatchWeightsVersion, WeightsStatus
from matching import compare as c
from matching.weights import DEFAULT_M, PRIOR_PAIRS, m_from_labels
from police.services import child_review_confirm, child_review_reject
from schools.census import weights_current, weights_path, weights_refresh
from tests.conftest import reauthenticated, signed_in

SAME = {
    "first_name": c.NICKNAME,
    "last_name": c.EXACT,
    "dob": c.EXACT,
    "sex": c.MISSING,
    "address": c.SAME_ADDRESS,
}


def test_m_from_no_decisions_is_the_prior_and_from_many_is_what_they_show():
    m, counts = m_from_labels([])
    assert m["first_name"] == pytest.approx(DEFAULT_M["first_name"])
    m, counts = m_from_labels([SAME] * (20 * PRIOR_PAIRS))
    assert counts["first_name"][c.NICKNAME] == 20 * PRIOR_PAIRS
    assert counts["sex"] == {level: 0 for level in DEFAULT_M["sex"]}  # unrecorded: not counted
    assert m["first_name"][c.NICKNAME] > 0.9
    assert m["sex"] == pytest.approx(DEFAULT_M["sex"])
    assert sum(m["first_name"].values()) == pytest.approx(1.0)


def test_a_confirmation_labels_the_chosen_pupil_the_same_child_and_the_others_not(world, twin_in_review):
    child = twin_in_review
    oliver = child.stored[12]
    child_review_confirm(child=child, pupil_id=oliver.pk, reason="Ollie is Oliver", actor=world.reviewer_a)
    labels = {label.pupil_id: label for label in MatchLabel.objects.filter(child=child)}
    assert labels[oliver.pk].same_child and labels[oliver.pk].source == LabelSource.REVIEWER_CONFIRMED
    others = [label for pk, label in labels.items() if pk != oliver.pk]
    assert others and all(not label.same_child for label in others)
    assert labels[oliver.pk].levels["first_name"] == c.NICKNAME
    assert all(label.labelled_by == world.reviewer_a for label in labels.values())


def test_a_rejection_labels_every_candidate_another_child(world, twin_in_review):
    child_review_reject(child=twin_in_review, reason="a cousin", actor=world.reviewer_a)
    labels = MatchLabel.objects.filter(child=twin_in_review)
    assert labels.count() >= 2
    assert not labels.filter(same_child=True).exists()
    assert set(labels.values_list("source", flat=True)) == {LabelSource.REVIEWER_REJECTED}


def _confirmed(world, twin_in_review):
    child_review_confirm(
        child=twin_in_review,
        pupil_id=twin_in_review.stored[12].pk,
        reason="Ollie is Oliver",
        actor=world.reviewer_a,
    )


def test_a_new_version_is_proposed_from_the_decisions_once(world, twin_in_review):
    assert match_weights_propose() is None  # no decisions yet
    _confirmed(world, twin_in_review)
    version = match_weights_propose()
    assert version.version == 1 and version.status == WeightsStatus.PROPOSED
    assert version.same_child_labels == 1 and version.other_child_labels >= 1
    assert version.decisions["first_name"][c.NICKNAME] == 1
    assert version.m["first_name"][c.NICKNAME] > DEFAULT_M["first_name"][c.NICKNAME]
    assert match_weights_propose() is None  # nothing new since
    assert Event.objects.filter(verb="match_weights.proposed").count() == 1


def test_a_version_with_a_wrong_automatic_match_is_refused_and_the_live_one_stays(world, twin_in_review):
    _confirmed(world, twin_in_review)
    first = match_weights_propose()
    match_weights_activate(version=first, evaluate=lambda m: {"generated": {"wrong_auto": 0}})
    assert json.loads(weights_path().read_text())["m_version"] == 1

    child_return_to_review(
        child=twin_in_review,
        school_urn=str(world.school_a.urn),
        reason="not ours",
        note="",
        actor=world.key_adult_a,
    )
    assert MatchLabel.objects.filter(source=LabelSource.SCHOOL_RETURNED, same_child=False).count() == 1
    second = match_weights_propose()
    refused = match_weights_activate(version=second, evaluate=lambda m: {"generated": {"wrong_auto": 1}})

    assert refused.status == WeightsStatus.REFUSED and refused.evaluation["generated"]["wrong_auto"] == 1
    first.refresh_from_db()
    assert first.status == WeightsStatus.LIVE
    assert json.loads(weights_path().read_text())["m_version"] == 1


def test_a_live_version_is_what_every_process_matches_with_and_survives_a_census_import(
    world, twin_in_review
):
    _confirmed(world, twin_in_review)
    version = match_weights_activate(
        version=match_weights_propose(),
        actor=world.admin,
        evaluate=lambda m: {"generated": {"wrong_auto": 0}},
    )
    assert version.status == WeightsStatus.LIVE and version.activated_by == world.admin
    assert weights_current().m["first_name"] == pytest.approx(version.m["first_name"])
    weights_refresh()  # import_pupils does this after each import
    assert weights_current().m["first_name"] == pytest.approx(version.m["first_name"])
    assert Event.objects.filter(verb="match_weights.activated").exists()


def test_the_development_evaluation_refuses_weights_that_would_guess():
    """An m learned upside down (near misses as how the same child looks, exact agreement as
    hardly any evidence): the gate itself finds its wrong matches. Taking near misses for the
    child alone is not enough: the decision's rules hold that line whatever m says."""
    upside_down = copy.deepcopy({name: dict(levels) for name, levels in DEFAULT_M.items()})
    near_misses = {
        "first_name": (c.NICKNAME, c.PHONETIC, c.CLOSE, c.MIDDLE, c.TYPO),
        "dob": (c.TYPO, c.CLOSE, c.SWAPPED_DAY_MONTH),
        "address": (c.DIFFERENT, c.SAME_SECTOR),
    }
    for name, level in [(name, level) for name, levels in near_misses.items() for level in levels]:
        upside_down[name][level] = 0.9
    for name, level in (("first_name", c.EXACT), ("dob", c.EXACT), ("address", c.SAME_ADDRESS)):
        upside_down[name][level] = 0.01
    figures = development_evaluation(upside_down, sets=("generated",))
    assert sum(figure["wrong_auto"] for figure in figures.values()) > 0
    assert development_evaluation(DEFAULT_M, sets=("febrl1",))["febrl1"]["wrong_auto"] == 0


def test_the_command_proposes_and_activates_through_the_gate(world, twin_in_review, capsys):
    _confirmed(world, twin_in_review)
    call_command("estimate_match_weights")
    assert "Weights version 1 proposed" in capsys.readouterr().out
    call_command("estimate_match_weights", "--activate", "1", "--sets", "febrl1")
    out = capsys.readouterr().out
    assert "febrl1: wrong_auto 0" in out and "Version 1 is live." in out
    assert MatchWeightsVersion.objects.get(version=1).status == WeightsStatus.LIVE
    with pytest.raises(CommandError, match="no weights version 7"):
        call_command("estimate_match_weights", "--activate", "7")


def test_the_admin_shows_each_fields_weights_with_the_decisions_behind_them(client, world, twin_in_review):
    _confirmed(world, twin_in_review)
    version = match_weights_propose()
    reauthenticated(signed_in(client, world.admin))
    html = client.get(
        reverse("admin:incidents_matchweightsversion_change", args=[version.pk])
    ).content.decode()
    assert "Confirmed pairs" in html and "nickname or variant" in html and "Not checked yet" in html
    assert client.get(reverse("admin:incidents_matchlabel_changelist")).status_code == 200
