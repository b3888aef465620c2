"""Benchmark: the monthly overview of one partnership over five years, on 1,000,000
notifications in PostgreSQL.

    createdb -h 127.0.0.1 -U postgres enc_statistics_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/enc_statistics_bench \\
        .venv/bin/python bench/statistics.py [--notifications 1000000] [--reload]

Loads (once; --reload to start again) 20 partnerships of 2 local authorities and 100
schools each, 500,000 pupils, 700,000 incidents over five years, 1,000,000 matched children
with their notifications, 50,000 unmatched children, 500,000 support actions and 20,000
review events, all generated in SQL with generate_series. The partnership measured has 10%
of the notifications (100,000), far more than any real partnership. Then it rebuilds the
statistics tables and times, for that partnership from 1 January 2021 to 31 December 2025,
every figure alone, all of them together (the annual summary), and the overview page (headline
numbers compared with the previous five years and with 2020 to 2024, the trend by month, the
per-school table). Target: 200 ms for the overview on this 2-core machine.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

# This file is named like the standard library module it uses: put the project, not bench/,
# first on the path.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encompass.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/enc_statistics_bench")

import statistics  # noqa: E402

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from notifications.statistics.filters import Scope  # noqa: E402
from notifications.statistics.maintenance import (  # noqa: E402
    child_statistics_refresh,
    notification_statistics_rebuild,
    notification_statistics_refresh,
)
from notifications.statistics.overview import statistics_overview  # noqa: E402
from notifications.statistics.selectors import FIGURES, Facts, statistics_figures  # noqa: E402
from schools.models import Partnership  # noqa: E402

PARTNERSHIPS = 20
LAS_PER_PARTNERSHIP = 2
SCHOOLS_PER_LA = 100
SCHOOLS_PER_PARTNERSHIP = LAS_PER_PARTNERSHIP * SCHOOLS_PER_LA
MEASURED = 1  # partnership id measured: every tenth incident is in its area


def load(n: int) -> None:
    incidents = n * 7 // 10
    pupils = n // 2
    steps = [
        (
            "reference data",
            f"""
        TRUNCATE schools_partnership, schools_localauthority, schools_school, schools_pupil,
                 incidents_force, incidents_incident, incidents_incidentchild,
                 notifications_notification, notifications_supportaction,
                 notifications_notificationstatistic, notifications_childstatistic, encompass_event,
                 encompass_user CASCADE;
        INSERT INTO encompass_user (id, password, last_login, is_superuser, email, full_name, role,
            force_id, partnership_id, is_active, is_staff, date_joined)
        VALUES (1, '!', NULL, false, 'bench@example.org', 'Bench Key Adult', 'key_adult', NULL, NULL,
            true, false, now());
        INSERT INTO incidents_force (id, name, code, reference_pattern, reference_example)
        VALUES (1, 'Bench Police', 'BEN', '^.*$', 'B1');
        INSERT INTO schools_partnership (id, name, sharing_level, agreement_version, holiday_cover_email,
            text_policy, texts_from, texts_until)
        SELECT p, 'Partnership ' || p, 'minimal', '1.0', '', 'hours', '06:30', '21:00'
        FROM generate_series(1::bigint, {PARTNERSHIPS}) p;
        INSERT INTO schools_localauthority (id, code, name, partnership_id)
        SELECT l, lpad(l::text, 3, '0'), 'Authority ' || l, (l - 1) / {LAS_PER_PARTNERSHIP} + 1
        FROM generate_series(1::bigint, {PARTNERSHIPS * LAS_PER_PARTNERSHIP}) l;
        INSERT INTO schools_school (id, urn, name, local_authority_id, establishment_number,
            establishment_type, phase, low_age, high_age, street, locality, address3, town, postcode,
            status, opened_on, closed_on, participating, joined_on, day_starts_at)
        SELECT s, 100000 + s, 'School ' || s, (s - 1) / {SCHOOLS_PER_LA} + 1, '', 'Community school',
            CASE WHEN s % 4 = 0 THEN 'Secondary' ELSE 'Primary' END, 4, 11, '', '', '', '', '',
            'open', NULL, NULL, s % 10 <> 0, CASE WHEN s % 10 <> 0 THEN date '2020-09-01' END, '08:45'
        FROM generate_series(1::bigint, {PARTNERSHIPS * SCHOOLS_PER_PARTNERSHIP}) s;
        """,
        ),
        (
            "pupils",
            f"""
        INSERT INTO schools_pupil (id, upn, first_name, middle_names, last_name, preferred_first_name,
            preferred_last_name, dob, sex, address_line1, address_line2, town, postcode, uprn, keys_version)
        SELECT p, 'B' || lpad(p::text, 12, '0'), 'First' || p, '', 'Last' || p, '', '',
            date '2008-09-01' + (p % 4000)::int, '', '', '', '', '', '', 0
        FROM generate_series(1::bigint, {pupils}) p;
        """,
        ),
        (
            "incidents",
            f"""
        INSERT INTO incidents_incident (id, force_id, reference, occurred_at, reported_at, address_line1,
            address_line2, town, postcode, uprn, kind, risk, welfare_check, voice_of_child, circumstances,
            status, withdrawn_reason, created_by_id, created_at, submitted_at, updated_at)
        SELECT i, 1, 'B' || i,
            timestamptz '2021-01-01 00:00+00' + (i::float / {incidents}) * interval '1826 days'
                + ((i * 7919) % 1440) * interval '1 minute',
            NULL, '', '', '', '', '', 'incident', '', false, '', '', 'submitted', '', NULL,
            now(), now(), now()
        FROM generate_series(1::bigint, {incidents}) i;
        """,
        ),
        (
            "children and notifications",
            f"""
        INSERT INTO incidents_incidentchild (id, incident_id, first_name, last_name, dob, estimated_age,
            sex, present, relationship, upn, person_reference, known_school_id, match_status, pupil_id,
            school_id, match_score, match_detail)
        SELECT c, inc, 'First', 'Last', NULL, NULL, '', true, '', '', '', NULL, 'matched',
            (c * 7) % {pupils} + 1,
            -- an incident's area: partnership 1 for every tenth, else one of the others
            (CASE WHEN inc % 10 = 0 THEN 0 ELSE 1 + inc % {PARTNERSHIPS - 1} END) * {SCHOOLS_PER_PARTNERSHIP}
                + (c * 31) % {SCHOOLS_PER_PARTNERSHIP} + 1,
            1.0, '{{}}'::jsonb
        FROM (SELECT c, (c - 1) * 7 / 10 + 1 AS inc FROM generate_series(1::bigint, {n}) c) AS children;
        INSERT INTO notifications_notification (id, child_id, school_id, status, created_at, delivered_at,
            due_at, content_updated_at, acknowledged_at, acknowledged_by_id, withdrawn_at, escalation_step,
            next_action_at, update_count)
        SELECT c.id, c.id, c.school_id,
            CASE WHEN c.id % 20 = 0 THEN 'delivered' ELSE 'acknowledged' END,
            i.occurred_at + interval '20 minutes',
            i.occurred_at + (20 + c.id % 600) * interval '1 minute',
            i.occurred_at + interval '12 hours',
            NULL,
            CASE WHEN c.id % 20 <> 0 THEN i.occurred_at + (60 + (c.id * 13) % 1200) * interval '1 minute' END,
            CASE WHEN c.id % 20 <> 0 THEN 1 END,
            NULL,
            CASE WHEN c.id % 20 = 0 THEN 2 WHEN c.id % 37 = 0 THEN 1 ELSE 0 END,
            NULL, 0
        FROM incidents_incidentchild c JOIN incidents_incident i ON i.id = c.incident_id;
        """,
        ),
        (
            "unmatched children",
            f"""
        INSERT INTO incidents_incidentchild (id, incident_id, first_name, last_name, dob, estimated_age,
            sex, present, relationship, upn, person_reference, known_school_id, match_status, pupil_id,
            school_id, match_score, match_detail)
        SELECT {n} + u, (u * 13) % {incidents} + 1, 'First', 'Last', NULL, NULL, '', true, '', '', '',
            (u * 17) % {PARTNERSHIPS * SCHOOLS_PER_PARTNERSHIP} + 1,
            (ARRAY['no_match', 'not_school_age', 'review', 'out_of_area'])[u % 4 + 1], NULL, NULL, NULL, '{{}}'
        FROM generate_series(1::bigint, {n // 20}) u;
        """,
        ),
        (
            "support actions and events",
            f"""
        INSERT INTO notifications_supportaction (id, notification_id, given_on, kind, note, created_by_id,
            created_at, corrects_id)
        SELECT s, s * 2, date '2021-01-01' + (s * 3650 / {n})::int,
            (ARRAY['welfare_check_in', 'trusted_adult', 'pastoral', 'attendance', 'early_help',
                   'monitoring'])[s % 6 + 1], '', 1, now(), NULL
        FROM generate_series(1::bigint, {n // 2}) s;
        INSERT INTO encompass_event (id, at, actor_id, verb, object_type, object_id, purpose, ip_address, data)
        SELECT e, now(), NULL, 'child.review_decided', 'incidents.incidentchild', (e * 47)::text, '', NULL, '{{}}'
        FROM generate_series(1::bigint, {n // 50}) e;
        """,
        ),
        ("sequences", ""),
    ]
    for label, sql in steps:
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            if label == "sequences":
                for table in (
                    "incidents_incident",
                    "incidents_incidentchild",
                    "notifications_notification",
                    "notifications_supportaction",
                    "encompass_event",
                    "schools_pupil",
                    "schools_school",
                    "schools_localauthority",
                    "schools_partnership",
                ):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
            else:
                cursor.execute(sql)
        print(f"  loaded {label} in {time.monotonic() - started:.1f} s", flush=True)


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notifications", type=int, default=1_000_000)
    parser.add_argument("--reload", action="store_true", help="load the data again")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    call_command("migrate", verbosity=0)
    print(f"database {connection.settings_dict['NAME']}")
    if args.reload or count("notifications_notification") != args.notifications:
        started = time.monotonic()
        load(args.notifications)
        print(f"loaded in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        rows = notification_statistics_rebuild()
        print(f"statistics tables rebuilt: {rows:,} notification rows in {time.monotonic() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        # What autovacuum does after a rebuild (or a migration that ran one): index-only
        # scans need the visibility map. Nearly free when nothing changed.
        cursor.execute("VACUUM ANALYZE notifications_notificationstatistic, notifications_childstatistic")
    for table in (
        "notifications_notification",
        "incidents_incident",
        "incidents_incidentchild",
        "notifications_supportaction",
        "notifications_notificationstatistic",
        "notifications_childstatistic",
    ):
        print(f"  {table}: {count(table):,} rows")

    scope = Scope(Partnership.objects.get(pk=MEASURED), date(2021, 1, 1), date(2025, 12, 31))
    measured = count_for(scope)
    print(f"partnership {MEASURED}: {measured:,} notifications from {scope.start} to {scope.end}")
    print(f"load average before timing: {load_average()}")
    print("each figure alone (as the API's one-figure endpoint builds it):")
    for key, build in FIGURES.items():
        build(Facts(scope))  # warm the cache: the page is read many times a day
        times = timed(lambda build=build: build(Facts(scope)), args.repeat)
        print(f"  {key:<24} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms")
    statistics_figures(scope)
    every = timed(lambda: statistics_figures(scope), args.repeat)
    print(
        f"all {len(FIGURES)} figures (as the annual summary builds them, sharing their queries), "
        f"{args.repeat} runs: median {statistics.median(every):.0f} ms, max {max(every):.0f} ms"
    )
    statistics_overview(scope)
    overview = timed(lambda: statistics_overview(scope), args.repeat)
    print(
        "monthly overview (the /statistics/ page: headline numbers against the previous period "
        f"and the same period last year, the trend by month, the per-school table), {args.repeat} runs: "
        f"median {statistics.median(overview):.0f} ms, max {max(overview):.0f} ms (target 200 ms)"
    )
    print(f"load average after timing: {load_average()}")
    ids = list(range(1, 1001))
    times = timed(lambda: notification_statistics_refresh(notification_ids=ids), 3)
    print(f"upkeep: refreshing 1,000 notifications' rows takes median {statistics.median(times):.0f} ms")
    times = timed(lambda: child_statistics_refresh(child_ids=ids), 3)
    print(f"upkeep: refreshing 1,000 children's rows takes median {statistics.median(times):.0f} ms")


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def count_for(scope: Scope) -> int:
    from notifications.statistics.selectors import statistics_rows

    return statistics_rows(scope).count()


if __name__ == "__main__":
    main()
