"""Which school should hear about a child? Placeholder matcher: exact first name, last name
and date of birth against the census. The matching issue replaces `pupil_find`."""

from dataclasses import dataclass, field
from datetime import date

from incidents.models import IncidentChild, MatchStatus
from schools.models import Pupil, School
from schools.selectors import enrolment_on


@dataclass
class MatchResult:
    status: str
    pupil: Pupil | None = None
    school: School | None = None
    score: float | None = None
    detail: dict = field(default_factory=dict)


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def is_school_age(child: IncidentChild, on: date) -> bool:
    # Reception (the school year a child turns five) to age 17.
    age = age_on(child.dob, on) if child.dob else child.estimated_age
    return age is None or 4 <= age <= 17


def pupil_find(child: IncidentChild) -> tuple[str, Pupil | None, dict]:
    if child.dob is None:
        return MatchStatus.NO_MATCH, None, {"reason": "no date of birth"}
    pupils = list(
        Pupil.objects.filter(
            first_name__iexact=child.first_name.strip(),
            last_name__iexact=child.last_name.strip(),
            dob=child.dob,
        )[:2]
    )
    if len(pupils) == 1:
        return MatchStatus.MATCHED, pupils[0], {"reason": "exact name and date of birth"}
    if pupils:
        return MatchStatus.REVIEW, None, {"reason": "more than one pupil with that name and date of birth"}
    return MatchStatus.NO_MATCH, None, {"reason": "no pupil with that name and date of birth"}


def child_match(child: IncidentChild) -> MatchResult:
    on = child.incident.occurred_at.date()
    if not is_school_age(child, on):
        return MatchResult(MatchStatus.NOT_SCHOOL_AGE, detail={"reason": "not of school age"})
    status, pupil, detail = pupil_find(child)
    if status != MatchStatus.MATCHED:
        return MatchResult(status, detail=detail)
    return route_to_school(pupil=pupil, on=on, detail=detail)


def route_to_school(*, pupil: Pupil, on: date, detail: dict) -> MatchResult:
    enrolment = enrolment_on(pupil=pupil, on=on)
    if enrolment is None:
        return MatchResult(
            MatchStatus.NO_MATCH, pupil=pupil, detail={**detail, "reason": "not enrolled on that date"}
        )
    school = enrolment.school
    if not school.participating:
        return MatchResult(MatchStatus.NOT_PARTICIPATING, pupil=pupil, school=school, detail=detail)
    return MatchResult(MatchStatus.MATCHED, pupil=pupil, school=school, score=1.0, detail=detail)
