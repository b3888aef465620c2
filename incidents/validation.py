"""The rules an incident and its children must meet, in one place. The officer's forms, the
CSV import and the REST API all call these functions, so a rule reads the same everywhere.
Each problem names the field it belongs to and says what to do about it."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from stdnum.gb import upn as upn_check

from incidents.models import Force, Incident

ADULT_AGE = 18
POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
UPRN = re.compile(r"^[0-9]{1,12}$")
CIRCUMSTANCES_MAX = Incident._meta.get_field("circumstances").max_length


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def postcode_normalise(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def reference_problem(force: Force, reference: str) -> str | None:
    if not reference:
        return "Enter the police reference"
    # "４２/９００００１/２６" and "٤٢/٩٠٠٠٠١/٢٦" look like 42/900001/26 but would be other
    # incidents: a reference must be what NFKC normalisation leaves unchanged, in ASCII.
    if not reference.isascii() or unicodedata.normalize("NFKC", reference) != reference:
        return (
            "Type the police reference with the digits 0 to 9 and plain letters and slashes: it is "
            f"checked after Unicode NFKC normalisation, and other characters are refused, "
            f"for example {force.reference_example}"
        )
    try:
        # re.ASCII: a force's \d must not match every script's digits.
        ok = re.fullmatch(force.reference_pattern, reference, flags=re.ASCII) is not None
    except re.error:
        ok = True  # a broken pattern is an administrator's mistake, not the officer's
    if not ok:
        return (
            f"Enter the police reference in the format {force.name} uses, "
            f"for example {force.reference_example}"
        )
    return None


def incident_problems(
    *,
    force: Force,
    reference: str,
    occurred_at: datetime | None,
    reported_at: datetime | None = None,
    address_line1: str = "",
    postcode: str = "",
    uprn: str = "",
    circumstances: str = "",
) -> list[Problem]:
    now = timezone.now()
    problems = []
    if message := reference_problem(force, reference):
        problems.append(Problem("reference", message))
    if occurred_at is None:
        problems.append(Problem("occurred_at", "Enter the date and time of the incident"))
    elif occurred_at > now:
        problems.append(Problem("occurred_at", "The date and time of the incident must be in the past"))
    elif occurred_at < oldest_incident(now):
        years = settings.INCIDENT_MAX_AGE_YEARS
        problems.append(
            Problem("occurred_at", f"The incident must be within the last {years} years: check the year")
        )
    if reported_at is not None:
        if reported_at > now:
            problems.append(Problem("reported_at", "The date and time it was reported must be in the past"))
        elif occurred_at is not None and reported_at < occurred_at:
            problems.append(
                Problem("reported_at", "The date and time it was reported must be after the incident")
            )
    if postcode and not POSTCODE.match(postcode_normalise(postcode)):
        problems.append(Problem("postcode", "Enter a real postcode, like SS1 1AA"))
    if uprn and not UPRN.match(uprn):
        problems.append(Problem("uprn", "The UPRN must be a number of up to 12 digits"))
    problems += circumstances_problems(circumstances, address_line1=address_line1, postcode=postcode)
    return problems


def reference_in_use_problems(*, force: Force, reference: str | None, incident: Incident) -> list[Problem]:
    """The officer's form files a new incident: a reference the force already used is an
    amendment of that incident, not a second one. (Police systems upsert by reference.)"""
    taken = Incident.objects.filter(force=force, reference=reference).exclude(pk=incident.pk)
    if not reference or not taken.exists():
        return []
    message = (
        "An incident with this police reference already exists: open it and amend it instead "
        "of logging it as a separate incident"
    )
    return [Problem("reference", message)]


def oldest_incident(now: datetime) -> datetime:
    """The earliest moment an incident may have happened: INCIDENT_MAX_AGE_YEARS ago."""
    year = now.year - settings.INCIDENT_MAX_AGE_YEARS
    try:
        return now.replace(year=year)
    except ValueError:  # 29 February
        return now.replace(year=year, day=28)


def circumstances_problems(text: str, *, address_line1: str, postcode: str) -> list[Problem]:
    if len(text) > CIRCUMSTANCES_MAX:
        return [
            Problem(
                "circumstances",
                f"The circumstances must be {CIRCUMSTANCES_MAX} characters or fewer (it has {len(text)})",
            )
        ]
    lowered = re.sub(r"\s+", "", text.lower())
    for place in (address_line1, postcode):
        compact = re.sub(r"\s+", "", (place or "").lower())
        if len(compact) >= 5 and compact in lowered:
            return [
                Problem(
                    "circumstances",
                    "Do not give the location in the circumstances: the school must not learn the address",
                )
            ]
    return []


def child_problems(
    *,
    first_name: str,
    last_name: str,
    dob: date | None,
    estimated_age: int | None,
    occurred_at: datetime | None,
    upn: str = "",
) -> list[Problem]:
    problems = []
    if not (first_name or "").strip():
        problems.append(Problem("first_name", "Enter the child's first name"))
    if not (last_name or "").strip():
        problems.append(Problem("last_name", "Enter the child's last name"))
    if dob is None and estimated_age is None:
        problems.append(Problem("dob", "Enter the child's date of birth, or an estimated age if not known"))
    if dob is not None:
        problems += _dob_problems(dob, occurred_at)
    elif estimated_age is not None and estimated_age >= ADULT_AGE:
        problems.append(
            Problem("estimated_age", "A person aged 18 or over is not a child: remove them from the children")
        )
    if upn and not upn_check.is_valid(upn.strip().upper()):
        problems.append(
            Problem("upn", "Enter a valid UPN (13 characters, starting with a letter), or leave it blank")
        )
    return problems


def _dob_problems(dob: date, occurred_at: datetime | None) -> list[Problem]:
    if dob > timezone.localdate():
        return [Problem("dob", "The date of birth must be in the past")]
    if occurred_at is None:
        return []
    incident_day = timezone.localtime(occurred_at).date()
    if dob > incident_day:
        return [Problem("dob", "The date of birth must be on or before the date of the incident")]
    if age_on(dob, incident_day) >= ADULT_AGE:
        return [
            Problem(
                "dob",
                "This person was 18 or over on the date of the incident: only children under 18 are "
                "notified, so remove them from the children or check the date of birth",
            )
        ]
    return []


def children_problems(count: int) -> list[Problem]:
    if count == 0:
        return [Problem("children", "Add at least one child: an incident is shared for the children in it")]
    return []


@dataclass
class IncidentInput:
    """An incident as a police system sends it (REST API, daily download), parsed into model
    field values for the incident and for each child."""

    reference: str
    fields: dict
    children: list[dict] = field(default_factory=list)


def child_key(values: dict) -> tuple:
    """Which child of the incident a sent child is: the police system's person id when it
    has one, else the name and date of birth (or estimated age)."""
    if values.get("person_reference"):
        return ("ref", values["person_reference"])
    return (
        "name",
        (values.get("first_name") or "").strip().casefold(),
        (values.get("last_name") or "").strip().casefold(),
        values.get("dob") or values.get("estimated_age"),
    )


def incident_input_problems(force: Force, data: IncidentInput) -> list[Problem]:
    """Every problem with a sent incident; a child's fields are named children[i].field."""
    f = data.fields
    problems = incident_problems(
        force=force,
        reference=data.reference,
        occurred_at=f.get("occurred_at"),
        reported_at=f.get("reported_at"),
        address_line1=f.get("address_line1", ""),
        postcode=f.get("postcode", ""),
        uprn=f.get("uprn", ""),
        circumstances=f.get("circumstances", ""),
    )
    problems += children_problems(len(data.children))
    seen = set()
    for i, child in enumerate(data.children):
        for p in child_problems(
            first_name=child.get("first_name", ""),
            last_name=child.get("last_name", ""),
            dob=child.get("dob"),
            estimated_age=child.get("estimated_age"),
            occurred_at=f.get("occurred_at"),
            upn=child.get("upn", ""),
        ):
            problems.append(Problem(f"children[{i}].{p.field}", p.message))
        key = child_key(child)
        if key in seen:
            problems.append(Problem(f"children[{i}]", "This child is listed twice in the same incident"))
        seen.add(key)
    return problems
