"""Real services for integration tests: an SMTP sink (aiosmtpd) and a `celery worker`
process started and stopped by the test, on the real PostgreSQL test database and Redis.

Fixtures: `smtp_sink` (queue replies such as "451 ..." in `.replies`), `worker_env`,
`celery_worker_process`, `celery_worker_with_beat` (sweeper and escalation every second), and
`private_redis` (a throwaway redis-server on a free port that the test may stop and start; the
worker and this process both use it)."""

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from encompass.models import Heartbeat
from tests.services import free_port, need_services, unavailable

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class SmtpSink:
    port: int
    messages: list[Message] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)  # queued replies, e.g. "451 try later"

    async def handle_DATA(self, server, session, envelope):
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.messages

    @staticmethod
    def text(message: Message) -> str:
        parts = message.walk() if message.is_multipart() else [message]
        return "\n".join(
            p.get_payload(decode=True).decode() for p in parts if p.get_content_maintype() == "text"
        ) + str(message["Subject"])


@pytest.fixture
def smtp_sink():
    sink = SmtpSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class WorkerProcess:
    env: dict
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    def start(self, *, beat: bool = False, timeout: float = 60) -> "WorkerProcess":
        Heartbeat.objects.filter(name__startswith="worker@").delete()
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "encompass",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ]
        if beat:
            args += ["--beat", "--schedule", str(self.log_path.with_suffix(".beat"))]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            args,
            cwd=ROOT,
            env=self.env,
            stdout=self.log_path.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not Heartbeat.objects.filter(name__startswith="worker@").exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{self.log()}")
            time.sleep(0.2)
        return self

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path else ""


@pytest.fixture
def worker_env(transactional_db, smtp_sink, tmp_path):
    """The environment a worker process needs to share this test's database, broker and
    SMTP sink."""
    need_services()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "false",
        "SITE_URL": "https://encompass.example",
        "VAR_DIR": str(tmp_path / "var"),
        "DELIVERY_SWEEP_AFTER_SECONDS": "5",
        "DELIVERY_SWEEP_EVERY_SECONDS": "1",
        "EMAIL_TIMEOUT": "2",
        "WEBHOOK_TIMEOUT": "2",
    }
    return env


@pytest.fixture
def celery_worker_process(worker_env, tmp_path):
    from encompass.celery import app

    app.control.purge()
    connection.close()  # the worker and this test must not share a connection
    worker = WorkerProcess(env=worker_env, log_path=tmp_path / "worker.log").start()
    yield worker
    worker.stop()


@dataclass
class PrivateRedis:
    """A throwaway redis-server on a free port, stopped and started by the test (never the
    machine's shared one)."""

    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(  # noqa: S603
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            if time.monotonic() > deadline:
                raise RuntimeError("private redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _answers(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def use_broker(url: str) -> None:
    """Point this test process's Celery app at another broker."""
    from encompass import queue
    from encompass.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    queue._broker_down_until = 0.0


@pytest.fixture
def private_redis(worker_env):
    if shutil.which("redis-server") is None:
        unavailable("needs redis-server on the PATH")
    redis = PrivateRedis(port=free_port()).start()
    worker_env["CELERY_BROKER_URL"] = redis.url
    use_broker(redis.url)
    yield redis
    use_broker(settings.CELERY_BROKER_URL)
    redis.stop()


@pytest.fixture
def celery_worker_with_beat(worker_env, tmp_path):
    """A worker with beat embedded: the sweeper and the escalation steps run every second."""
    from encompass.celery import app

    app.control.purge()
    connection.close()
    worker = WorkerProcess(env=worker_env, log_path=tmp_path / "worker.log").start(beat=True)
    yield worker
    worker.stop()
