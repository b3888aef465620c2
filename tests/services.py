"""Tests that need the real services: PostgreSQL, Redis, a Celery worker.

On a fresh machine (`make test` with no DATABASE_URL / CELERY_BROKER_URL) they are skipped
with a reason. When CI is set they must run: a missing service fails the test instead."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection


def unavailable(reason: str):
    """Skip on a machine without the service; fail when CI is set, where it must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)


def need_postgres() -> None:
    if connection.vendor != "postgresql":
        unavailable("needs PostgreSQL: set DATABASE_URL=postgres://... (as .ci/run does)")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def need_redis() -> str:
    url = settings.CELERY_BROKER_URL
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        unavailable("needs Redis: set CELERY_BROKER_URL=redis://... (as .ci/run does)")
    if not _reachable(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        unavailable(f"Redis is not answering at {parsed.hostname}:{parsed.port}")
    return url


def need_services() -> None:
    need_postgres()
    need_redis()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def eventually(check, *, timeout: float = 30, interval: float = 0.1):
    """Poll `check()` until it returns something truthy; the last value otherwise."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)
