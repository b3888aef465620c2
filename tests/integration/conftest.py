"""Real services for integration tests: an SMTP sink (aiosmtpd) and a `celery worker`
process started and stopped by the test, on the real PostgreSQL test database and Redis."""

import os
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
from tests.services import free_port, need_services

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
