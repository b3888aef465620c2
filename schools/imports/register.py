"""The local authority's register of children educated at home or missing education:
validate every row, then upsert by the authority's child id, in one transaction. A file
with any bad row changes nothing; importing the same file again changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from encompass.csv_files import UnreadableFile, csv_dict_rows, decoded_lines
from schools.imports import fields
from schools.imports.report import ImportReport, RowError
from schools.models import LocalAuthority, RegisteredChild, RegisterStatus, Sex

COLUMNS = (
    "child_id", "first_name", "middle_names", "last_name", "dob", "sex", "address_line1",
    "address_line2", "town", "postcode", "status", "start_date", "end_date",
)  # fmt: skip
REQUIRED_COLUMNS = ("child_id", "first_name", "last_name", "dob", "status", "start_date")
TEXT_LIMITS = {
    "child_id": 40, "first_name": 100, "middle_names": 200, "last_name": 100,
    "address_line1": 200, "address_line2": 200, "town": 100,
}  # fmt: skip
VALUE_FIELDS = COLUMNS[1:]


class _BadRow(Exception):
    pass


def la_register_import(*, source: str | Path | BinaryIO, la_code: str, dry_run: bool = False) -> ImportReport:
    """Import one authority's register CSV (UTF-8, header row). Every bad row is reported
    by line and reason, and then nothing is saved."""
    report = ImportReport(what=f"Register of local authority {la_code}", dry_run=dry_run)
    authority = LocalAuthority.objects.filter(code=la_code.strip()).first()
    if authority is None:
        report.errors.append(RowError(0, "--la", f"no local authority has the code '{la_code}'"))
        return report
    binary = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    try:
        entries = _read(binary, report)
    finally:
        if binary is not source:
            binary.close()
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        _apply(authority, entries, report)
    report.applied = True
    return report


def _read(binary: BinaryIO, report: ImportReport) -> dict[str, dict]:
    entries: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    try:
        header, rows = csv_dict_rows(decoded_lines(binary))
        header = [name.lower() for name in header]
        if missing := [name for name in REQUIRED_COLUMNS if name not in header]:
            report.errors.append(RowError(1, "", f"missing column(s): {', '.join(missing)}"))
            return entries
        for line, raw in rows:
            row = {key.strip().lower(): value for key, value in raw.items()}
            if not any(value.strip() for value in row.values()):
                continue
            report.rows += 1
            try:
                entry = _clean(line, row, report)
            except _BadRow:
                continue
            if (earlier := first_line.get(entry["child_id"])) is not None:
                report.errors.append(RowError(line, "child_id", f"repeats line {earlier}"))
                continue
            first_line[entry["child_id"]] = line
            entries[entry["child_id"]] = entry
    except UnreadableFile as exc:
        report.errors.append(RowError(exc.line, "", exc.reason))
    return entries


def _clean(line: int, row: dict[str, str], report: ImportReport) -> dict:
    entry, bad = {}, False

    def check(name, clean):
        nonlocal bad
        try:
            entry[name] = clean(row.get(name, ""))
        except ValueError as exc:
            report.errors.append(RowError(line, name, str(exc)))
            bad = True

    for name, limit in TEXT_LIMITS.items():
        check(name, lambda v, limit=limit, name=name: fields.text(
            v, max_length=limit, required=name in REQUIRED_COLUMNS
        ))  # fmt: skip
    check("dob", _dob)
    check("sex", _sex)
    check("postcode", fields.postcode)
    check("status", _status)
    check("start_date", fields.iso_date)
    check("end_date", lambda v: fields.iso_date(v, required=False))
    if not bad and entry["end_date"] and entry["end_date"] < entry["start_date"]:
        report.errors.append(RowError(line, "end_date", "is before start_date"))
        bad = True
    if bad:
        raise _BadRow
    return entry


def _dob(value: str) -> date:
    dob = fields.iso_date(value)
    if dob > timezone.localdate():
        raise ValueError(f"'{value.strip()}' is in the future")
    return dob


def _sex(value: str) -> str:
    value = value.strip().upper()
    if value not in {"", *Sex.values}:
        raise ValueError(f"'{value}' is not M, F or blank")
    return value


def _status(value: str) -> str:
    value = value.strip().lower()
    if value not in RegisterStatus.values:
        raise ValueError(f"'{value}' is not one of {', '.join(RegisterStatus.values)}")
    return value


def _apply(authority: LocalAuthority, entries: dict[str, dict], report: ImportReport) -> None:
    existing = {
        child.child_id: child
        for child in RegisteredChild.objects.select_for_update().filter(local_authority=authority)
    }
    for child_id, entry in entries.items():
        child = existing.get(child_id)
        if child is None:
            RegisteredChild.objects.create(local_authority=authority, **entry)
            report.count("children_added")
        elif any(getattr(child, name) != entry[name] for name in VALUE_FIELDS):
            for name in VALUE_FIELDS:
                setattr(child, name, entry[name])
            child.save()
            report.count("children_updated")
        else:
            report.count("children_unchanged")
