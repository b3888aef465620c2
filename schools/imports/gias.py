"""The "Get Information about Schools" import: schools by URN, local authorities by code.

The extract is Windows-1252 CSV with about 130 columns; only those in COLUMNS are read.
Schools are never deleted: a closed school is marked closed. A school's sign-up (participating,
joined_on) and day start time are ours, not GIAS's, and are never touched here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.db import transaction

from encompass.csv_files import UnreadableFile, csv_rows, decoded_lines
from schools.imports import fields
from schools.imports.report import ImportReport, Progress, RowError, no_progress
from schools.models import TEAM_URN_BASE, LocalAuthority, School, SchoolStatus

COLUMNS = {
    "urn": "URN",
    "la_code": "LA (code)",
    "la_name": "LA (name)",
    "establishment_number": "EstablishmentNumber",
    "name": "EstablishmentName",
    "establishment_type": "TypeOfEstablishment (name)",
    "status": "EstablishmentStatus (name)",
    "phase": "PhaseOfEducation (name)",
    "low_age": "StatutoryLowAge",
    "high_age": "StatutoryHighAge",
    "street": "Street",
    "locality": "Locality",
    "address3": "Address3",
    "town": "Town",
    "postcode": "Postcode",
    "opened_on": "OpenDate",
    "closed_on": "CloseDate",
}
REQUIRED = ("urn", "la_code", "la_name", "name", "status")
STATUSES = {
    "open": SchoolStatus.OPEN,
    "open, but proposed to close": SchoolStatus.OPEN,
    "closed": SchoolStatus.CLOSED,
    "proposed to open": SchoolStatus.PROPOSED,
}
SCHOOL_FIELDS = [
    "name", "local_authority_id", "establishment_number", "establishment_type", "phase", "low_age",
    "high_age", "street", "locality", "address3", "town", "postcode", "status", "opened_on", "closed_on",
]  # fmt: skip
TEXT_SIZES = {
    "name": 250, "establishment_number": 10, "establishment_type": 120, "phase": 60,
    "street": 200, "locality": 200, "address3": 200, "town": 100,
}  # fmt: skip
PROGRESS_EVERY = 5_000


@dataclass
class _Row:
    line: int
    urn: int
    la_code: str
    la_name: str
    values: dict


def schools_import(
    *,
    source: str | Path | BinaryIO,
    la_codes: list[str] | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: Progress = no_progress,
) -> ImportReport:
    """Create or update schools and local authorities from a GIAS extract. Nothing is saved
    when any row is bad, unless `skip_invalid`; nothing at all on a `dry_run`."""
    report = ImportReport(what="Schools (GIAS)", dry_run=dry_run, skip_invalid=skip_invalid)
    wanted = {code.strip() for code in la_codes or []}
    binary = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    with binary:
        try:
            rows = _read(csv_rows(decoded_lines(binary, encoding="cp1252")), report, wanted, progress)
        except UnreadableFile as exc:
            report.errors.append(RowError(exc.line, "", exc.reason))
            return report
    if rows is None or (report.errors and not skip_invalid):
        return report
    if dry_run:
        _count_dry_run(rows, report)
        return report
    with transaction.atomic():
        _apply(rows, report)
    report.applied = True
    return report


def _read(reader, report: ImportReport, wanted: set[str], progress: Progress) -> list[_Row] | None:
    header = next(reader, (1, []))[1]
    positions = {key: header.index(column) for key, column in COLUMNS.items() if column in header}
    missing = [COLUMNS[key] for key in REQUIRED if key not in positions]
    if missing:
        report.errors.append(RowError(1, "header", f"missing column(s): {', '.join(missing)}"))
        return None
    rows: list[_Row] = []
    first_line: dict[int, int] = {}
    for line, values in reader:
        if not any(value.strip() for value in values):
            continue
        report.rows += 1
        if report.rows % PROGRESS_EVERY == 0:
            progress(report.rows)
        raw = {key: values[i] if i < len(values) else "" for key, i in positions.items()}
        if wanted and raw["la_code"].strip() not in wanted:
            report.count("rows_outside_the_chosen_local_authorities")
            continue
        row, errors = _clean(line, raw)
        if row and row.urn in first_line:
            errors.append(
                RowError(row.line, COLUMNS["urn"], f"URN {row.urn} is also on line {first_line[row.urn]}")
            )
        if errors:
            report.errors.extend(errors)
            continue
        first_line[row.urn] = row.line
        rows.append(row)
    progress(report.rows)
    return rows


def _clean(line: int, raw: dict) -> tuple[_Row | None, list[RowError]]:
    errors: list[RowError] = []
    values: dict = {}

    def check(key, function, *args, **kwargs):
        try:
            return function(raw.get(key, ""), *args, **kwargs)
        except ValueError as error:
            errors.append(RowError(line, COLUMNS[key], str(error)))
            return None

    urn = check("urn", _urn)
    la_code = check("la_code", _la_code)
    la_name = check("la_name", fields.text, max_length=200, required=True)
    for key, size in TEXT_SIZES.items():
        values[key] = check(key, fields.text, max_length=size, required=key == "name")
    values["status"] = check("status", _status)
    values["low_age"] = check("low_age", _whole_number)
    values["high_age"] = check("high_age", _whole_number)
    values["postcode"] = check("postcode", fields.postcode)
    values["opened_on"] = check("opened_on", fields.uk_date)
    values["closed_on"] = check("closed_on", fields.uk_date)
    if (
        values["low_age"] is not None
        and values["high_age"] is not None
        and values["low_age"] > values["high_age"]
    ):
        errors.append(RowError(line, COLUMNS["high_age"], "is below the statutory low age"))
    if errors:
        return None, errors
    return _Row(line, urn, la_code, la_name, values), errors


def _urn(value: str) -> int:
    urn = _whole_number(value, required=True)
    if urn >= TEAM_URN_BASE:
        raise ValueError(f"{urn} is not a GIAS URN (numbers from {TEAM_URN_BASE} are local authority teams)")
    return urn


def _whole_number(value: str, *, required: bool = False) -> int | None:
    value = value.strip()
    if not value:
        if required:
            raise ValueError("is missing")
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"'{value}' is not a whole number")
    return int(value)


def _la_code(value: str) -> str:
    value = value.strip()
    if not (len(value) == 3 and value.isdigit()):
        raise ValueError(f"'{value}' is not a three-digit local authority code")
    if value == "000":
        raise ValueError("000 ('Does not apply') is not a local authority")
    return value


def _status(value: str) -> str:
    status = STATUSES.get(" ".join(value.split()).lower())
    if status is None:
        raise ValueError(f"'{value.strip()}' is not a known establishment status")
    return status


def _count_dry_run(rows: list[_Row], report: ImportReport) -> None:
    known = set(School.objects.values_list("urn", flat=True))
    report.count("schools_created", sum(1 for row in rows if row.urn not in known))
    report.count("schools_updated_or_unchanged", sum(1 for row in rows if row.urn in known))


def _apply(rows: list[_Row], report: ImportReport) -> None:
    authorities = _authorities(rows, report)
    existing = School.objects.in_bulk([row.urn for row in rows], field_name="urn")
    created, changed = [], []
    for row in rows:
        values = {**row.values, "local_authority_id": authorities[row.la_code].id}
        values = {
            key: ("" if value is None and key not in _NULLABLE else value) for key, value in values.items()
        }
        school = existing.get(row.urn)
        if school is None:
            created.append(School(urn=row.urn, **values))
            continue
        if school.status != SchoolStatus.CLOSED and values["status"] == SchoolStatus.CLOSED:
            report.count("schools_closed")
        differences = [key for key in SCHOOL_FIELDS if getattr(school, key) != values[key]]
        for key in differences:
            setattr(school, key, values[key])
        if differences:
            changed.append(school)
    School.objects.bulk_create(created, batch_size=1000)
    School.objects.bulk_update(changed, SCHOOL_FIELDS, batch_size=1000)
    report.count("schools_created", len(created))
    report.count("schools_updated", len(changed))
    report.count("schools_unchanged", len(rows) - len(created) - len(changed))


_NULLABLE = {"low_age", "high_age", "opened_on", "closed_on"}


def _authorities(rows: list[_Row], report: ImportReport) -> dict[str, LocalAuthority]:
    names = {row.la_code: row.la_name for row in rows}
    authorities = LocalAuthority.objects.in_bulk(list(names), field_name="code")
    for code, name in names.items():
        authority = authorities.get(code)
        if authority is None:
            authorities[code] = LocalAuthority.objects.create(code=code, name=name)
            report.count("local_authorities_created")
        elif authority.name != name:
            authority.name = name
            authority.save(update_fields=["name"])
            report.count("local_authorities_updated")
    return authorities
