"""Bodies no police system would send, and a database too busy to write, get an answer in the
API's one error shape and save nothing: never a server error."""

import json

import pytest
from django.db import OperationalError, connection

from incidents.models import Incident
from incidents.services import api_client_create
from tests.incidents.test_api import BODY, URL


@pytest.fixture
def token(world):
    return api_client_create(force=world.force_a, name="athena")[1]


@pytest.fixture
def post(client, token):
    def call(raw: bytes | str):
        return client.post(URL, raw, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    return call


def assert_one_error_shape(response):
    errors = response.json()["errors"]
    assert errors and all(set(error) == {"field", "message"} for error in errors)
    return errors


def test_json_nested_a_thousand_deep_is_refused_with_400(post):
    response = post("[" * 1000 + "]" * 1000)
    assert response.status_code == 400
    assert "nested" in assert_one_error_shape(response)[0]["message"]


def test_json_nested_a_hundred_thousand_deep_is_refused_with_400(post):
    response = post('{"a":' * 100_000 + "1" + "}" * 100_000)
    assert response.status_code == 400
    assert_one_error_shape(response)


def test_a_body_over_the_upload_limit_is_refused_with_413(post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post('{"reference": "' + "4" * 20_000 + '"}')
    assert response.status_code == 413
    assert "too large" in assert_one_error_shape(response)[0]["message"]
    assert not Incident.objects.exists()


def test_a_body_that_is_not_json_is_refused_with_400(post):
    response = post(b"\xff\xfe\x00garbage")
    assert response.status_code == 400
    assert_one_error_shape(response)


@pytest.fixture
def locked_database():
    """SQLite answering "database is locked" to every write, as it did to 13 of 20 parallel POSTs."""

    def refuse_writes(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_writes):
        yield


def test_a_locked_database_answers_503_with_retry_after(post, locked_database):
    response = post(json.dumps(BODY))
    assert response.status_code == 503
    assert int(response["Retry-After"]) >= 1
    assert "try again" in assert_one_error_shape(response)[0]["message"]


def test_a_briefly_locked_database_is_tried_again(post, eager_celery):
    refused = []

    def refuse_the_first_write(execute, sql, params, many, context):
        if not refused and sql.lstrip().upper().startswith("INSERT"):
            refused.append(sql)
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_the_first_write):
        response = post(json.dumps(BODY))
    assert refused
    assert response.status_code == 201
    assert Incident.objects.count() == 1


def test_a_three_megabyte_body_is_refused_with_413_at_the_default_limit(post):
    response = post('{"reference": "' + "4" * 3_000_000 + '"}')
    assert response.status_code == 413
    assert_one_error_shape(response)
