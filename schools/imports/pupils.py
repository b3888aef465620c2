"""The pupil census import: validate every row, then upsert by UPN in a few set-based
statements, in one transaction.

Rows are validated (and their blocking keys computed) in Python, chunk by chunk, and
streamed into a temporary staging table: with COPY on PostgreSQL, with executemany on
SQLite. Everything after that is SQL that both databases run, so the rules live once, in
`_apply`. Memory stays flat whatever the file size: only bad rows are kept."""

from __future__ import annotations

import io
import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from django.db import connection, transaction
from django.utils import timezone

from encompass.csv_files import UnreadableFile, csv_rows, decoded_lines
from matching.fast_keys import census_line_keys
from matching.key_hash import key_hash
from matching.keys import KEY_SET_VERSION, pupil_blocking_keys
from matching.normalise import home_line
from matching.records import PupilRecord
from schools.census import pupil_keys_rebuild, pupil_record
from schools.imports import fields
from schools.imports.report import ImportReport, Progress, RowError, no_progress
from schools.models import Enrolment, Pupil, PupilAlias, PupilKey, School

COLUMNS = (
    "upn", "first_name", "middle_names", "last_name", "preferred_first_name", "preferred_last_name",
    "dob", "sex", "address_line1", "address_line2", "town", "postcode", "uprn", "school_urn",
    "entry_date", "leaving_date",
)  # fmt: skip
REQUIRED_COLUMNS = ("upn", "first_name", "last_name", "dob", "school_urn", "entry_date")
CHUNK = 10_000
# A load that at least doubles the census rebuilds indexes afterwards instead of updating them.
BULK_LOAD_MIN_ROWS = 100_000
PROGRESS_EVERY = 50_000

# The staging row: what one valid census line becomes.
STAGE_COLUMNS = (
    "line", "upn", "first_name", "middle_names", "last_name", "preferred_first_name",
    "preferred_last_name", "dob", "sex", "address_line1", "address_line2", "town", "postcode",
    "uprn", "school_id", "entry_date", "leaving_date", "keys",
)  # fmt: skip
# Pupil columns compared to decide whether a pupil changed, and copied when it did.
PUPIL_COLUMNS = STAGE_COLUMNS[1:14]


def pupil_keys(record: PupilRecord) -> list[str]:
    """The blocking keys stored for a pupil: the matching engine's own, so both sides agree."""
    return sorted(pupil_blocking_keys(record))


def pupils_import(
    *,
    source: str | Path | BinaryIO,
    skip_invalid: bool = False,
    dry_run: bool = False,
    progress: Progress = no_progress,
    workers: int = 1,
) -> ImportReport:
    """Import a census CSV (UTF-8, header row). Nothing is saved when any row is bad, unless
    `skip_invalid`; nothing at all on a `dry_run`. Every bad row is in the report."""
    report = ImportReport(what="Pupil census", dry_run=dry_run, skip_invalid=skip_invalid)
    with _open_binary(source) as binary:
        reader = csv_rows(decoded_lines(binary))
        try:
            header = [name.strip().lower() for name in next(reader, (1, []))[1]]
        except UnreadableFile as exc:
            report.errors.append(RowError(exc.line, "", exc.reason))
            return report
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            report.errors.append(RowError(1, "header", f"missing column(s): {', '.join(missing)}"))
            return report
        stage = _Stage.for_connection()
        try:
            with transaction.atomic():
                stage.create()
                cleaner = RowCleaner(header, dict(School.objects.schools().values_list("urn", "id")), stage)
                for payload, errors in _cleaned_chunks(reader, cleaner, workers, report, progress):
                    report.errors.extend(errors)
                    stage.load(payload)
                report.errors.extend(_duplicate_enrolments())
                report.errors.sort(key=lambda e: e.line)
                if report.errors and not skip_invalid:
                    raise _NothingSaved
                _apply(stage, report, dry_run=dry_run)
                stage.drop()
                if not dry_run and (rebuilt := pupil_keys_rebuild()):
                    # Pupils not in this file whose keys are of an earlier key set.
                    report.count("pupils_given_the_current_blocking_keys", rebuilt)
                if dry_run:
                    raise _NothingSaved
                report.applied = True
        except _NothingSaved:
            pass
        except UnreadableFile as exc:
            # Raised inside the transaction: everything staged so far is rolled back.
            report.errors[:] = [RowError(exc.line, "", exc.reason)]
    return report


class _NothingSaved(Exception):
    """Raised inside the transaction to roll it back."""


def _open_binary(source) -> BinaryIO:
    return open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115


@dataclass
class RowCleaner:
    """Turns one census line into a staging row, or into the reasons it is bad."""

    header: list[str]
    school_ids: dict[int, int]
    stage: _Stage

    def __post_init__(self):
        self.index = {name: self.header.index(name) for name in COLUMNS if name in self.header}
        self.today = timezone.localdate()
        # The fast path reads every column by position, so it needs them all in the header.
        self.positions = [self.index[name] for name in COLUMNS] if len(self.index) == len(COLUMNS) else None
        self.school_ids_by_text = {str(urn): school_id for urn, school_id in self.school_ids.items()}

    def clean(self, line: int, values: list[str]) -> tuple[tuple | None, list[RowError]]:
        """A good line takes the fast path; anything unusual the careful one, which says why."""
        if self.positions is not None:
            try:
                return self._clean_fast(line, [values[i] for i in self.positions]), []
            except (ValueError, LookupError):
                pass
        return self._clean_carefully(line, values)

    def _clean_fast(self, line: int, values: list[str]) -> tuple:
        """The same checks and values as `_clean_carefully` for a line that passes them all,
        without building its error messages; ValueError sends the line the careful way."""
        (upn, first, middle, last, preferred_first, preferred_last, dob, sex,
         address_line1, address_line2, town, postcode, uprn, urn, entry, leaving) = values  # fmt: skip
        upn = fields.upn(upn)
        # fields.text, inlined: spaces collapsed, then the lengths checked together.
        first, middle, last = " ".join(first.split()), " ".join(middle.split()), " ".join(last.split())
        preferred_first, preferred_last = " ".join(preferred_first.split()), " ".join(preferred_last.split())
        address_line1, address_line2 = " ".join(address_line1.split()), " ".join(address_line2.split())
        town = " ".join(town.split())
        if not (first and last) or sex not in _SEXES:
            raise ValueError
        if max(len(first), len(last), len(preferred_first), len(preferred_last), len(town)) > 100:
            raise ValueError
        if max(len(middle), len(address_line1), len(address_line2)) > 200:
            raise ValueError
        dob, entry, leaving = _date(dob), _date(entry), _date(leaving) if leaving else None
        school_id = self.school_ids_by_text[urn]
        if not dob <= self.today or entry < dob or (leaving and leaving < entry):
            raise ValueError
        if uprn and not (uprn.isdigit() and len(uprn) <= 12):
            raise ValueError
        postcode = _postcode(postcode)
        keys = census_line_keys(
            upn=upn, first_name=first, middle_names=middle, last_name=last,
            preferred_first_name=preferred_first, preferred_last_name=preferred_last,
            dob=dob, postcode=postcode, address_line1=home_line(address_line1, address_line2),
        )  # fmt: skip
        return (
            line, upn, first, middle, last, preferred_first, preferred_last, dob, sex,
            address_line1, address_line2, town, postcode, uprn,
            school_id, entry, leaving, [key_hash(key) for key in keys],
        )  # fmt: skip

    def _clean_carefully(self, line: int, values: list[str]) -> tuple[tuple | None, list[RowError]]:
        errors: list[RowError] = []

        def check(name, function, *args, **kwargs):
            try:
                return function(self._get(values, name), *args, **kwargs)
            except ValueError as error:
                errors.append(RowError(line, name, str(error)))
                return None

        upn = check("upn", fields.upn)
        names = {
            name: check(name, fields.text, max_length=size, required=name in REQUIRED_COLUMNS)
            for name, size in (
                ("first_name", 100), ("middle_names", 200), ("last_name", 100),
                ("preferred_first_name", 100), ("preferred_last_name", 100),
            )
        }  # fmt: skip
        dob = check("dob", fields.iso_date)
        sex = check("sex", _sex)
        address = {
            name: check(name, fields.text, max_length=size)
            for name, size in (("address_line1", 200), ("address_line2", 200), ("town", 100))
        }
        postcode = check("postcode", fields.postcode)
        uprn = check("uprn", _uprn)
        school_id = check("school_urn", self._school)
        entry = check("entry_date", fields.iso_date)
        leaving = check("leaving_date", fields.iso_date, required=False)
        if dob and dob > self.today:
            errors.append(RowError(line, "dob", f"'{dob}' is in the future"))
        if dob and entry and entry < dob:
            errors.append(RowError(line, "entry_date", "is before the date of birth"))
        if entry and leaving and leaving < entry:
            errors.append(RowError(line, "leaving_date", "is before the entry date"))
        if errors:
            return None, errors
        record = PupilRecord(
            id=0,
            upn=upn,
            dob=dob,
            sex=sex,
            postcode=postcode,
            address_line1=home_line(address["address_line1"], address["address_line2"]),
            **names,
        )
        keys = [key_hash(key) for key in pupil_keys(record)]
        row = (
            line, upn, names["first_name"], names["middle_names"], names["last_name"],
            names["preferred_first_name"], names["preferred_last_name"], dob, sex,
            address["address_line1"], address["address_line2"], address["town"], postcode, uprn,
            school_id, entry, leaving, keys,
        )  # fmt: skip
        return row, errors

    def _get(self, values: list[str], name: str) -> str:
        position = self.index.get(name)
        return values[position] if position is not None and position < len(values) else ""

    def _school(self, value: str) -> int:
        value = value.strip()
        if not value:
            raise ValueError("is missing")
        if not value.isdigit() or int(value) not in self.school_ids:
            raise ValueError(f"'{value}' is not the URN of a known school")
        return self.school_ids[int(value)]


_SEXES = frozenset(("M", "F", ""))


# Dates and postcodes repeat heavily in a census: each distinct value is checked once.
_date = lru_cache(maxsize=50_000)(fields.iso_date)
_postcode = lru_cache(maxsize=200_000)(fields.postcode)


def _sex(value: str) -> str:
    value = value.strip().upper()
    if value not in ("M", "F", ""):
        raise ValueError(f"'{value}' is not M, F or blank")
    return value


def _uprn(value: str) -> str:
    value = value.strip()
    if value and not (value.isdigit() and len(value) <= 12):
        raise ValueError(f"'{value}' is not a UPRN (up to 12 digits)")
    return value


# --- cleaning in chunks, in this process or in worker processes -------------------------

_worker_cleaner: RowCleaner | None = None


def _worker_init(cleaner: RowCleaner) -> None:
    global _worker_cleaner
    _worker_cleaner = cleaner


def _clean_chunk(chunk: list[tuple[int, list[str]]], cleaner: RowCleaner | None = None):
    cleaner = cleaner or _worker_cleaner
    rows, errors = [], []
    for line, values in chunk:
        row, row_errors = cleaner.clean(line, values)
        if row is None:
            errors.extend(row_errors)
        else:
            rows.append(row)
    return cleaner.stage.payload(rows), errors


def _chunks(reader, report: ImportReport, progress: Progress) -> Iterator[list[tuple[int, list[str]]]]:
    chunk = []
    for line, values in reader:
        if not any(value.strip() for value in values):
            continue
        chunk.append((line, values))
        report.rows += 1
        if report.rows % PROGRESS_EVERY == 0:
            progress(report.rows)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
    progress(report.rows)


def _cleaned_chunks(reader, cleaner: RowCleaner, workers: int, report, progress) -> Iterable:
    chunks = _chunks(reader, report, progress)
    if workers <= 1:
        for chunk in chunks:
            yield _clean_chunk(chunk, cleaner)
        return
    # A bounded window of chunks in flight keeps memory flat (Pool.imap would read ahead).
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_init, initargs=(cleaner,)
    ) as pool:
        in_flight: deque = deque()
        for chunk in chunks:
            in_flight.append(pool.submit(_clean_chunk, chunk))
            if len(in_flight) >= workers * 2:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()


# --- staging tables: the only code that differs between PostgreSQL and SQLite -----------


class _Stage:
    date_type = "date"
    bytewise = 'COLLATE "C"'  # sorting and grouping compare bytes, not a locale's rules

    @staticmethod
    def for_connection() -> _Stage:
        return _PostgresStage() if connection.vendor == "postgresql" else _SqliteStage()

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS imp_pupil")
            cursor.execute("DROP TABLE IF EXISTS imp_row")
            cursor.execute(
                f"""CREATE TEMP TABLE imp_row (line integer, upn text {self.bytewise}, first_name text,
                middle_names text, last_name text, preferred_first_name text,
                preferred_last_name text, dob {self.date_type}, sex text, address_line1 text,
                address_line2 text, town text, postcode text, uprn text, school_id integer,
                entry_date {self.date_type}, leaving_date {self.date_type}, keys text)"""
            )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS imp_pupil")
            cursor.execute("DROP TABLE IF EXISTS imp_row")

    def payload(self, rows: list[tuple]):
        """Staging rows as `load` takes them; built in the worker processes."""
        raise NotImplementedError

    def load(self, payload) -> None:
        raise NotImplementedError

    @contextmanager
    def bulk_load(self, tables: list[str]):
        """Inserting many rows into a table is faster without its indexes and foreign keys (and
        its primary key, when no foreign key refers to it), rebuilt in one pass afterwards;
        only PostgreSQL bothers."""
        yield

    def keys_of_changed_pupils(self) -> str:
        """A SELECT of (key, pupil_id) for every new or changed pupil, and every pupil whose
        stored keys are of an earlier key set."""
        raise NotImplementedError

    def new_pupil_id(self) -> str:
        """An expression giving each new pupil its id before it is inserted."""
        raise NotImplementedError

    def day_before(self, column: str) -> str:
        raise NotImplementedError


class _PostgresStage(_Stage):
    def create(self) -> None:
        super().create()
        with connection.cursor() as cursor:
            # Sorting a million staged rows in memory, not on disk; for this transaction only.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # Not waiting for the one commit's WAL flush: a crash in that instant loses the
            # import, and running it again restores it.
            cursor.execute("SET LOCAL synchronous_commit = off")

    def payload(self, rows: list[tuple]) -> str:
        return "".join(map(_copy_line, rows))

    def load(self, payload: str) -> None:
        if payload:
            with connection.cursor() as cursor:
                columns = ", ".join(STAGE_COLUMNS)
                cursor.cursor.copy_expert(f"COPY imp_row ({columns}) FROM STDIN", io.StringIO(payload))

    @contextmanager
    def bulk_load(self, tables: list[str]):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # Checks deferred so far run now: a table with pending checks cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            rebuild = []
            for table in tables:
                cursor.execute(
                    """SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint c
                    WHERE conrelid = %s::regclass AND (contype IN ('u', 'f') OR contype = 'p'
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.confrelid = c.conrelid))
                    ORDER BY contype DESC""",
                    [table],
                )
                constraints = cursor.fetchall()
                cursor.execute(
                    """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i
                    JOIN pg_class c ON c.oid = i.indexrelid
                    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint k
                      WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u'))""",
                    [table],
                )
                indexes = cursor.fetchall()
                for name, _, _ in constraints:
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _ in indexes:
                    cursor.execute(f'DROP INDEX "{name}"')
                rebuild += [definition for _, definition in indexes]
                rebuild += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {d}' for name, d, _ in constraints]
        yield
        with connection.cursor() as cursor:
            # Indexes and unique constraints first, so that foreign keys validate against them.
            for statement in sorted(rebuild, key=lambda sql: "FOREIGN KEY" in sql):
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def keys_of_changed_pupils(self) -> str:
        return """SELECT unnest(string_to_array(keys, '|'))::bigint, pupil_id FROM imp_pupil
            WHERE state <> 'same' OR keys_stale = 1"""

    def new_pupil_id(self) -> str:
        return f"nextval(pg_get_serial_sequence('{PUPIL}', 'id'))"

    def day_before(self, column: str) -> str:
        return f"({column} - 1)"


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, list):
        value = "|".join(map(str, value))
    elif not isinstance(value, str):
        return str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _plain_copy_value(value) -> str:
    return r"\N" if value is None else "|".join(map(str, value)) if type(value) is list else str(value)


def _copy_line(row: tuple) -> str:
    # Most lines need no escaping: join them plainly, and escape value by value only when a
    # backslash (other than those of \N), tab or line break is in the line.
    line = "\t".join([v if type(v) is str else _plain_copy_value(v) for v in row])
    plain = line.count("\\") == row.count(None) and line.count("\t") == len(row) - 1
    if not plain or "\n" in line or "\r" in line:
        line = "\t".join(map(_copy_value, row))
    return line + "\n"


class _SqliteStage(_Stage):
    date_type = "text"
    bytewise = ""

    def payload(self, rows: list[tuple]) -> list[tuple]:
        return [(*row[:-1], json.dumps(row[-1])) for row in rows]

    def load(self, payload: list[tuple]) -> None:
        placeholders = ", ".join(["%s"] * len(STAGE_COLUMNS))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO imp_row ({', '.join(STAGE_COLUMNS)}) VALUES ({placeholders})",  # noqa: S608
                payload,
            )

    def keys_of_changed_pupils(self) -> str:
        return """SELECT j.value, i.pupil_id FROM imp_pupil i, json_each(i.keys) j
            WHERE i.state <> 'same' OR i.keys_stale = 1"""

    def new_pupil_id(self) -> str:
        # One writer at a time on SQLite: ids after the largest, in file order.
        return f"(SELECT COALESCE(MAX(id), 0) FROM {PUPIL}) + ROW_NUMBER() OVER (ORDER BY r.line)"  # noqa: S608

    def day_before(self, column: str) -> str:
        return f"date({column}, '-1 day')"


# --- the rules, in SQL both databases run ------------------------------------------------

PUPIL = Pupil._meta.db_table
ALIAS = PupilAlias._meta.db_table
KEY = PupilKey._meta.db_table
ENROLMENT = Enrolment._meta.db_table


def _duplicate_enrolments() -> list[RowError]:
    """The same pupil at the same school from the same date twice: the later line is bad."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT r.line, d.first_line FROM imp_row r JOIN (
                 SELECT upn, school_id, entry_date, MIN(line) AS first_line FROM imp_row
                 GROUP BY upn, school_id, entry_date HAVING COUNT(*) > 1) d
               ON d.upn = r.upn AND d.school_id = r.school_id AND d.entry_date = r.entry_date
               WHERE r.line <> d.first_line ORDER BY r.line"""
        )
        duplicates = cursor.fetchall()
        if duplicates:
            cursor.executemany("DELETE FROM imp_row WHERE line = %s", [(line,) for line, _ in duplicates])
    return [
        RowError(line, "upn", f"the same pupil, school and entry date as line {first}")
        for line, first in duplicates
    ]


def _one_row_per_pupil(cursor) -> tuple[str, bool]:
    """The staged rows, numbered latest first within each pupil (sorting only when a UPN
    repeats), and whether one does."""
    cursor.execute("SELECT 1 FROM imp_row GROUP BY upn HAVING COUNT(*) > 1 LIMIT 1")
    if cursor.fetchone() is None:
        return "(SELECT s.*, 1 AS rn, 1 AS n_rows FROM imp_row s)", False
    return (
        """(SELECT s.*,
        ROW_NUMBER() OVER (PARTITION BY s.upn ORDER BY s.entry_date DESC, s.line DESC) AS rn,
        COUNT(*) OVER (PARTITION BY s.upn) AS n_rows
      FROM imp_row s)""",
        True,
    )


def _differs(columns) -> str:
    return " OR ".join(f"p.{column} <> r.{column}" for column in columns)


def _apply(stage: _Stage, report: ImportReport, *, dry_run: bool) -> None:
    today = timezone.localdate()
    with connection.cursor() as cursor:
        # One row per pupil: its latest enrolment line carries its current details.
        rows_per_pupil, upn_repeats = _one_row_per_pupil(cursor)
        cursor.execute(
            f"""CREATE TEMP TABLE imp_pupil AS
            SELECT r.*, CASE WHEN p.id IS NULL THEN {stage.new_pupil_id()} ELSE p.id END AS pupil_id,
              CASE WHEN p.id IS NULL THEN 'new' WHEN {_differs(PUPIL_COLUMNS)} THEN 'changed'
                   ELSE 'same' END AS state,
              CASE WHEN {_differs(("first_name", "last_name"))} THEN 1 ELSE 0 END AS name_changed,
              CASE WHEN {_differs(("address_line1", "postcode"))} THEN 1 ELSE 0 END AS address_changed,
              CASE WHEN p.id IS NOT NULL AND p.keys_version <> {KEY_SET_VERSION} THEN 1 ELSE 0 END
                AS keys_stale
            FROM {rows_per_pupil} r
            LEFT JOIN {PUPIL} p ON p.upn = r.upn
            WHERE r.rn = 1"""  # noqa: S608
        )
        cursor.execute("SELECT state, COUNT(*) FROM imp_pupil GROUP BY state")
        states = dict(cursor.fetchall())
        report.count("pupils_created", states.get("new", 0))
        report.count("pupils_updated", states.get("changed", 0))
        report.count("pupils_unchanged", states.get("same", 0))
        if dry_run:
            return

        changed = states.get("changed", 0)
        cursor.execute("SELECT COUNT(*) FROM imp_pupil WHERE keys_stale = 1")
        stale = cursor.fetchone()[0]
        report.count("earlier_names_or_addresses_kept", 0)
        if changed:
            # Earlier names and addresses are kept for matching before they are overwritten.
            cursor.execute(
                f"""INSERT INTO {ALIAS}
                (pupil_id, first_name, last_name, address_line1, postcode, recorded_on)
                SELECT p.id,
                  CASE WHEN i.name_changed = 1 THEN p.first_name ELSE '' END,
                  CASE WHEN i.name_changed = 1 THEN p.last_name ELSE '' END,
                  CASE WHEN i.address_changed = 1 THEN p.address_line1 ELSE '' END,
                  CASE WHEN i.address_changed = 1 THEN p.postcode ELSE '' END,
                  %s
                FROM imp_pupil i JOIN {PUPIL} p ON p.id = i.pupil_id
                WHERE i.state = 'changed' AND (i.name_changed = 1 OR i.address_changed = 1)""",  # noqa: S608
                [today],
            )
            report.count("earlier_names_or_addresses_kept", max(cursor.rowcount, 0))
            assignments = ", ".join(f"{column} = i.{column}" for column in PUPIL_COLUMNS[1:])
            cursor.execute(
                f"""UPDATE {PUPIL} SET {assignments} FROM imp_pupil i
                WHERE {PUPIL}.id = i.pupil_id AND i.state = 'changed'"""  # noqa: S608
            )
        if changed or stale:
            # A changed pupil's keys, and those of an earlier key set, are replaced by the staged ones.
            cursor.execute(
                f"""DELETE FROM {KEY} WHERE pupil_id IN
                (SELECT pupil_id FROM imp_pupil WHERE state = 'changed' OR keys_stale = 1)"""  # noqa: S608
            )
            cursor.execute(
                f"""UPDATE {PUPIL} SET keys_version = {KEY_SET_VERSION} WHERE id IN
                (SELECT pupil_id FROM imp_pupil WHERE state = 'changed' OR keys_stale = 1)"""  # noqa: S608
            )
            if stale:
                report.count("pupils_given_the_current_blocking_keys", stale)

        # Enrolments of known pupils: each line is one; a blank leaving date never reopens one.
        if states.get("changed", 0) + states.get("same", 0):
            cursor.execute(
                f"""INSERT INTO {ENROLMENT} (pupil_id, school_id, entry_date, leaving_date)
                SELECT i.pupil_id, r.school_id, r.entry_date, r.leaving_date
                FROM imp_row r JOIN imp_pupil i ON i.upn = r.upn WHERE i.state <> 'new'
                ON CONFLICT (pupil_id, school_id, entry_date)
                DO UPDATE SET leaving_date = excluded.leaving_date
                WHERE excluded.leaving_date IS NOT NULL AND ({ENROLMENT}.leaving_date IS NULL
                      OR {ENROLMENT}.leaving_date <> excluded.leaving_date)"""  # noqa: S608
            )
            report.count("enrolments_started_or_changed", max(cursor.rowcount, 0))

        # New pupils, their enrolments, and the blocking keys of every new or changed pupil
        # (a changed pupil's old keys were deleted above; the rest keep theirs, when current).
        new_pupils = states.get("new", 0)
        bulk = new_pupils >= BULK_LOAD_MIN_ROWS and new_pupils >= Pupil.objects.count()
        with stage.bulk_load([PUPIL, KEY, ENROLMENT]) if bulk else nullcontext():
            columns = ", ".join(PUPIL_COLUMNS)
            cursor.execute(
                f"""INSERT INTO {PUPIL} (id, {columns}, keys_version)
                SELECT pupil_id, {columns}, {KEY_SET_VERSION} FROM imp_pupil WHERE state = 'new'"""  # noqa: S608
            )
            cursor.execute(f"INSERT INTO {KEY} (key, pupil_id) {stage.keys_of_changed_pupils()}")  # noqa: S608
            cursor.execute(
                f"""INSERT INTO {ENROLMENT} (pupil_id, school_id, entry_date, leaving_date)
                SELECT i.pupil_id, r.school_id, r.entry_date, r.leaving_date FROM imp_row r
                JOIN imp_pupil i ON i.upn = r.upn WHERE i.state = 'new'"""  # noqa: S608
            )
            report.count("enrolments_started_or_changed", max(cursor.rowcount, 0))
        if changed or stale:
            cursor.execute(
                f"""SELECT DISTINCT i.pupil_id FROM imp_pupil i JOIN {ALIAS} a ON a.pupil_id = i.pupil_id
                WHERE i.state = 'changed' OR i.keys_stale = 1"""  # noqa: S608
            )
            _add_keys_of_earlier_names([pupil_id for (pupil_id,) in cursor.fetchall()])

        report.count("enrolments_ended_by_a_move", 0)
        if changed or states.get("same", 0) or upn_repeats:
            # A pupil who moved: any enrolment still open from before the latest one ends the day before.
            cursor.execute(
                f"""UPDATE {ENROLMENT} SET leaving_date = {stage.day_before("i.entry_date")}
                FROM imp_pupil i
                WHERE {ENROLMENT}.pupil_id = i.pupil_id AND (i.state <> 'new' OR i.n_rows > 1)
                  AND {ENROLMENT}.leaving_date IS NULL AND {ENROLMENT}.entry_date < i.entry_date"""  # noqa: S608
            )
            report.count("enrolments_ended_by_a_move", max(cursor.rowcount, 0))


def _add_keys_of_earlier_names(pupil_ids: list[int]) -> None:
    """Pupils with earlier names or addresses also get the keys of those (few pupils)."""
    for start in range(0, len(pupil_ids), 1000):
        pupils = Pupil.objects.filter(id__in=pupil_ids[start : start + 1000]).prefetch_related("aliases")
        PupilKey.objects.bulk_create(
            [
                PupilKey(pupil=pupil, key=key_hash(key))
                for pupil in pupils
                for key in pupil_keys(pupil_record(pupil))
            ],
            ignore_conflicts=True,
        )
