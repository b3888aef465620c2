"""A police reference is typed with the digits 0 to 9: full-width or Arabic-Indic digits that
look like 42/900001/26 are refused, and say why. An incident cannot be older than the force's
records allow (INCIDENT_MAX_AGE_YEARS, 10 by default), nor a date Python cannot hold."""

import json

import pytest

from incidents.models import Incident
from incidents.services import api_client_create
from police.imports import incidents_import
from tests.incidents.test_api import BODY, URL
from tests.incidents.test_import import HEADER

LOOK_ALIKES = ["４２/９００００１/２６", "٤٢/٩٠٠٠٠١/٢٦", "42/９00001/26", "४२/९००००१/२६"]


@pytest.fixture
def post(client, world):
    token = api_client_create(force=world.force_a, name="athena")[1]

    def call(**changes):
        body = json.dumps({**BODY, **changes})
        return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    return call


def messages_for(response, field):
    return [e["message"] for e in response.json()["errors"] if e["field"] == field]


@pytest.mark.parametrize("reference", LOOK_ALIKES)
def test_a_reference_with_other_scripts_digits_is_refused_by_the_api(post, reference):
    response = post(reference=reference)
    assert response.status_code == 400
    (message,) = messages_for(response, "reference")
    assert "digits 0 to 9" in message and "NFKC" in message
    assert not Incident.objects.exists()


@pytest.mark.parametrize("reference", LOOK_ALIKES)
def test_a_reference_with_other_scripts_digits_is_refused_by_the_import(world, reference):
    row = f"{reference},2026-11-27 21:30,SS1 1AA,yes,P1,Amelia,Smith,2016-05-14,yes\n"
    result = incidents_import(force=world.force_a, text=HEADER + row)
    assert [(e.line, e.field) for e in result.errors] == [(2, "reference")]
    assert "digits 0 to 9" in result.errors[0].message
    assert not Incident.objects.exists()


def test_an_ordinary_reference_is_still_accepted(post, eager_celery):
    assert post(reference="42/900001/26").status_code == 201


@pytest.mark.parametrize("occurred_at", ["1900-01-01T00:00:00Z", "2011-01-01T00:00:00Z"])
def test_an_incident_older_than_the_records_allow_is_refused(post, occurred_at):
    response = post(occurred_at=occurred_at)
    assert response.status_code == 400
    (message,) = messages_for(response, "occurred_at")
    assert "10 years" in message


def test_the_age_limit_is_a_setting(post, settings, eager_celery):
    settings.INCIDENT_MAX_AGE_YEARS = 5
    response = post(occurred_at="2020-01-01T00:00:00Z")
    assert "within the last 5 years" in messages_for(response, "occurred_at")[0]
    settings.INCIDENT_MAX_AGE_YEARS = 10
    assert post(occurred_at="2020-01-01T00:00:00Z").status_code == 201


@pytest.mark.parametrize("occurred_at", ["0001-01-01T00:00+23:59", "0001-01-01T00:00:00Z"])
def test_a_date_python_cannot_hold_in_utc_is_a_400_not_a_500(post, occurred_at):
    response = post(occurred_at=occurred_at)
    assert response.status_code == 400
    assert messages_for(response, "occurred_at")


def test_the_import_refuses_an_old_incident_on_its_line(world):
    row = "42/900001/26,2001-11-27 21:30,SS1 1AA,yes,P1,Amelia,Smith,2000-05-14,yes\n"
    result = incidents_import(force=world.force_a, text=HEADER + row)
    assert (2, "occurred_at") in [(e.line, e.field) for e in result.errors]
