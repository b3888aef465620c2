"""Loading the synthetic census into PostgreSQL for the matching benchmark.

import_pupils (branch `reference`) is not on main yet, so this loads the census the way
that importer does in bulk: COPY into the tables with PupilKey's constraints dropped and
rebuilt afterwards, keys from incidents.matching.db.pupil_keys_rows (the function the
importer calls). Only for a benchmark database: it empties the census tables first.
"""

from __future__ import annotations

import io
import sys
from datetime import date

from bench import census as census_module

TABLES = ("schools_pupilkey", "schools_pupilalias", "schools_enrolment", "schools_pupil")
CHUNK = 20_000


def setup(database_url: str) -> None:
    import os

    import django

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encompass.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(census: census_module.Census) -> int:
    """Returns the number of keys stored. Pupil ids are census ids + 1."""
    from django.db import connection, transaction

    from incidents.matching.db import pupil_keys_rows
    from schools.models import LocalAuthority, Partnership, School

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        partnership, _ = Partnership.objects.get_or_create(name="Bench partnership")
        la, _ = LocalAuthority.objects.get_or_create(
            code="999", defaults={"name": "Bench", "partnership": partnership}
        )
        urns = sorted({row.school_urn for row in census.rows})
        known = set(School.objects.filter(urn__in=urns).values_list("urn", flat=True))
        School.objects.bulk_create(
            [School(urn=int(u), name=f"School {u}", local_authority=la) for u in urns if int(u) not in known]
        )
        school_ids = dict(School.objects.filter(urn__in=urns).values_list("urn", "id"))
        dropped = _drop_key_constraints(cursor)
        keys = 0
        for start in range(0, len(census.rows), CHUNK):
            rows = census.rows[start : start + CHUNK]
            _copy(cursor, "schools_pupil", PUPIL_COLUMNS, [_pupil(row) for row in rows])
            _copy(cursor, "schools_pupilalias", ALIAS_COLUMNS, [a for row in rows for a in _aliases(row)])
            _copy(
                cursor, "schools_enrolment", ENROLMENT_COLUMNS, [_enrolment(row, school_ids) for row in rows]
            )
            records = [census_module.to_pupil_record(row) for row in rows]
            key_rows = [(key, pk + 1) for key, pk in pupil_keys_rows(records)]
            _copy(cursor, "schools_pupilkey", ("key", "pupil_id"), key_rows)
            keys += len(key_rows)
            print(f"  loaded {start + len(rows)} pupils", file=sys.stderr, end="\r")
        print(file=sys.stderr)
        for statement in dropped:
            cursor.execute(statement)
        cursor.execute("SELECT setval(pg_get_serial_sequence('schools_pupil', 'id'), %s)", [len(census.rows)])
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    return keys


PUPIL_COLUMNS = (
    "id", "upn", "first_name", "middle_names", "last_name", "preferred_first_name", "preferred_last_name",
    "dob", "sex", "address_line1", "address_line2", "town", "postcode", "uprn",
)  # fmt: skip
ALIAS_COLUMNS = ("pupil_id", "first_name", "last_name", "address_line1", "postcode", "recorded_on")
ENROLMENT_COLUMNS = ("pupil_id", "school_id", "entry_date", "leaving_date")
RECORDED = date(2025, 10, 1)


def _pupil(row) -> tuple:
    return (
        row.id + 1, row.upn, row.first_name, row.middle_names, row.last_name, row.preferred_first_name,
        row.preferred_last_name, row.dob, row.sex, row.address_line1, "", row.town, row.postcode, row.uprn,
    )  # fmt: skip


def _aliases(row) -> list[tuple]:
    names = [(row.id + 1, first, last, "", "", RECORDED) for first, last in row.former_names]
    places = [(row.id + 1, "", "", line, code, RECORDED) for line, code in row.former_addresses]
    return names + places


def _enrolment(row, school_ids) -> tuple:
    entry = date(row.dob.year + 4 + (row.dob.month >= 9), 9, 1)
    return (row.id + 1, school_ids[int(row.school_urn)], entry, None)


def _drop_key_constraints(cursor) -> list[str]:
    """Drop PupilKey's unique and foreign-key constraints and other indexes; return the
    statements that rebuild them (unique first, so the foreign key validates against it)."""
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint
        WHERE conrelid = 'schools_pupilkey'::regclass AND contype IN ('u', 'f') ORDER BY contype DESC"""
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'schools_pupilkey'::regclass AND NOT i.indisprimary AND NOT EXISTS (
          SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"""
    )
    indexes = cursor.fetchall()
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _, _ in constraints:
        cursor.execute(f'ALTER TABLE schools_pupilkey DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    return [d for _, d in indexes] + [
        f'ALTER TABLE schools_pupilkey ADD CONSTRAINT "{name}" {d}' for name, d, _ in constraints
    ]


def _value(value) -> str:
    if value is None:
        return r"\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


def _copy(cursor, table: str, columns: tuple, rows: list[tuple]) -> None:
    if rows:
        payload = "".join("\t".join(map(_value, row)) + "\n" for row in rows)
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(payload))
