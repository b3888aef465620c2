"""Which school should hear about a child? The matching engine (incidents/matching) finds the
pupil; this module routes the outcome.

  matched            the pupil's school on the incident date takes part: it is notified
  review             a police reviewer decides (never notified automatically)
  no_match           nobody in the census, or the pupil was not enrolled on that date
  not_school_age     younger than reception or older than 17 on the incident date
  not_participating  the pupil's school is in a partnership's area but has not joined
  out_of_area        the pupil's school is in a local authority with no partnership on Encompass
  home_educated      on a register of children educated at home or missing education, and the
                     authority has no team on Encompass: its coordinator passes it on

The census and the registers of the incident's area (schools.register_search) are searched with
the same engine and decision rule. A child matched to a register entry current on the incident
date is told to that authority's home education team (matched, the team as its recipient); an
under-five in a partnership that opted in is told to its early years team. An uncertain register
match goes to review like an uncertain pupil.

Every outcome but matched and review goes to a partnership coordinator's routing queue, so
that no child silently drops out. Which partnership: the school's own for not_participating;
for the rest, the partnership of the incident's area (see incident_partnership).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from incidents.models import IncidentChild, MatchStatus
from matching import DESCRIPTIONS, MATCHED, REVIEW, ChildRecord, match
from matching.normalise import postcode as postcode_key
from schools.census import DatabaseCandidateSource, weights_current
from schools.models import Partnership, Pupil, RecipientKind, RegisteredChild, School
from schools.register_search import register_entry_current, register_source
from schools.selectors import enrolment_on

YOUNGEST, OLDEST = 4, 17  # reception (the year a child turns five) to age 17


@dataclass
class MatchResult:
    status: str
    pupil: Pupil | None = None
    school: School | None = None
    registered_child: RegisteredChild | None = None
    score: float | None = None
    reason: str = ""
    candidates: list[dict] = field(default_factory=list)
    routed_to: Partnership | None = None
    route_reason: str = ""

    @property
    def detail(self) -> dict:
        """What IncidentChild.match_detail keeps: the reason and how many were considered."""
        detail = {"reason": self.reason, "candidates": len(self.candidates)}
        return {**detail, "route": self.route_reason} if self.route_reason else detail


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def incident_date(child: IncidentChild) -> date:
    return timezone.localtime(child.incident.occurred_at).date()


def is_school_age(child: IncidentChild, on: date) -> bool:
    age = age_on(child.dob, on) if child.dob else child.estimated_age
    return age is None or YOUNGEST <= age <= OLDEST


def child_record(child: IncidentChild) -> ChildRecord:
    """The child as the engine sees it: the officer's details at the incident's address."""
    incident = child.incident
    return ChildRecord(
        first_name=child.first_name,
        last_name=child.last_name,
        dob=child.dob,
        sex=child.sex or None,
        address_line1=incident.address_line1,
        address_line2=incident.address_line2,
        town=incident.town,
        postcode=incident.postcode,
        upn=child.upn,
    )


def candidate_summary(candidate) -> dict:
    """A candidate as stored with the decision: ids, score and levels only, no personal data."""
    return {"pupil": candidate.pupil.id, "score": round(candidate.score, 2), "levels": candidate.levels}


def register_candidate_summary(candidate) -> dict:
    """A register entry considered: stored as a pupil candidate is, keyed by the entry's id."""
    return {
        "registered_child": candidate.pupil.id,
        "score": round(candidate.score, 2),
        "levels": candidate.levels,
    }


def level_words(level: str) -> str:
    return DESCRIPTIONS.get(level, level)


def child_match(child: IncidentChild) -> MatchResult:
    on = incident_date(child)
    if not is_school_age(child, on):
        return route_under_school_age(child, on)
    weights = weights_current()
    decision = match(child_record(child), DatabaseCandidateSource(), weights=weights)
    on_register = register_match(child, weights)
    if on_register is not None and on_register.status != MatchStatus.REVIEW:
        return on_register  # on a register on the incident date: the authority's, not a school's
    candidates = [candidate_summary(cand) for cand in decision.candidates]
    best = decision.candidates[0].score if decision.candidates else None
    if decision.outcome == REVIEW or (decision.outcome != MATCHED and on_register is not None):
        if on_register is not None:
            candidates += on_register.candidates
            best = max(score for score in (best, on_register.score) if score is not None)
        reason = decision.reason if decision.outcome == REVIEW else on_register.reason
        return MatchResult(MatchStatus.REVIEW, score=best, reason=reason, candidates=candidates)
    if decision.outcome != MATCHED:
        result = MatchResult(MatchStatus.NO_MATCH, score=best, reason=decision.reason, candidates=candidates)
        return result_route_to_area(result, child)
    pupil = Pupil.objects.get(pk=decision.candidates[0].pupil.id)
    result = MatchResult(MatchStatus.MATCHED, score=best, reason=decision.reason, candidates=candidates)
    return route_to_school(child=child, pupil=pupil, result=result)


# --- the registers and the local authority teams ---------------------------------------------


def register_match(child: IncidentChild, weights) -> MatchResult | None:
    """The child searched on the registers of the incident's area, with the census's rule:
    matched (to the authority's team) only when the entry is current on the incident date;
    review when uncertain; None when nobody on a register is the child."""
    area, _ = incident_partnership(child)
    if area is None:
        return None
    record = child_record(child)
    source = register_source(
        child=record, local_authority_ids=area.local_authorities.values_list("pk", flat=True)
    )
    decision = match(record, source, weights=weights)
    if decision.outcome not in (MATCHED, REVIEW):
        return None
    candidates = [register_candidate_summary(cand) for cand in decision.candidates]
    best = decision.candidates[0].score
    if decision.outcome == REVIEW:
        reason = f"on a register of children educated at home: {decision.reason}"
        return MatchResult(MatchStatus.REVIEW, score=best, reason=reason, candidates=candidates)
    entry = RegisteredChild.objects.select_related("local_authority__partnership").get(
        pk=decision.candidates[0].pupil.id
    )
    if not register_entry_current(entry, incident_date(child)):
        return None
    result = MatchResult(MatchStatus.MATCHED, score=best, reason=decision.reason, candidates=candidates)
    return route_to_register_team(child=child, entry=entry, result=result)


def route_to_register_team(
    *, child: IncidentChild, entry: RegisteredChild, result: MatchResult
) -> MatchResult:
    """A child on an authority's register is that authority's: its home education team when it
    has one on Encompass, else its coordinator (home_educated, to be passed on)."""
    result.registered_child = entry
    result.reason += (
        f"; on the register of {entry.local_authority.name} ({entry.get_status_display().lower()})"
    )
    team = (
        School.objects.filter(
            local_authority=entry.local_authority, kind=RecipientKind.HOME_EDUCATION, participating=True
        )
        .select_related("local_authority__partnership")
        .first()
    )
    if team is not None:
        result.status = MatchStatus.MATCHED
        result.school = team
        return result
    result.status = MatchStatus.HOME_EDUCATED
    result.routed_to = entry.local_authority.partnership or incident_partnership(child)[0]
    result.route_reason = (
        "on the authority's register, and the authority has no home education team on Encompass"
    )
    return result


def route_under_school_age(child: IncidentChild, on: date) -> MatchResult:
    """Below school age: the early years team of the area's partnership when it opted in and has
    exactly one; otherwise (and for those over 17) the area's coordinator, as not of school age."""
    result = MatchResult(MatchStatus.NOT_SCHOOL_AGE, reason="not of school age on the incident date")
    age = age_on(child.dob, on) if child.dob else child.estimated_age
    area, how = incident_partnership(child)
    if age is None or age >= YOUNGEST or area is None or not area.early_years_opt_in:
        return result_route_to_area(result, child)
    teams = list(
        School.objects.filter(
            local_authority__partnership=area, kind=RecipientKind.EARLY_YEARS, participating=True
        ).select_related("local_authority__partnership")[:2]
    )
    if len(teams) != 1:
        result = result_route_to_area(result, child)
        result.route_reason += "; the partnership tells early years teams, but has not exactly one"
        return result
    result.status = MatchStatus.MATCHED
    result.school = teams[0]
    result.reason = f"under school age on the incident date: the partnership's early years team{how}"
    return result


def route_to_school(*, child: IncidentChild, pupil: Pupil, result: MatchResult) -> MatchResult:
    """The school where the pupil was enrolled on the incident date decides who is told."""
    result.pupil = pupil
    enrolment = enrolment_on(pupil=pupil, on=incident_date(child))
    if enrolment is None:
        result.status = MatchStatus.NO_MATCH
        result.reason += "; the pupil was not enrolled at any school on the incident date"
        return result_route_to_area(result, child)
    school = result.school = enrolment.school
    if school.partnership is None:
        result.status = MatchStatus.OUT_OF_AREA
        return result_route_to_area(result, child)
    if not school.participating:
        result.status = MatchStatus.NOT_PARTICIPATING
        result.routed_to = school.partnership
        result.route_reason = "the pupil's school has not joined Encompass"
        return result
    result.status = MatchStatus.MATCHED
    return result


ROUTE_REASONS = {
    MatchStatus.NOT_SCHOOL_AGE: "not of school age on the incident date",
    MatchStatus.NO_MATCH: "no pupil in the census matches",
    MatchStatus.OUT_OF_AREA: "the pupil's school is in an area with no partnership on Encompass",
}


def result_route_to_area(result: MatchResult, child: IncidentChild) -> MatchResult:
    result.routed_to, how = incident_partnership(child)
    result.route_reason = f"{ROUTE_REASONS[result.status]}{how}"
    return result


def incident_partnership(child: IncidentChild) -> tuple[Partnership | None, str]:
    """The partnership of the incident's area. The force's area is not modelled, so: the
    partnership of the school police named (a hint, never the answer for notifying), else
    the partnership most schools in the incident's postcode district belong to, else the one
    the force names for children with no area. None only when the force names none: the
    operations page flags such a force before it happens, and police reviewers see the child."""
    hint = child.known_school
    if hint is not None and hint.partnership is not None:
        return hint.partnership, " (area of the school police named)"
    partnership, why_not = _postcode_partnership(child.incident.postcode)
    if partnership is not None:
        return partnership, " (area of the incident's postcode)"
    fallback = child.incident.force.unplaced_partnership
    if fallback is None:
        return None, f" (no area found: {why_not}; the force names no partnership for such children)"
    return fallback, f" (no area found: {why_not}; the force's partnership for children with no area)"


def _postcode_partnership(postcode: str) -> tuple[Partnership | None, str]:
    """The partnership most schools in the postcode's district belong to, or None and why not."""
    code = postcode_key(postcode)
    if len(code) < 5:
        return None, "no postcode"
    district = code[:-3]
    partnerships = Counter(
        School.objects.filter(postcode__startswith=f"{district} ", local_authority__partnership__isnull=False)
        .values_list("local_authority__partnership", flat=True)
        .order_by()[:200]
    )
    if not partnerships:
        return None, "no partnership's schools in its postcode district"
    return Partnership.objects.get(pk=partnerships.most_common(1)[0][0]), ""
