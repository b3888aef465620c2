"""Term dates, holidays and INSET days, for a local authority or one school, from CSV or
iCalendar.

CSV (UTF-8, header row): la_code, school_urn, kind, starts_on, ends_on, description. Each
row names a local authority (la_code) or a school (school_urn), not both; kind is term,
holiday or inset; dates are YYYY-MM-DD, both inclusive.

iCalendar: all-day events for the one authority or school given with the import; the kind
is read from the summary ("INSET"/"training day", "holiday"/"half term"/"closed", "term").

For each authority or school in the file, the file is the truth over the span of dates it
covers: periods of that span not in the file are removed, so a corrected file corrects."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import icalendar
from django.db import transaction
from django.db.models import Q

from encompass.csv_files import UnreadableFile, csv_dict_rows, decoded_lines
from schools.imports import fields
from schools.imports.report import ImportReport, RowError
from schools.models import LocalAuthority, School, TermPeriod, TermPeriodKind

KINDS = {
    "term": TermPeriodKind.TERM,
    "holiday": TermPeriodKind.HOLIDAY,
    "half term": TermPeriodKind.HOLIDAY,
    "closure": TermPeriodKind.HOLIDAY,
    "inset": TermPeriodKind.INSET,
    "inset day": TermPeriodKind.INSET,
}

Owner = tuple[str, int]  # ("la", id) or ("school", id)
Period = tuple[str, date, date, str]  # kind, starts_on, ends_on, description


def term_dates_import(
    *,
    source: str | Path | BinaryIO,
    la_code: str = "",
    school_urn: int | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    report = ImportReport(what="Term dates", dry_run=dry_run, skip_invalid=skip_invalid)
    binary = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    with binary:
        content = binary.read()
    try:
        lines = list(decoded_lines(content))
        if "".join(lines[:1]).lstrip().startswith("BEGIN:VCALENDAR"):
            periods = _read_ical("".join(lines), la_code, school_urn, report)
        else:
            periods = _read_csv(lines, report)
    except UnreadableFile as exc:
        report.errors[:] = [RowError(exc.line, "", exc.reason)]
        return report
    if report.errors and not skip_invalid:
        return report
    if not dry_run:
        with transaction.atomic():
            _apply(periods, report)
        report.applied = True
    return report


class _Owners:
    """Looks up the authority or school a row belongs to, once per code."""

    def __init__(self):
        self.authorities = dict(LocalAuthority.objects.values_list("code", "id"))
        self.schools = dict(School.objects.schools().values_list("urn", "id"))

    def find(self, la_code: str, school_urn: str) -> Owner:
        la_code, school_urn = la_code.strip(), school_urn.strip()
        if bool(la_code) == bool(school_urn):
            raise ValueError("give a local authority code or a school URN, not both and not neither")
        if la_code:
            if la_code not in self.authorities:
                raise ValueError(f"'{la_code}' is not a known local authority code")
            return ("la", self.authorities[la_code])
        if not school_urn.isdigit() or int(school_urn) not in self.schools:
            raise ValueError(f"'{school_urn}' is not the URN of a known school")
        return ("school", self.schools[int(school_urn)])


def _kind(value: str) -> str:
    kind = KINDS.get(" ".join(value.replace("-", " ").split()).lower())
    if kind is None:
        raise ValueError(f"'{value.strip()}' is not term, holiday or inset")
    return kind


def _read_csv(lines: list[str], report: ImportReport) -> dict[Owner, list[Period]]:
    header, records = csv_dict_rows(lines)
    header = [name.lower() for name in header]
    missing = [name for name in ("kind", "starts_on", "ends_on") if name not in header]
    if missing or not ({"la_code", "school_urn"} & set(header)):
        missing += [] if {"la_code", "school_urn"} & set(header) else ["la_code or school_urn"]
        report.errors.append(RowError(1, "header", f"missing column(s): {', '.join(missing)}"))
        return {}
    owners = _Owners()
    periods: dict[Owner, list[Period]] = defaultdict(list)
    for line, row in records:
        row = {name.lower(): value for name, value in row.items()}
        report.rows += 1
        errors: list[RowError] = []

        def check(name, function, line=line, errors=errors, row=row):
            try:
                return function(row.get(name) or "")
            except ValueError as error:
                errors.append(RowError(line, name, str(error)))
                return None

        try:
            owner = owners.find(row.get("la_code") or "", row.get("school_urn") or "")
        except ValueError as error:
            errors.append(RowError(line, "la_code" if "code" in str(error) else "school_urn", str(error)))
        kind = check("kind", _kind)
        starts_on = check("starts_on", fields.iso_date)
        ends_on = check("ends_on", fields.iso_date)
        description = check("description", lambda value: fields.text(value, max_length=200))
        if starts_on and ends_on and ends_on < starts_on:
            errors.append(RowError(line, "ends_on", "is before starts_on"))
        if errors:
            report.errors.extend(errors)
            continue
        periods[owner].append((kind, starts_on, ends_on, description))
    return periods


def _read_ical(
    text: str, la_code: str, school_urn: int | None, report: ImportReport
) -> dict[Owner, list[Period]]:
    try:
        owner = _Owners().find(la_code or "", str(school_urn or ""))
    except ValueError as error:
        report.errors.append(RowError(0, "authority or school", str(error)))
        return {}
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        report.errors.append(RowError(0, "", f"not a readable iCalendar file ({error})"))
        return {}
    periods: list[Period] = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        report.rows += 1
        summary = str(event.get("SUMMARY", "")).strip()
        where = f"event {number} ('{summary}')"
        try:
            periods.append(_ical_period(event, summary))
        except ValueError as error:
            report.errors.append(RowError(number, where, str(error)))
    return {owner: periods}


def _ical_period(event, summary: str) -> Period:
    lowered = summary.lower()
    if "inset" in lowered or "training day" in lowered or "staff development" in lowered:
        kind = TermPeriodKind.INSET
    elif any(word in lowered for word in ("holiday", "half term", "half-term", "closed", "closure")):
        kind = TermPeriodKind.HOLIDAY
    elif "term" in lowered:
        kind = TermPeriodKind.TERM
    else:
        raise ValueError("the summary does not say term, holiday or INSET")
    if event.get("DTSTART") is None:
        raise ValueError("has no start date")
    starts_on = _as_date(event.decoded("DTSTART"))
    if event.get("DTEND") is not None:
        end = event.decoded("DTEND")
        # An all-day event's end is exclusive: the last day is the one before.
        ends_on = _as_date(end) - timedelta(days=1) if not isinstance(end, datetime) else _as_date(end)
    else:
        ends_on = starts_on
    ends_on = max(ends_on, starts_on)
    return (kind, starts_on, ends_on, summary[:200])


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _apply(periods: dict[Owner, list[Period]], report: ImportReport) -> None:
    for (owner_kind, owner_id), wanted in periods.items():
        if not wanted:
            continue
        owner = Q(local_authority_id=owner_id, school__isnull=True)
        if owner_kind == "school":
            owner = Q(school_id=owner_id, local_authority__isnull=True)
        first, last = min(p[1] for p in wanted), max(p[2] for p in wanted)
        existing = {
            (p.kind, p.starts_on, p.ends_on): p
            for p in TermPeriod.objects.filter(owner, starts_on__gte=first, ends_on__lte=last)
        }
        wanted_by_span = {(kind, start, end): description for kind, start, end, description in wanted}
        stale = [p.pk for span, p in existing.items() if span not in wanted_by_span]
        TermPeriod.objects.filter(pk__in=stale).delete()
        report.count("periods_removed", len(stale))
        for span, description in wanted_by_span.items():
            period = existing.get(span)
            if period is None:
                owner_field = "school_id" if owner_kind == "school" else "local_authority_id"
                TermPeriod.objects.create(
                    kind=span[0], starts_on=span[1], ends_on=span[2], description=description,
                    **{owner_field: owner_id},
                )  # fmt: skip
                report.count("periods_created")
            elif period.description != description:
                period.description = description
                period.save(update_fields=["description"])
                report.count("periods_updated")
            else:
                report.count("periods_unchanged")
