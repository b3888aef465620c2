"""The police daily download: a CSV with one row per child per incident (columns in the
README, "Incidents"). The whole file is read and validated first; only a file with no bad row
is saved, in one transaction, so a file is never half-applied. Running it again changes
nothing: incidents are keyed by force and police reference, children by the police person id
or by name and date of birth."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db import transaction
from django.utils import timezone

from encompass.csv_files import UnreadableFile, csv_dict_rows, decoded_lines
from incidents.models import INCIDENT_FIELDS, Force, Incident, IncidentKind, IncidentStatus, RiskGrading
from incidents.validation import IncidentInput, incident_input_problems, postcode_normalise
from police.services import incident_upsert
from schools.models import School

INCIDENT_COLUMNS = INCIDENT_FIELDS
CHILD_COLUMNS = [
    "person_reference",
    "first_name",
    "last_name",
    "dob",
    "estimated_age",
    "sex",
    "present",
    "relationship",
    "upn",
    "known_school_urn",
]
REQUIRED_COLUMNS = ["reference", "occurred_at", "first_name", "last_name", "dob"]
TRUE = {"yes", "y", "true", "1"}
FALSE = {"no", "n", "false", "0", ""}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"]


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self):
        return f"line {self.line}, {self.field}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})

    @property
    def incidents(self) -> int:
        return sum(self.outcomes.values())


class Bad(ValueError):
    pass


def _date(value: str) -> date | None:
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise Bad("Enter a date as YYYY-MM-DD, for example 2016-05-14")


def _datetime(value: str) -> datetime | None:
    if not value:
        return None
    for fmt in DATETIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value)
        parsed = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        # 0001-01-01T00:00+23:59 parses, but is before the first moment Python can hold in UTC.
        parsed.astimezone(UTC)
    except ValueError:
        raise Bad("Enter a date and time as YYYY-MM-DD HH:MM, for example 2026-11-27 21:30")
    except OverflowError:
        raise Bad("This date and time is out of range: enter it as YYYY-MM-DD HH:MM")
    return parsed


def _bool(value: str) -> bool:
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise Bad("Enter yes or no")


def _choice(choices):
    def parse(value: str) -> str:
        if value.lower() in choices.values:
            return value.lower()
        raise Bad(f"Enter one of: {', '.join(choices.values)}")

    return parse


def _age(value: str) -> int | None:
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,2}", value):
        raise Bad("Enter the estimated age in whole years, for example 9")
    return int(value)


def _sex(value: str) -> str:
    if value.upper() in ("M", "F", ""):
        return value.upper()
    raise Bad("Enter M, F or leave it blank")


def _text(limit: int):
    def parse(value: str) -> str:
        if len(value) > limit:
            raise Bad(f"Must be {limit} characters or fewer")
        return value

    return parse


PARSERS: dict[str, Callable[[str], object]] = {
    "reference": _text(40),
    "occurred_at": _datetime,
    "reported_at": _datetime,
    "kind": _choice(IncidentKind),
    "risk": lambda v: _choice(RiskGrading)(v) if v else "",
    "address_line1": _text(200),
    "address_line2": _text(200),
    "town": _text(100),
    "postcode": lambda v: postcode_normalise(_text(10)(v)),
    "uprn": _text(12),
    "welfare_check": _bool,
    "voice_of_child": _text(5000),
    "circumstances": str,
    "person_reference": _text(40),
    "first_name": _text(100),
    "last_name": _text(100),
    "dob": _date,
    "estimated_age": _age,
    "sex": _sex,
    "present": lambda v: _bool(v or "yes"),
    "relationship": _text(60),
    "upn": lambda v: _text(13)(v.upper()),
}
DEFAULTS = {"kind": IncidentKind.INCIDENT, "present": "yes"}


@dataclass
class _Group:
    first_line: int
    data: IncidentInput
    lines: list[int]


def _row_parse(row: dict, line: int, errors: list[RowError], schools: dict) -> tuple[dict, dict]:
    incident, child = {}, {}
    for column in INCIDENT_COLUMNS + CHILD_COLUMNS:
        raw = (row.get(column) or DEFAULTS.get(column, "")).strip()
        target = incident if column in INCIDENT_COLUMNS else child
        if column == "known_school_urn":
            if raw and raw not in schools:
                errors.append(RowError(line, column, f"No school has the URN {raw}"))
            child["known_school"] = schools.get(raw)
            continue
        try:
            target[column] = PARSERS[column](raw)
        except Bad as exc:
            errors.append(RowError(line, column, str(exc)))
    return incident, child


def _read(text: str | bytes, force: Force, result: ImportResult) -> list[_Group]:
    try:
        header, records = csv_dict_rows(decoded_lines(text))
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            result.errors.append(RowError(1, ", ".join(missing), "The header row is missing these columns"))
            return []
        records = list(records)  # a day's download: small enough to read whole before checking
    except UnreadableFile as exc:
        result.errors.append(RowError(exc.line, "file", exc.reason))
        return []
    urns = {(r.get("known_school_urn") or "").strip() for _, r in records} - {""}
    urns = [u for u in urns if re.fullmatch(r"[0-9]{1,9}", u)]
    schools = {str(s.urn): s for s in School.objects.filter(urn__in=urns)}
    groups: dict[str, _Group] = {}
    for start, row in records:
        result.rows += 1
        incident, child = _row_parse(row, start, result.errors, schools)
        reference = incident.pop("reference", "")
        group = groups.get(reference)
        if group is None:
            groups[reference] = _Group(start, IncidentInput(reference, incident, [child]), [start])
            continue
        for name, value in incident.items():
            if group.data.fields.get(name) != value:
                message = f"Differs from line {group.first_line}, which has the same police reference"
                result.errors.append(RowError(start, name, message))
        group.data.children.append(child)
        group.lines.append(start)
    return list(groups.values())


def _check(groups: list[_Group], force: Force, result: ImportResult) -> None:
    """The rules of incidents/validation.py, each problem put back on its row. A field that
    could not be read at all is reported once, for that reason only."""
    unreadable = {(e.line, e.field) for e in result.errors}
    withdrawn = set(
        Incident.objects.filter(
            force=force, reference__in=[g.data.reference for g in groups], status=IncidentStatus.WITHDRAWN
        ).values_list("reference", flat=True)
    )
    for group in groups:
        if group.data.reference in withdrawn:
            result.errors.append(
                RowError(group.first_line, "reference", "This incident was withdrawn and cannot be changed")
            )
        for problem in incident_input_problems(force, group.data):
            line, name = group.first_line, problem.field
            if match := re.fullmatch(r"children\[(\d+)\](?:\.(\w+))?", problem.field):
                line, name = group.lines[int(match[1])], match[2] or "first_name"
            if (line, name) not in unreadable:
                result.errors.append(RowError(line, name, problem.message))


def incidents_import(
    *,
    force: Force,
    text: str | bytes,
    actor=None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    result = ImportResult()
    groups = _read(text, force, result)
    _check(groups, force, result)
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        return result
    with transaction.atomic():
        for done, group in enumerate(groups, start=1):
            _, outcome = incident_upsert(force=force, data=group.data, actor=actor, source="import")
            result.outcomes[outcome] += 1
            if progress:
                progress(done, len(groups))
    return result
