"""Loading the synthetic census into PostgreSQL for the matching benchmark, through import_pupils.

The census goes in as the service's own census does: a CSV in the census format imported by
`manage.py import_pupils`, which validates every row and stores the blocking keys. Earlier
names and addresses are kept the way the service keeps them: an earlier census carrying them
is imported first, then the current one, and the importer records what changed. Only for a
benchmark database: it empties the census tables first.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from bench import census as census_module

TABLES = ("schools_pupilkey", "schools_pupilalias", "schools_enrolment", "schools_pupil")
WORKERS = 2


def setup(database_url: str) -> None:
    import os

    import django

    _create_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    # The weights import_pupils measures on the bench census stay with the benchmark.
    os.environ["MATCH_WEIGHTS_FILE"] = str(Path(tempfile.mkdtemp()) / "match_weights.json")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encompass.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_database(database_url: str) -> None:
    """The benchmark's own database, created when it is not there yet (a new machine)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        server.close()


def load(census: census_module.Census) -> tuple[int, dict[int, int]]:
    """Import the census; return the number of blocking keys stored and census id -> pupil id."""
    from django.core.management import call_command
    from django.db import connection

    from schools.models import Pupil, PupilKey

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    _schools({row.school_urn for row in census.rows})
    with tempfile.TemporaryDirectory() as folder:
        for label, rows in (("earlier census", _earlier(census.rows)), ("census", census.rows)):
            if not rows:
                continue
            path = Path(folder) / f"{label.replace(' ', '_')}.csv"
            census_module.write_csv(census_module.Census(rows, census.households), str(path))
            print(f"import_pupils {label}: {len(rows):,} rows", file=sys.stderr)
            call_command("import_pupils", str(path), workers=WORKERS, stdout=sys.stderr)
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    ids = dict(Pupil.objects.values_list("upn", "id"))
    return PupilKey.objects.count(), {row.id: ids[row.upn] for row in census.rows}


def _earlier(rows: list[census_module.CensusRow]) -> list[census_module.CensusRow]:
    """The pupils who since changed name or address, as an earlier census recorded them."""
    earlier = []
    for row in rows:
        if not (row.former_names or row.former_addresses):
            continue
        first, last = row.former_names[0] if row.former_names else (row.first_name, row.last_name)
        line, code = row.former_addresses[0] if row.former_addresses else (row.address_line1, row.postcode)
        earlier.append(
            replace(
                row, first_name=first, last_name=last, address_line1=line, address_line2="", postcode=code
            )
        )
    return earlier


def _schools(urns: set[str]) -> None:
    from schools.models import LocalAuthority, Partnership, School

    partnership, _ = Partnership.objects.get_or_create(name="Bench partnership")
    la, _ = LocalAuthority.objects.get_or_create(
        code="999", defaults={"name": "Bench", "partnership": partnership}
    )
    known = set(School.objects.filter(urn__in=[int(u) for u in urns]).values_list("urn", flat=True))
    School.objects.bulk_create(
        [
            School(urn=int(u), name=f"School {u}", local_authority=la)
            for u in sorted(urns)
            if int(u) not in known
        ]
    )
