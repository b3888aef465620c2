"""An API answer of 401 or 404 is logged with its route, never with the police reference that
was in the path."""

import logging

import pytest

from incidents.services import api_client_create

REFERENCE = "42/987654/26"


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records]


def test_a_404_is_logged_with_the_route_not_the_reference(client, world, logged):
    token = api_client_create(force=world.force_a, name="athena")[1]
    response = client.get(f"/api/v1/incidents/{REFERENCE}/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    assert "Not Found: /api/v1/incidents/<reference:reference>/" in lines(logged)
    assert not [line for line in lines(logged) if "987654" in line]


def test_a_401_is_logged_with_the_route_not_the_reference(client, world, logged):
    response = client.get(f"/api/v1/incidents/{REFERENCE}/", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 401
    assert "Unauthorized: /api/v1/incidents/<reference:reference>/" in lines(logged)
    assert not [line for line in lines(logged) if "987654" in line]


def test_a_path_that_matches_nothing_is_not_logged_either(client, world, logged):
    client.get(f"/api/v2/incidents/{REFERENCE}")
    assert not [line for line in lines(logged) if "987654" in line]


def test_whole_number_ids_stay_in_the_line(client, world, logged):
    from tests.conftest import signed_in

    signed_in(client, world.key_adult_a).get("/school/notifications/999999/")
    assert "Not Found: /school/notifications/999999/" in lines(logged)
