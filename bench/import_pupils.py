"""Generate a census of a given size and import it, printing rows per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_reference_bench \\
        .venv/bin/python bench/import_pupils.py --rows 1000000

The database is migrated, given --schools schools if it has none, and emptied of pupils
first (so the import is a first load; --again then times a re-import of the same file).
Blocking keys are computed and stored inside the timed import. The peak resident memory of
this process is printed, to show it does not grow with the file."""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encompass.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from faker import Faker  # noqa: E402
from stdnum.gb import upn as upn_number  # noqa: E402

from schools.imports.pupils import COLUMNS, pupils_import  # noqa: E402
from schools.models import Enrolment, LocalAuthority, Pupil, PupilAlias, PupilKey, School  # noqa: E402

LA_CODES = (881, 882, 883, 330, 873, 856, 380, 209, 341, 891, 373, 305)
LOCALES = ("en_GB", "en_GB", "en_GB", "en_IE", "pl_PL", "en_IN", "ro_RO", "yo_NG")
STREETS = (
    "High Street",
    "Church Road",
    "Station Road",
    "London Road",
    "Victoria Road",
    "Park Avenue",
    "Mill Lane",
)


def name_lists(seed: int) -> tuple[list[str], list[str], list[str]]:
    females, males, surnames = set(), set(), set()
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for _ in range(3000):
            females.add(fake.first_name_female())
            males.add(fake.first_name_male())
            surnames.add(fake.last_name())
    return sorted(females), sorted(males), sorted(surnames)


def generate(path: Path, rows: int, school_urns: list[int], seed: int = 2026) -> None:
    """Write a census of `rows` pupils, a household of siblings at a time (streamed)."""
    rng = random.Random(seed)
    females, males, surnames = name_lists(seed)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        n = 0
        while n < rows:
            surname = rng.choice(surnames)
            outward = f"{rng.choice('BCDEGHLMNRSW')}{rng.choice('SMNRLT')}{rng.randint(1, 20)}"
            inward = "".join(rng.choice("ABDEFGHJLNPQRSTUWXYZ") for _ in range(2))
            postcode = f"{outward} {rng.randint(0, 9)}{inward}"
            street = f"{rng.randint(1, 200)} {rng.choice(STREETS)}"
            for _ in range(min(rng.choice((1, 1, 2, 2, 3, 4)), rows - n)):
                n += 1
                sex = rng.choice("MF")
                first = rng.choice(males if sex == "M" else females)
                dob = date(2009, 9, 1) + timedelta(days=rng.randint(0, 13 * 365))
                la = LA_CODES[n % len(LA_CODES)]
                body = f"{la}{n % 10000:04d}{n // 10000 % 100:02d}{n // 1000000:01d}{n % 100:02d}"
                upn = upn_number.calc_check_digit(body) + body
                middle = rng.choice(males + females) if rng.random() < 0.6 else ""
                preferred = rng.choice(("", "", "", "", first[:3]))
                entry = date(max(dob.year + 4, 2014), 9, 1)
                writer.writerow((
                    upn, first, middle, surname, preferred, "", dob.isoformat(), sex, street, "",
                    "Town", postcode, f"{10000000 + n}", rng.choice(school_urns), entry.isoformat(), "",
                ))  # fmt: skip


def ensure_schools(count: int) -> list[int]:
    if School.objects.count() < count:
        authority, _ = LocalAuthority.objects.get_or_create(code="882", defaults={"name": "Bench authority"})
        School.objects.bulk_create(
            [
                School(urn=900000 + i, name=f"Bench school {i}", local_authority=authority)
                for i in range(count)
            ],
            ignore_conflicts=True,
        )
    return list(School.objects.values_list("urn", flat=True)[:count])


def empty_census() -> None:
    tables = [m._meta.db_table for m in (PupilKey, PupilAlias, Enrolment, Pupil)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")  # a bench database only
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def backend_cpu_seconds() -> float:
    """CPU seconds of this connection's PostgreSQL backend (same machine), 0 elsewhere."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> tuple[float, float]:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def slow_statements(threshold: float):
    """Print each SQL statement slower than `threshold` seconds, to see where the time goes."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            if took >= threshold:
                print(f"  {took:6.1f} s  {' '.join(sql.split())[:90]}", file=sys.stderr)

    return wrapper


def timed_import(path: Path, rows: int, workers: int, label: str) -> None:
    cpu_before, backend_before = cpu_seconds(), backend_cpu_seconds()
    started = time.perf_counter()
    with connection.execute_wrapper(slow_statements(0.5)):
        report = pupils_import(
            source=path, workers=workers, progress=lambda n: print(f"  {n:,} rows read", file=sys.stderr)
        )
    elapsed = time.perf_counter() - started
    own, children = (after - before for after, before in zip(cpu_seconds(), cpu_before, strict=True))
    backend = backend_cpu_seconds() - backend_before
    if not report.applied:
        print("\n".join(report.lines()[:20]))
        raise SystemExit("The import failed.")
    print(f"{label}: {rows:,} pupils in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s ({report.counts})")
    print(
        f"  CPU seconds: importing process {own:.1f}, worker processes {children:.1f},"
        f" PostgreSQL backend {backend:.1f}; load average {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2, help="processes validating rows and computing keys")
    parser.add_argument("--again", action="store_true", help="then time a re-import of the same file")
    args = parser.parse_args()

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; workers: {args.workers}")
    call_command("migrate", verbosity=0)
    urns = ensure_schools(args.schools)
    empty_census()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "census.csv"
        started = time.perf_counter()
        generate(path, args.rows, urns)
        size = path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.1f} s"
            " (not timed)"
        )
        timed_import(path, args.rows, args.workers, "first import")
        if args.again:
            timed_import(path, args.rows, args.workers, "re-import")
    print(f"pupils: {Pupil.objects.count():,}; blocking keys: {PupilKey.objects.count():,}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: importing process {peak:,.0f} MB, largest worker process {worker_peak:,.0f} MB")


if __name__ == "__main__":
    main()
