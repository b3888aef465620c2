"""Score every candidate pupil against a child and decide: matched, review or no match.

A wrong match tells a school about someone else's child, so the rules lean to review:
auto-match only a clear winner, well ahead of every other pupil (a twin or sibling at the
same home must be beaten on the first name itself), and let a person decide whenever the
first name disagrees, or a surname or date of birth disagrees where that is not believable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from . import compare as c
from . import normalise as norm
from .records import ChildRecord, PupilRecord
from .weights import DEFAULT_WEIGHTS, Weights

MATCHED = "matched"
REVIEW = "review"
NO_MATCH = "no_match"

# Chosen once, not tuned per run. Scores are evidence in bits (+1 = twice as likely); the
# thresholds are posterior odds: the score less the prior odds against any one pupil being the
# child, log2 of the census size (Weights.match_prior_bits for a match, never below 16,384
# pupils; Weights.prior_bits for review, never below a force's 2^18). A bigger census holds more look-alikes,
# so the same evidence counts for less: a match needs 24 bits at 250,000 pupils, 26 at
# 1,000,000 and 29 at England's 9 million. A full name and date of birth agreeing at another
# address scores about 28 (the commonest names about 24).
MATCH_ODDS = 6.0  # matched: this pupil is at least 2^6 = 64 times likelier the child than not
# The winner must be 2^6 = 64 times likelier than the runner-up: twins whose first names
# sound alike, or a nickname shared by two siblings, fall inside this and go to review.
MARGIN_THRESHOLD = 6.0
# Review: at least a one-in-eight chance. Below this even a person would not suspect the same
# child (a namesake elsewhere, born another day).
REVIEW_ODDS = -3.0
# A recorded name borne by at least this share of pupils is a name in its own right: one letter
# or a sound away from the pupil's (Ada for Adam, Maja for Maya, Davis for Davies), it may well
# be another child, so a person decides.
OWN_NAME_SHARE = 1e-5
MAX_CANDIDATES = 5

# A child is identified by name and date of birth; UPN, sex and address only support that.
IDENTITY_FIELDS = ("first_name", "last_name", "dob")
HOME = frozenset({c.SAME_ADDRESS, c.FORMER_ADDRESS})
# Next door, or the house under another postcode: a person would look twice.
NEAR_HOME = HOME | {c.SAME_POSTCODE, c.SAME_STREET}
# The house itself, however its postcode was written: the home, or its number on its street.
THE_HOUSE = HOME | {c.SAME_STREET}
SAME_DAY = frozenset({c.EXACT, c.SWAPPED_DAY_MONTH, c.TYPO})
SPELT_THE_SAME = frozenset({c.EXACT, c.TYPO})
RESEMBLING = frozenset({c.TYPO, c.PHONETIC, c.CLOSE})  # spelt differently, not a known variant

DESCRIPTIONS = {
    c.EXACT: "agree strongly",
    c.TYPO: "typo",
    c.CLOSE: "close (two slips)",
    c.INITIAL: "initial only",
    c.PHONETIC: "sounds alike",
    c.DISAGREE: "disagree",
    c.MISSING: "not recorded",
    c.NICKNAME: "nickname or variant",
    c.MIDDLE: "middle name used as first",
    c.PART: "one part of a double-barrelled name",
    c.SWAPPED_DAY_MONTH: "swapped day and month",
    c.INVALID: "fails its check letter, ignored",
    c.SAME_ADDRESS: "same address",
    c.SAME_POSTCODE: "same postcode, other address",
    c.SAME_STREET: "same street, other postcode (and perhaps a slip in the house number)",
    c.FORMER_ADDRESS: "a former address",
    c.SAME_SECTOR: "same neighbourhood (postcode sector)",
    c.DIFFERENT: "different address",
    c.USUAL: "first and last name as usual",
    c.SWAPPED: "first and last name swapped",
}


@dataclass
class Candidate:
    pupil: PupilRecord
    score: float
    explanation: dict[str, str]  # field -> level in words, e.g. "typo"
    log_odds: dict[str, float] = field(default_factory=dict)  # field -> its weight in the score
    levels: dict[str, str] = field(default_factory=dict)  # field -> level code
    # Name fields where the child's name only resembles the pupil's and is itself a name pupils bear.
    other_names: list[str] = field(default_factory=list)

    @property
    def plausible(self) -> bool:
        """Could a person looking at the two records think they are the same child?

        Of name and date of birth, two must agree (roughly) and none disagree; or one may be
        plainly wrong, or two unrecorded, when the child is recorded at the pupil's home.
        Elsewhere a shared surname and birthday, or first name and birthday, is a coincidence
        (at 9 million pupils, about twenty Smiths share each birthday), not a lead; and so is
        the same name with a date of birth two digits out. One exception, left to the score:
        the first name and birthday under another surname (`_renamed_and_moved`).
        """
        levels = [self.levels[name] for name in IDENTITY_FIELDS]
        if self.levels["dob"] == c.CLOSE and not self.near_home:
            # Two digits out away from home is how a namesake born another day looks.
            levels[IDENTITY_FIELDS.index("dob")] = c.DISAGREE
        agreeing = sum(level in c.AGREEING for level in levels)
        disagreeing = levels.count(c.DISAGREE)
        if disagreeing == 0 and agreeing >= 2:
            return True
        if self._born_that_day_at_home or self._renamed_and_moved:
            return True
        if disagreeing > 1 or agreeing < 1 or not self.near_home:
            return False
        if disagreeing == 0:
            return True  # two of the three not recorded, the third and the home agreeing
        if self.levels["first_name"] == c.DISAGREE and self.levels["sex"] == c.DISAGREE:
            return False  # another name and the other sex: a brother or sister, a twin perhaps
        # A wrong date of birth (or one two digits out) is believable for the same name at the
        # same home, not for a sibling: one whose name is only a variant of the child's (Lisa
        # beside Eliza), or a letter from it and a name in its own right (Ada beside Ava), whose
        # middle name happens to be the child's first name, or whose first name is another
        # (William beside his sister Luna, born years apart).
        return agreeing >= 2 and (self.levels["dob"] not in (c.DISAGREE, c.CLOSE) or self.spelt_the_same)

    @property
    def spelt_the_same(self) -> bool:
        """The pupil's first name, or a slip from it that is not a name pupils bear."""
        return self.levels["first_name"] in SPELT_THE_SAME and "first_name" not in self.other_names

    @property
    def _born_that_day_at_home(self) -> bool:
        """Born on the very day, at the very home, under other names: a person would look at
        the pair (names misheard, or given by someone else), though the names alone would say
        another child. Never matched automatically (the first name decides that), and not
        with another name and the other sex, which is how a brother or sister looks."""
        other_sex = self.levels["first_name"] == c.DISAGREE and self.levels["sex"] == c.DISAGREE
        return self.levels["dob"] == c.EXACT and self.levels["address"] in HOME and not other_sex

    @property
    def _renamed_and_moved(self) -> bool:
        """The first name and the very birthday, under another surname at another address: a
        family that fled (a refuge, a new name). Worth a person's look when the first name is
        rare enough for the score to reach review; never matched automatically (a surname
        disagreeing away from the house is refused), and a common name scores too little."""
        return (
            self.levels["last_name"] == c.DISAGREE
            and self.spelt_the_same
            and self.levels["dob"] == c.EXACT
            and self.levels["sex"] != c.DISAGREE
        )

    @property
    def at_home(self) -> bool:
        return self.levels["address"] in HOME

    @property
    def in_the_house(self) -> bool:
        """The home, or its number on its street under a mistyped postcode."""
        return self.levels["address"] in THE_HOUSE

    @property
    def near_home(self) -> bool:
        """The house, or next to it: another number under its postcode, or its number on its street."""
        return self.levels["address"] in NEAR_HOME

    @property
    def score_without_upn(self) -> float:
        return self.score - self.log_odds.get("upn", 0.0)


@dataclass
class Decision:
    outcome: str
    candidates: list[Candidate]
    reason: str


@dataclass(frozen=True)
class Comparison:
    """A child beside one pupil, field by field, before any weight is applied: the levels read
    the usual way round, and read with first and last name exchanged where that could help.
    A batch compares once and scores twice (with the stored m, then with the batch's own)."""

    pupil: PupilRecord
    levels: dict[str, str]
    swapped: dict[str, str] | None


def compare_pupil(child: ChildRecord, pupil: PupilRecord) -> Comparison:
    levels = c.field_levels(child, pupil)
    return Comparison(pupil, levels, c.swapped_levels(levels, child, pupil))


def score_candidate(child: ChildRecord, pupil: PupilRecord, weights: Weights = DEFAULT_WEIGHTS) -> Candidate:
    """The better of the two readings of the child's names (usual order, or swapped)."""
    return scored(child, compare_pupil(child, pupil), weights)


def scored(child: ChildRecord, comparison: Comparison, weights: Weights = DEFAULT_WEIGHTS) -> Candidate:
    """A comparison weighed: the better of its two readings of the child's names."""
    first, last = norm.name_key(child.first_name), norm.name_key(child.last_name)
    levels = comparison.levels
    odds = _log_odds(levels, weights, first, last)
    swapped = comparison.swapped
    if swapped is not None:
        swapped_odds = _log_odds(swapped, weights, last, first)
        if sum(swapped_odds.values()) > sum(odds.values()):
            levels, odds = swapped, swapped_odds
    explanation = {name: DESCRIPTIONS[level] for name, level in levels.items()}
    given = {"first_name": first, "last_name": last}
    if levels["order"] == c.SWAPPED:
        given = {"first_name": last, "last_name": first}
    other_names = [
        name
        for name in given
        if levels[name] in RESEMBLING and weights.bearers(name, given[name]) >= OWN_NAME_SHARE
    ]
    return Candidate(
        pupil=comparison.pupil,
        score=sum(odds.values()),
        explanation=explanation,
        log_odds=odds,
        levels=levels,
        other_names=other_names,
    )


def _log_odds(levels: dict[str, str], weights: Weights, first: str, last: str) -> dict[str, float]:
    odds = {name: weights.table[(name, level)] for name, level in levels.items()}
    # An exact name weighs what that particular name is worth (Smith less than Zieliński).
    if levels["first_name"] == c.EXACT:
        odds["first_name"] = weights.log_odds("first_name", c.EXACT, first)
    if levels["last_name"] == c.EXACT:
        odds["last_name"] = weights.log_odds("last_name", c.EXACT, last)
    return odds


def match_child(
    child: ChildRecord, candidates: Iterable[PupilRecord], *, weights: Weights | None = None
) -> Decision:
    unique = {pupil.id: pupil for pupil in candidates}.values()
    return match_compared(child, [compare_pupil(child, pupil) for pupil in unique], weights=weights)


def match_compared(
    child: ChildRecord, comparisons: list[Comparison], *, weights: Weights | None = None
) -> Decision:
    """The decision on comparisons already made (one per candidate pupil)."""
    weights = weights or DEFAULT_WEIGHTS
    ranked = sorted((scored(child, comparison, weights) for comparison in comparisons), key=_by_score)
    if any(_upn_of_another_child(cand) for cand in ranked):
        # The UPN is a sibling's, copied by mistake: it is set aside and names and date of birth
        # decide, as they would without it.
        decision = match_compared(
            replace(child, upn=""), [_without_upn(comparison) for comparison in comparisons], weights=weights
        )
        decision.reason = f"the UPN is another pupil's, set aside; {decision.reason}"
        return decision
    plausible = [cand for cand in ranked if cand.plausible]
    review_threshold = weights.prior_bits + REVIEW_ODDS
    if not plausible or plausible[0].score < review_threshold:
        return Decision(NO_MATCH, ranked[:MAX_CANDIDATES], _no_match_reason(plausible, review_threshold))
    best = plausible[0]
    runner_up = plausible[1] if len(plausible) > 1 else None
    threshold = weights.match_prior_bits + MATCH_ODDS
    refusal = _refusal(best, runner_up, threshold) or _upn_refusal(best, plausible[1:])
    if refusal is None:
        return Decision(MATCHED, [best], _match_reason(best, runner_up and runner_up.score))
    under_review = [cand for cand in plausible if cand.score >= review_threshold]
    return Decision(REVIEW, _review_order(under_review)[:MAX_CANDIDATES], refusal)


def _review_order(candidates: list[Candidate]) -> list[Candidate]:
    """A UPN may confirm, never overturn: when it carried to the top a pupil whose name or date
    of birth disagrees (a twin's UPN copied), the person sees first the pupils that names, date
    of birth and home point to."""
    top = candidates[0]
    if top.levels["upn"] == c.EXACT and any(top.levels[name] == c.DISAGREE for name in IDENTITY_FIELDS):
        return sorted(candidates, key=lambda cand: -cand.score_without_upn)
    return candidates


def _by_score(cand: Candidate) -> float:
    return -cand.score


def _without_upn(comparison: Comparison) -> Comparison:
    swapped = comparison.swapped and dict(comparison.swapped, upn=c.MISSING)
    return Comparison(comparison.pupil, dict(comparison.levels, upn=c.MISSING), swapped)


def _upn_of_another_child(cand: Candidate) -> bool:
    """The UPN's pupil contradicts the child's name or date of birth and was born another day.
    A twin shares the birthday, so a twin's UPN stays and sends the pair to review."""
    contradicts = any(cand.levels[name] == c.DISAGREE for name in IDENTITY_FIELDS)
    return cand.levels["upn"] == c.EXACT and contradicts and cand.levels["dob"] != c.EXACT


def _refusal(best: Candidate, runner_up: Candidate | None, threshold: float) -> str | None:
    """Why the best candidate may not be matched automatically, or None when it may.

    The score weighs the evidence; these are the cases where the model's independence between
    fields is known to be wrong, so that evidence alone would mislead (twins and siblings share
    surname, birthday and home; a name that is a name in its own right may be another child)."""
    if best.score < threshold:
        return f"best candidate scores {best.score:.1f}, below the {threshold:.1f} needed to match"
    refusal = _identity_refusal(best)
    if refusal:
        return refusal
    if best.other_names:
        fields = " and ".join(name.replace("_", " ") for name in best.other_names)
        return f"the child's {fields} is a name other pupils bear, only close to the best candidate's"
    if runner_up is not None and best.score - runner_up.score < MARGIN_THRESHOLD:
        return f"two candidates are close ({best.score:.1f} and {runner_up.score:.1f}): twins or siblings?"
    if runner_up is not None and _household_member(best, runner_up):
        margin = best.log_odds["first_name"] - runner_up.log_odds["first_name"]
        if margin < MARGIN_THRESHOLD:
            return f"a sibling at the same home is only {margin:.1f} behind on the first name: twins?"
    return None


def _identity_refusal(best: Candidate) -> str | None:
    """Name and date of birth: which disagreements the evidence may overcome, and which not."""
    levels = best.levels
    if levels["first_name"] in FIRST_NAME_REFUSALS:
        # Only the first name tells twins apart: another one, only its initial, or none at all
        # is for a person.
        return FIRST_NAME_REFUSALS[levels["first_name"]]
    if levels["first_name"] == c.INITIAL and levels["sex"] != c.EXACT:
        # An initial may stand for the child's name: with the sex recorded and agreeing, a twin
        # of the other sex is ruled out, and one on the census sharing the initial is caught by
        # the margin on the first name below.
        return "only the first name's initial is recorded, without the child's sex to support it"
    if levels["first_name"] != c.EXACT and levels["sex"] == c.DISAGREE:
        # A Harry beside a Harrison, recorded with another sex: may be another child.
        return "best candidate differs in more than one way (first_name, sex)"
    if levels["dob"] in (c.DISAGREE, c.CLOSE) and not (
        levels["first_name"] == c.EXACT and levels["last_name"] in c.AGREEING and best.in_the_house
    ):
        # At the pupil's house (its postcode perhaps mistyped), under the very same first name, a
        # wrong birthday is a mistake: no sibling bears the name. A nickname (Ollie, Lisa) or a
        # slip (Avva for Ava) could be a brother's or a sister's, one not yet at school perhaps,
        # and two digits out is how a sibling's birthday looks.
        return (
            "best candidate's dob disagrees"
            if levels["dob"] == c.DISAGREE
            else "best candidate's dob is two digits out"
        )
    if levels["last_name"] == c.DISAGREE and not (
        levels["first_name"] in SPELT_THE_SAME and levels["dob"] in SAME_DAY and best.near_home
    ):
        # A changed surname (a new partner's, a refuge's) is believable with the same first name
        # and birthday at the house or next to it (its postcode or house number mistyped, or the
        # family moved along the street): a stranger sharing first name and birthday within one
        # postcode is what the score weighs. Anywhere else it is another child.
        return "best candidate's last_name disagrees"
    return None


FIRST_NAME_REFUSALS = {
    c.DISAGREE: "best candidate's first name disagrees",
    c.MISSING: "the first name is not recorded, and only it tells twins apart",
}


def _household_member(best: Candidate, other: Candidate) -> bool:
    """Another pupil of the best candidate's home and family: a twin or sibling."""
    same_home = best.at_home and other.at_home
    same_family = other.levels["last_name"] in c.AGREEING and other.pupil.last_name == best.pupil.last_name
    return same_home and same_family and other.levels["dob"] != c.DISAGREE


def _upn_refusal(best: Candidate, others: list[Candidate]) -> str | None:
    """A UPN may confirm the best candidate, never overturn what names and date of birth say."""
    if not others:
        return None
    closest = max(cand.score_without_upn for cand in others)
    if best.score_without_upn - closest < MARGIN_THRESHOLD:
        return "the UPN points to one pupil, names and date of birth to another"
    return None


def _match_reason(best: Candidate, runner_up: float | None) -> str:
    ahead = "no other candidate" if runner_up is None else f"{best.score - runner_up:.1f} ahead of the next"
    return f"best candidate scores {best.score:.1f}, {ahead}"


def _no_match_reason(plausible: list[Candidate], threshold: float) -> str:
    if not plausible:
        return "no pupil agrees on name and date of birth (one may differ only at the child's home)"
    return f"best candidate scores {plausible[0].score:.1f}, below the {threshold:.1f} needed for review"
