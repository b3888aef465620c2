"""Matching a child recorded by the police to a census pupil. Pure Python: no Django here."""

from .decide import (
    DESCRIPTIONS,
    MATCHED,
    NO_MATCH,
    REVIEW,
    Candidate,
    Comparison,
    Decision,
    compare_pupil,
    match_child,
    match_compared,
    score_candidate,
    scored,
)
from .keys import child_blocking_keys, pupil_blocking_keys
from .records import ChildRecord, PupilRecord
from .sources import CandidateSource, InMemoryCandidateSource
from .weights import DEFAULT_WEIGHTS, Weights, estimate_u, weights_from_census


def match(child: ChildRecord, source: CandidateSource, *, weights: Weights | None = None) -> Decision:
    """Block, then score and decide: the whole match for one child."""
    return match_child(child, source.candidates_for(child_blocking_keys(child)), weights=weights)


__all__ = [
    "DEFAULT_WEIGHTS",
    "DESCRIPTIONS",
    "MATCHED",
    "NO_MATCH",
    "REVIEW",
    "Candidate",
    "CandidateSource",
    "ChildRecord",
    "Comparison",
    "Decision",
    "InMemoryCandidateSource",
    "PupilRecord",
    "Weights",
    "child_blocking_keys",
    "compare_pupil",
    "estimate_u",
    "match",
    "match_child",
    "match_compared",
    "pupil_blocking_keys",
    "score_candidate",
    "scored",
    "weights_from_census",
]
