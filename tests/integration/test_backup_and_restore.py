"""The backup drill of README "Backup and restore": pg_dump the database, restore it into a
fresh one, and find every incident, notification, support entry and event there, with the
append-only trigger still refusing to change an event."""

import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from encompass.models import Event
from incidents.models import Incident
from notifications.models import Notification, SupportAction
from notifications.services import notification_acknowledge, support_action_add
from tests.delivery.makers import incidents_submitted
from tests.services import need_postgres, unavailable

pytestmark = pytest.mark.services

TABLES = {
    "incidents_incident": Incident,
    "notifications_notification": Notification,
    "notifications_supportaction": SupportAction,
    "encompass_event": Event,
}


def run(*args: str) -> None:
    db = settings.DATABASES["default"]
    env = {"PGPASSWORD": db["PASSWORD"] or "", "PATH": "/usr/bin:/bin"}
    target = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    subprocess.run([args[0], *target, *args[1:]], check=True, env=env, capture_output=True)  # noqa: S603


@pytest.fixture
def fresh_database():
    need_postgres()
    if not shutil.which("pg_dump"):
        unavailable("needs pg_dump and pg_restore (postgresql-client)")
    name = f"enc_restore_{uuid.uuid4().hex[:8]}"
    run("createdb", name)
    yield name
    run("dropdb", "--if-exists", name)


def test_a_dump_restored_into_a_fresh_database_holds_every_record(
    transactional_db, world, fresh_database, tmp_path, eager_celery
):
    notifications = incidents_submitted(world, 3)
    notification_acknowledge(notification=notifications[0], user=world.key_adult_a, ip_address="10.0.0.1")
    support_action_add(
        notification=notifications[0], user=world.key_adult_a, given_on=timezone.localdate(),
        kind="pastoral", note="Checked in at break",
    )  # fmt: skip
    expected = {table: sorted(model.objects.values_list("pk", flat=True)) for table, model in TABLES.items()}
    assert all(expected.values())

    dump = tmp_path / "encompass.dump"
    run("pg_dump", "--format=custom", "--file", str(dump), settings.DATABASES["default"]["NAME"])
    run("pg_restore", "--no-owner", "--dbname", fresh_database, str(dump))

    db = settings.DATABASES["default"]
    restored = psycopg2.connect(
        dbname=fresh_database,
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    try:
        with restored, restored.cursor() as cursor:
            for table, ids in expected.items():
                cursor.execute(f"SELECT id FROM {table} ORDER BY id")  # noqa: S608 (our own table names)
                assert [row[0] for row in cursor.fetchall()] == ids, table
            cursor.execute("SELECT note FROM notifications_supportaction")
            assert cursor.fetchone() == ("Checked in at break",)
        with pytest.raises(psycopg2.Error, match="append-only"), restored, restored.cursor() as cursor:
            cursor.execute("UPDATE encompass_event SET verb = 'tampered'")
        with pytest.raises(psycopg2.Error, match="append-only"), restored, restored.cursor() as cursor:
            cursor.execute("DELETE FROM encompass_event")
    finally:
        restored.close()
    connection.close()
