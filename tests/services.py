"""Tests that need a real service (PostgreSQL here; Redis and a worker later) skip with a
reason when it is not configured, and fail instead when CI is set, so a CI run can never
pass by skipping them."""

import os

import pytest
from django.db import connection


def need_service(available: bool, reason: str) -> None:
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this test must run)")
    pytest.skip(reason)


def need_postgres() -> None:
    need_service(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL=postgres://...")
