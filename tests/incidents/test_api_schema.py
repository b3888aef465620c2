"""The API checked against its own OpenAPI schema: Schemathesis generates requests from the
schema served at /api/schema/, and every response must be no server error and must match
what the schema promises (status code, content type, body, headers).

Schemathesis's pytest plugin (`from_fixture`) does not run under pytest 9 here, so each
operation's Hypothesis strategy is driven directly."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from encompass.wsgi import application
from incidents.services import api_client_create
from tests.incidents.test_api import BODY, URL

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
HYPOTHESIS = settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def keep_the_test_connection():
    """Requests go straight into the WSGI app, which (unlike Django's test client) closes the
    database connection at the end of each request: on PostgreSQL that would close the test's
    transaction. Detach that, as the test client does (and after any use of the test client,
    which connects it again)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def operations(prefix: str = "/api/"):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    return [
        op for op in (result.ok() for result in schema.get_all_operations()) if op.path.startswith(prefix)
    ]


INCIDENTS = "/api/v1/incidents/"
STATISTICS = "/api/v1/statistics/"


@pytest.fixture
def token(world, settings):
    settings.API_RATE_LIMIT = "100000/min"
    token = api_client_create(force=world.force_a, name="schemathesis")[1]
    # One real incident, so that reads of a known reference are tried as well as unknown ones.
    Client().post(URL, BODY, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    return token


def test_the_schema_lists_every_operation(db):
    assert sorted(f"{op.method.upper()} {op.path}" for op in operations()) == [
        "GET /api/v1/incidents/{reference}/",
        "GET /api/v1/statistics/figures/",
        "GET /api/v1/statistics/figures/{key}/",
        "POST /api/v1/incidents/",
    ]


def name(op):
    return f"{op.method.upper()} {op.path}"


@pytest.mark.parametrize("operation", operations(INCIDENTS), ids=name)
def test_the_api_keeps_the_promises_of_its_schema(operation, token, keep_the_test_connection):
    @HYPOTHESIS
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    check()


@pytest.mark.parametrize("operation", operations(INCIDENTS), ids=name)
def test_without_a_token_every_operation_answers_401_as_documented(operation, db, keep_the_test_connection):
    @settings(HYPOTHESIS, max_examples=10)
    @given(case=operation.as_strategy())
    def check(case):
        assert case.call_and_validate(checks=CHECKS).status_code == 401

    check()


@pytest.fixture
def analyst_session(world):
    from tests.conftest import signed_in

    return signed_in(Client(), world.analyst_a).cookies["sessionid"].value


@pytest.mark.parametrize("operation", operations(STATISTICS), ids=name)
def test_the_statistics_api_keeps_the_promises_of_its_schema(
    operation, analyst_session, keep_the_test_connection
):
    @settings(HYPOTHESIS, max_examples=40)
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers={"Cookie": f"sessionid={analyst_session}"}, checks=CHECKS)

    check()


@pytest.mark.parametrize("operation", operations(STATISTICS), ids=name)
def test_the_statistics_api_refuses_anybody_not_signed_in(operation, db, keep_the_test_connection):
    @settings(HYPOTHESIS, max_examples=10)
    @given(case=operation.as_strategy())
    def check(case):
        # 404 only where the generated key is no URL at all (the resolver answers first).
        assert case.call_and_validate(checks=CHECKS).status_code in (403, 404)

    check()
