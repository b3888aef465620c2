"""Fellegi-Sunter weights: for each field and level, log2(m / u).

m = P(level | same child), u = P(level | two different children). A level's log-odds is how
many times likelier (in powers of two) the observed agreement is for the same child than for
a stranger; a candidate's score is the sum over fields. Missing or unusable values weigh 0.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from . import compare as c
from . import normalise as norm
from .records import ChildRecord, PupilRecord

NEUTRAL_LEVELS = frozenset({c.MISSING, c.INVALID})

# m: how often the same child's record shows each level. Chosen from the error rates officers
# make in practice (most fields right, a few per cent of each kind of slip); conservative on
# disagreement so that one wrong field does not rule out the right child.
DEFAULT_M: Mapping[str, Mapping[str, float]] = {
    "upn": {c.EXACT: 0.97, c.DISAGREE: 0.03},
    "first_name": {
        c.EXACT: 0.82,
        c.NICKNAME: 0.05,
        c.TYPO: 0.05,
        c.PHONETIC: 0.02,
        c.CLOSE: 0.015,
        c.MIDDLE: 0.02,
        c.INITIAL: 0.005,
        c.DISAGREE: 0.02,
    },
    "last_name": {
        c.EXACT: 0.83,
        c.PART: 0.04,
        c.TYPO: 0.05,
        c.PHONETIC: 0.025,
        c.CLOSE: 0.015,
        c.DISAGREE: 0.04,
    },
    "dob": {c.EXACT: 0.88, c.SWAPPED_DAY_MONTH: 0.03, c.TYPO: 0.06, c.CLOSE: 0.01, c.DISAGREE: 0.02},
    "sex": {c.EXACT: 0.96, c.DISAGREE: 0.04},
    # Children are often recorded at a relative's address: disagreement is weak evidence only.
    "address": {
        c.SAME_ADDRESS: 0.70,
        c.SAME_POSTCODE: 0.04,
        c.SAME_STREET: 0.02,
        c.FORMER_ADDRESS: 0.04,
        c.SAME_SECTOR: 0.04,
        c.DIFFERENT: 0.16,
    },
    # Not an observed agreement but a cost: reading the names the other way round is a stretch.
    "order": {c.USUAL: 0.98, c.SWAPPED: 0.02},
}

# u: how often two different pupils show each level, national scale. estimate_u() replaces
# these with figures measured on the census actually loaded.
DEFAULT_U: Mapping[str, Mapping[str, float]] = {
    "upn": {c.EXACT: 1e-7, c.DISAGREE: 1.0},
    "first_name": {
        c.EXACT: 0.004,
        c.NICKNAME: 0.003,
        c.TYPO: 0.001,
        c.PHONETIC: 0.002,
        c.CLOSE: 0.004,
        c.MIDDLE: 0.004,
        # An initial is recorded as rarely for a stranger as for the child (m's 0.005), and then
        # starts a stranger's name about one time in sixteen.
        c.INITIAL: 0.0003,
        c.DISAGREE: 0.982,
    },
    "last_name": {
        c.EXACT: 0.0015,
        c.PART: 0.0003,
        c.TYPO: 0.0005,
        c.PHONETIC: 0.002,
        c.CLOSE: 0.002,
        c.DISAGREE: 0.9937,
    },
    "dob": {c.EXACT: 0.0002, c.SWAPPED_DAY_MONTH: 0.00005, c.TYPO: 0.006, c.CLOSE: 0.03, c.DISAGREE: 0.964},
    "sex": {c.EXACT: 0.5, c.DISAGREE: 0.5},
    "address": {
        c.SAME_ADDRESS: 1e-6,
        c.SAME_POSTCODE: 2e-5,
        c.SAME_STREET: 2e-6,
        c.FORMER_ADDRESS: 2e-7,
        c.SAME_SECTOR: 0.0005,
        c.DIFFERENT: 0.9995,
    },
    "order": {c.USUAL: 0.98, c.SWAPPED: 0.98},
}

# Fields whose u is a property of the population, so estimate_u() measures them.
MEASURED_FIELDS = ("first_name", "last_name", "dob", "sex", "address")
# Levels a census pair never shows (a census records no initials): their u stays the default.
UNMEASURED_LEVELS = frozenset({c.INITIAL})


# A name unique in this census may not be unique among the children it lacks: never count
# an exact name as rarer than this.
MIN_NAME_SHARE = 1e-5
FREQUENCY_FIELDS = ("first_name", "last_name")
# The census the weights describe, until estimate_match_weights has counted the real one:
# about one police force's area (Essex has some 250,000 pupils).
DEFAULT_PUPILS = 2**18
# A match is judged against the census loaded, down to this size (about one local authority's
# primary schools); review against a force's census (DEFAULT_PUPILS), so that a small census
# never puts look-alikes before a person that a full one would keep from them.
MIN_MATCH_PUPILS = 2**14


@dataclass(frozen=True)
class Weights:
    m: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: DEFAULT_M)
    u: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: DEFAULT_U)
    # field -> folded name -> share of pupils with it. Agreeing on Smith is weaker evidence
    # than agreeing on Zieliński: an exact name weighs log2(m / its share), not the average u.
    name_shares: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    # How many pupils the census holds: the prior odds against any one of them being the child.
    pupils: int = DEFAULT_PUPILS
    table: dict[tuple[str, str], float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Precomputed once: scoring is a dictionary look-up per field.
        table = {
            (f, level): math.log2(m / self.u[f][level]) for f, ms in self.m.items() for level, m in ms.items()
        }
        table.update({(f, level): 0.0 for f in self.m for level in NEUTRAL_LEVELS})
        object.__setattr__(self, "table", table)

    def log_odds(self, field_name: str, level: str, value: str = "") -> float:
        """The weight of one field's level; for an exact name, of that particular name."""
        if level in NEUTRAL_LEVELS:
            return 0.0
        if value and level == c.EXACT and field_name in self.name_shares:
            share = self.name_shares[field_name].get(value)
            if share is not None:
                return math.log2(self.m[field_name][level] / max(share, MIN_NAME_SHARE))
        return self.table[(field_name, level)]

    @property
    def match_prior_bits(self) -> float:
        """The prior odds a match must overcome: log2 of the census actually loaded, as Splink's
        prior is, but never below a census of MIN_MATCH_PUPILS, where u and the name shares
        are measured on too few pupils to trust further."""
        return math.log2(max(self.pupils, MIN_MATCH_PUPILS))

    @property
    def prior_bits(self) -> float:
        """log2 of the census size, as review weighs it: the evidence needed just to make one
        pupil as likely as not. Never less than for a force's census."""
        return math.log2(max(self.pupils, DEFAULT_PUPILS))

    def bearers(self, field_name: str, name: str) -> float:
        """The share of pupils bearing this (folded) name, 0 when no pupil does."""
        return self.name_shares.get(field_name, {}).get(name, 0.0)


DEFAULT_WEIGHTS = Weights()


def estimate_u(
    pupils: Sequence[PupilRecord], *, pairs: int = 200_000, seed: int = 0
) -> dict[str, dict[str, float]]:
    """u measured on the census: how often a random pair of different pupils shows each level."""
    rng = random.Random(seed)
    counts = {name: Counter() for name in MEASURED_FIELDS}
    for _ in range(pairs):
        a, b = rng.sample(range(len(pupils)), 2)
        levels = c.field_levels(as_recorded(pupils[a]), pupils[b])
        for name in MEASURED_FIELDS:
            counts[name][levels[name]] += 1
    return {name: _smoothed(counts[name], DEFAULT_U[name], pairs) for name in MEASURED_FIELDS}


def _smoothed(counts: Counter, levels: Mapping[str, float], pairs: int) -> dict[str, float]:
    # Half a pair for a level never seen: rare is not impossible.
    return {
        level: default if level in UNMEASURED_LEVELS else max(counts[level], 0.5) / pairs
        for level, default in levels.items()
    }


def name_shares(pupils: Sequence[PupilRecord]) -> dict[str, dict[str, float]]:
    """Share of pupils bearing each first name and each surname (computed at census import)."""
    firsts = Counter(norm.name_key(p.first_name) for p in pupils)
    lasts = Counter(norm.name_key(p.last_name) for p in pupils)
    total = max(len(pupils), 1)
    return {
        "first_name": {name: count / total for name, count in firsts.items()},
        "last_name": {name: count / total for name, count in lasts.items()},
    }


def weights_from_census(pupils: Sequence[PupilRecord], *, pairs: int = 200_000, seed: int = 0) -> Weights:
    u = {name: dict(levels) for name, levels in DEFAULT_U.items()}
    u.update(estimate_u(pupils, pairs=pairs, seed=seed))
    return Weights(m=DEFAULT_M, u=u, name_shares=name_shares(pupils), pupils=len(pupils))


def as_recorded(pupil: PupilRecord) -> ChildRecord:
    """The pupil as an officer would record it with no mistakes."""
    return ChildRecord(
        first_name=pupil.first_name,
        last_name=pupil.last_name,
        dob=pupil.dob,
        sex=pupil.sex,
        address_line1=pupil.address_line1,
        postcode=pupil.postcode,
        upn=pupil.upn,
    )


# --- m adapted to a batch ---------------------------------------------------------------------

# Fields whose m a batch re-estimates; UPN and the order of names keep theirs (too rare to learn).
ADAPTED_FIELDS = ("first_name", "last_name", "dob", "sex", "address")
# The stored m counts as this many matched pairs: a batch of a few children cannot move it far,
# one of thousands speaks for itself.
PRIOR_PAIRS = 200
EM_ITERATIONS = 12
Pattern = tuple[str, ...]  # one candidate's level for each of ADAPTED_FIELDS


# A candidate this far below even odds of being the child, by the stored weights (2^-12, one
# in 4,096), cannot move m: the batch's estimate leaves it out. Most candidates are strangers
# sharing one key with the child, and leaving them out makes the estimate quick.
EM_FLOOR_ODDS = -12.0


def pattern_of(levels: Mapping[str, str]) -> Pattern:
    return tuple(levels[name] for name in ADAPTED_FIELDS)


def batch_patterns(candidates: Iterable, weights: Weights) -> list[Pattern]:
    """The level patterns of a child's candidates (scored with the stored weights) that the
    batch's estimate of m weighs: those within EM_FLOOR_ODDS of even odds."""
    floor = weights.prior_bits + EM_FLOOR_ODDS
    return [pattern_of(candidate.levels) for candidate in candidates if candidate.score >= floor]


def weights_adapted(weights: Weights, children: Sequence[Sequence[Pattern]]) -> Weights:
    """m estimated by expectation maximisation on a batch's own candidate pairs, as Splink
    adapts to a data set's error rates; u, name shares and census size stay as measured.

    Each child is one of its candidates or none of the census (prior: a share `present` of the
    children is on it, uniformly over its pupils), so that a child's twin or sibling shares the
    posterior with the child's own pupil instead of counting as a second match."""
    if not any(children):
        return weights
    m = {name: dict(levels) for name, levels in weights.m.items()}
    present = 0.8
    # Children whose candidates show the same patterns weigh the same: each such group once.
    groups = Counter(tuple(sorted(patterns)) for patterns in children)
    for _ in range(EM_ITERATIONS):
        counts, present = _expected_levels(weights.u, m, groups, present, weights.pupils)
        for name in ADAPTED_FIELDS:
            total = sum(counts[name].values()) + PRIOR_PAIRS
            m[name] = {
                level: (counts[name][level] + PRIOR_PAIRS * prior) / total
                for level, prior in weights.m[name].items()
            }
    return Weights(m=m, u=weights.u, name_shares=weights.name_shares, pupils=weights.pupils)


def _expected_levels(u, m, groups: Counter, present: float, pupils: int) -> tuple[dict[str, Counter], float]:
    """E step: each level's expected count among true pairs, and the share of children present
    (groups: the children's candidate patterns, and how many children show each)."""
    bits = {}
    counts = {name: Counter() for name in ADAPTED_FIELDS}
    found = 0.0
    prior = present / max(pupils, DEFAULT_PUPILS)
    for patterns, children in groups.items():
        factors = []
        for pattern in patterns:
            if pattern not in bits:
                bits[pattern] = sum(
                    _bits(m, u, name, level) for name, level in zip(ADAPTED_FIELDS, pattern, strict=True)
                )
            factors.append(2.0 ** min(bits[pattern], 200.0))
        denominator = (1 - present) + prior * sum(factors)
        for pattern, factor in zip(patterns, factors, strict=True):
            posterior = children * prior * factor / denominator
            found += posterior
            for name, level in zip(ADAPTED_FIELDS, pattern, strict=True):
                if level not in NEUTRAL_LEVELS:
                    counts[name][level] += posterior
    return counts, min(max(found / groups.total(), 0.05), 0.99)


def _bits(m, u, name: str, level: str) -> float:
    return 0.0 if level in NEUTRAL_LEVELS else math.log2(m[name][level] / u[name][level])


# --- m learned from people's decisions -----------------------------------------------------------

# Fields whose m the reviewers' decisions re-estimate (the UPN and the order of names too: a
# person's confirmation is the one place they are seen often enough on true pairs).
LABELLED_FIELDS = ("upn", "first_name", "last_name", "dob", "sex", "address", "order")


def m_from_labels(
    same_child: Sequence[Mapping[str, str]],
    prior: Mapping[str, Mapping[str, float]] = DEFAULT_M,
    *,
    prior_pairs: int = PRIOR_PAIRS,
) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, int]]]:
    """m re-estimated from pairs people confirmed as the same child: each field's levels as
    counted on those pairs, regularised toward the prior m as if it were `prior_pairs` pairs
    (so that a few decisions move it a little, thousands speak for themselves). Unrecorded
    levels say nothing and are not counted. Returns (m, counts per field and level)."""
    counts: dict[str, dict[str, int]] = {
        name: {level: 0 for level in prior[name]} for name in LABELLED_FIELDS
    }
    for levels in same_child:
        for name in LABELLED_FIELDS:
            level = levels.get(name)
            if level in counts[name]:
                counts[name][level] += 1
    m = {name: dict(levels) for name, levels in prior.items()}
    for name in LABELLED_FIELDS:
        total = sum(counts[name].values()) + prior_pairs
        m[name] = {level: (counts[name][level] + prior_pairs * p) / total for level, p in prior[name].items()}
    return m, counts
