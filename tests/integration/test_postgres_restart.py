"""PostgreSQL restarted while a batch of 50 alerts is being sent: once it is back, every alert
is delivered, once. The database is a private cluster on a free port (initdb and pg_ctl as the
postgres user), started and restarted by this test only; the machine's own server is never
touched."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.integration.conftest import ROOT
from tests.integration.test_delivery_under_faults import notification_ids_in, settle
from tests.services import free_port, unavailable

pytestmark = pytest.mark.services

BATCH = 50


@dataclass
class PrivatePostgres:
    port: int
    data: Path

    @staticmethod
    def bin(name: str) -> str:
        found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
        if not found:
            unavailable(f"needs {name} from /usr/lib/postgresql/*/bin")
        return found[-1]

    def as_postgres(self, *args: str) -> None:
        runner = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        subprocess.run([*runner, *args], check=True, capture_output=True, timeout=60)  # noqa: S603

    def init(self) -> "PrivatePostgres":
        self.as_postgres(self.bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.as_postgres(
            self.bin("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.data / "log"),
            "-w",
            "start",
        )

    def restart(self) -> None:
        # -m fast: every connection is cut, as when the server is restarted for an upgrade.
        # -l again: without it the new server would write to (and hold open) our pipe.
        log = str(self.data / "log")
        self.as_postgres(self.bin("pg_ctl"), "-D", str(self.data), "-l", log, "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        self.as_postgres(self.bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/encompass"

    def query(self, sql: str) -> list[tuple]:
        with psycopg2.connect(self.url) as db, db.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()


@pytest.fixture
def private_postgres():
    if shutil.which("runuser") is None and os.geteuid() == 0:
        unavailable("needs runuser to run a private PostgreSQL as the postgres user")
    folder = Path(tempfile.mkdtemp(prefix="enc-pg-"))
    shutil.chown(folder, "postgres")
    cluster = PrivatePostgres(port=free_port(), data=folder / "data").init()
    cluster.start()
    try:
        cluster.as_postgres(cluster.bin("createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "encompass")
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


SEED = f"""
import django; django.setup()
from django.db import transaction
from tests.conftest import world_build
from tests.delivery.makers import incidents_submitted
with transaction.atomic():
    world = world_build()
    notifications = incidents_submitted(world, {BATCH})
print(",".join(str(n.pk) for n in notifications))
"""


def test_postgres_restarted_mid_batch_delivers_every_alert_once(
    smtp_sink, worker_env, private_postgres, tmp_path
):
    from encompass.celery import app

    app.control.purge()
    env = {**worker_env, "DATABASE_URL": private_postgres.url, "DATABASE_CONN_MAX_AGE": "60"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SEED], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    notifications = {int(pk) for pk in seeded.stdout.strip().splitlines()[-1].split(",")}
    assert len(notifications) == BATCH

    connection.close()
    worker = _worker(env, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while len(smtp_sink.messages) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        private_postgres.restart()
        assert len(smtp_sink.messages) < BATCH, "the batch finished before the restart: nothing was tested"

        smtp_sink.wait_for(BATCH, timeout=120)
        settle(smtp_sink, 8)
        per_notification = notification_ids_in(smtp_sink.messages)
        assert set(per_notification) == notifications, worker.log()
        assert max(per_notification.values()) == 1, f"sent twice: {per_notification.most_common(3)}"
        unsent = private_postgres.query(
            "SELECT count(*) FROM notifications_deliveryattempt WHERE status <> 'sent'"
        )
        assert unsent == [(0,)]
    finally:
        worker.stop()


def _worker(env, tmp_path):
    """A worker with beat (the sweeper) on the private database. The heartbeat it writes is in
    that database, so wait for it there rather than in this test's."""
    args = [sys.executable, "-m", "celery", "-A", "encompass", "worker", "--pool", "prefork",
            "--concurrency", "2", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
            "--beat", "--schedule", str(tmp_path / "beat.schedule")]  # fmt: skip
    log = tmp_path / "worker.log"
    process = subprocess.Popen(  # noqa: S603
        args, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True
    )

    class Handle:
        def log(self) -> str:
            return log.read_text(errors="replace")[-5000:]

        def stop(self) -> None:
            if process.poll() is None:
                os.killpg(process.pid, 15)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, 9)

    return Handle()
