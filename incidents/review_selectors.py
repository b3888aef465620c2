"""Reading the police review queue and the coordinators' routing queue. Outsiders get 404:
a reviewer sees their own force's children in review; a coordinator sees the children
routed to their own partnership."""

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from encompass.models import Role
from incidents.models import IncidentChild, IncidentStatus, MatchDecision, MatchStatus
from matching import DESCRIPTIONS
from matching import compare as c
from schools.models import Pupil, RegisteredChild
from schools.register_search import register_entry_current
from schools.selectors import enrolment_on


def _reviewers_force(user) -> int:
    if user.role != Role.REVIEWER or user.force_id is None:
        raise Http404
    return user.force_id


def children_for_review(user) -> QuerySet[IncidentChild]:
    return (
        IncidentChild.objects.filter(
            incident__force_id=_reviewers_force(user),
            incident__status=IncidentStatus.SUBMITTED,
            match_status=MatchStatus.REVIEW,
        )
        .select_related("incident")
        .order_by("incident__occurred_at", "pk")
    )


def decisions_unrouted(user) -> QuerySet[MatchDecision]:
    """The force's children not matched whom no partnership could take (no area found and the
    force names no partnership for them): the reviewers see them so that none drops out."""
    return (
        MatchDecision.objects.unrouted()
        .filter(
            child__incident__force_id=_reviewers_force(user), child__incident__status=IncidentStatus.SUBMITTED
        )
        .select_related("child__incident")
        .order_by("decided_at")
    )


def child_for_review(user, pk: int) -> IncidentChild:
    return get_object_or_404(children_for_review(user), pk=pk)


def decisions_routed_to(user) -> QuerySet[MatchDecision]:
    if user.role != Role.COORDINATOR or user.partnership_id is None:
        raise Http404
    return (
        MatchDecision.objects.filter(is_current=True, routed_to_id=user.partnership_id)
        .select_related("child__incident__force", "school", "handled_by")
        .order_by("handled_at", "-decided_at")
    )


def decision_for_coordinator(user, pk: int) -> MatchDecision:
    return get_object_or_404(decisions_routed_to(user), pk=pk)


# --- the child beside each candidate -----------------------------------------------------------

AGREE = frozenset({c.EXACT, c.SAME_ADDRESS, c.USUAL})
CLOSE = (c.AGREEING | {c.SAME_POSTCODE, c.SAME_STREET, c.FORMER_ADDRESS, c.SAME_SECTOR}) - AGREE
FIELDS = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("dob", "Date of birth"),
    ("sex", "Sex"),
    ("address", "Address"),
    ("upn", "UPN"),
)


@dataclass
class Cell:
    value: str
    level: str  # words for a screen reader and the eye alike, e.g. "typo"
    tone: str  # agree, close, differ or missing: how it is highlighted


@dataclass
class CandidateColumn:
    pupil: Pupil | RegisteredChild
    score: float
    school: str
    cells: list[Cell]
    choice: str = ""  # the form's value: the pupil's id, or "register-<id>" for a register entry


def _is_initial_of(short: str, full: str) -> bool:
    """ "C" or "C." for Charlie: an initial is what was recorded, not a disagreement."""
    short = short.strip().rstrip(".")
    return len(short) == 1 and full[:1].lower() == short.lower()


def _cell(name: str, child_value: str, pupil_value: str, level: str) -> Cell:
    if not child_value:
        # Nothing to compare: the words go under the child's own value, not the candidate's.
        return Cell(pupil_value, "", "missing")
    if name in ("first_name", "last_name") and _is_initial_of(child_value, pupil_value):
        return Cell(pupil_value, "initial agrees", "close")
    return Cell(pupil_value, DESCRIPTIONS.get(level, ""), _tone(level))


def review_reason(reason: str) -> str:
    """The matcher's reason with field names in words ("first_name" -> "first name")."""
    for name, label in (*FIELDS, ("address_line1", "Address"), ("postcode", "Postcode")):
        reason = re.sub(rf"\b{name}\b", label.lower() if name != "upn" else label, reason)
    return reason


def _tone(level: str) -> str:
    if level in AGREE:
        return "agree"
    if level in CLOSE:
        return "close"
    if level in (c.MISSING, c.INVALID):
        return "missing"
    return "differ"


def _child_values(child: IncidentChild) -> dict[str, str]:
    incident = child.incident
    address = ", ".join(filter(None, [incident.address_line1, incident.town, incident.postcode]))
    dob = child.dob.strftime("%d/%m/%Y") if child.dob else ""
    return {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "dob": dob,
        "sex": child.get_sex_display() if child.sex else "",
        "address": address,
        "upn": child.upn,
    }


def _pupil_values(pupil: Pupil) -> dict[str, str]:
    first = pupil.first_name + (f" ({pupil.preferred_first_name})" if pupil.preferred_first_name else "")
    if pupil.middle_names:
        first += f", middle: {pupil.middle_names}"
    last = pupil.last_name + (f" ({pupil.preferred_last_name})" if pupil.preferred_last_name else "")
    return {
        "first_name": first,
        "last_name": last,
        "dob": pupil.dob.strftime("%d/%m/%Y"),
        "sex": pupil.get_sex_display() if pupil.sex else "",
        "address": ", ".join(filter(None, [pupil.address_line1, pupil.town, pupil.postcode])),
        "upn": pupil.upn,
    }


def review_comparison(child: IncidentChild) -> tuple[list[tuple], list[CandidateColumn]]:
    """Rows of (label, the child's value, a cell per candidate saying how that field agrees:
    the explanation levels the matcher used), and the candidates as columns."""
    decision = MatchDecision.objects.filter(child=child, is_current=True).first()
    considered = decision.candidates if decision else []
    pupils = Pupil.objects.in_bulk([cand["pupil"] for cand in considered if "pupil" in cand])
    entries = RegisteredChild.objects.select_related("local_authority").in_bulk(
        [cand["registered_child"] for cand in considered if "registered_child" in cand]
    )
    on = child.incident.occurred_at.date()
    child_values = _child_values(child)
    columns = []
    for cand in considered:
        if "registered_child" in cand:
            column = _register_column(entries.get(cand["registered_child"]), cand, child_values, on)
        else:
            column = _pupil_column(pupils.get(cand["pupil"]), cand, child_values, on)
        if column is not None:
            columns.append(column)
    rows = [
        (label, child_values[name], [col.cells[i] for col in columns])
        for i, (name, label) in enumerate(FIELDS)
    ]
    return rows, columns


def _cells(child_values: dict, values: dict, levels: dict) -> list[Cell]:
    return [_cell(name, child_values[name], values[name], levels.get(name, c.MISSING)) for name, _ in FIELDS]


def _pupil_column(pupil: Pupil | None, cand: dict, child_values: dict, on) -> CandidateColumn | None:
    if pupil is None:
        return None
    enrolment = enrolment_on(pupil=pupil, on=on)
    school = enrolment.school.name if enrolment else "not enrolled on the incident date"
    cells = _cells(child_values, _pupil_values(pupil), cand.get("levels", {}))
    return CandidateColumn(pupil, cand["score"], school, cells, choice=str(pupil.pk))


def _register_column(
    entry: RegisteredChild | None, cand: dict, child_values: dict, on
) -> CandidateColumn | None:
    if entry is None:
        return None
    values = {
        "first_name": entry.first_name + (f", middle: {entry.middle_names}" if entry.middle_names else ""),
        "last_name": entry.last_name,
        "dob": entry.dob.strftime("%d/%m/%Y"),
        "sex": entry.get_sex_display() if entry.sex else "",
        "address": ", ".join(filter(None, [entry.address_line1, entry.town, entry.postcode])),
        "upn": "",
    }
    when = "on the incident date" if register_entry_current(entry, on) else "but not on the incident date"
    where = f"{entry.local_authority.name} register ({entry.get_status_display().lower()}), {when}"
    cells = _cells(child_values, values, cand.get("levels", {}))
    return CandidateColumn(entry, cand["score"], where, cells, choice=f"register-{entry.pk}")
