"""Police systems file incidents through the REST API with a per-force token: created once,
updated in place, the same body twice changes nothing, errors in one shape."""

import pytest
from django.core.management import call_command

from encompass.events import events_for
from incidents.models import ApiClient, Incident
from incidents.services import api_client_create, api_client_revoke
from notifications.models import Notification

URL = "/api/v1/incidents/"
BODY = {
    "reference": "42/123456/26",
    "occurred_at": "2026-11-27T21:30:00Z",
    "postcode": "ss1 1aa",
    "welfare_check": True,
    "children": [
        {"first_name": "Amelia", "last_name": "Smith", "dob": "2016-05-14", "person_reference": "P1"}
    ],
}


@pytest.fixture
def token(world):
    return api_client_create(force=world.force_a, name="athena")[1]


@pytest.fixture
def api(client, token):
    def call(method, url, body=None, token=token):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        if method == "post":
            return client.post(url, body, content_type="application/json", **headers)
        return client.get(url, **headers)

    return call


def with_child(**changes):
    return {**BODY, "children": [{**BODY["children"][0], **changes}]}


def test_a_new_reference_creates_a_submitted_incident_and_notifies(api, world, eager_celery):
    response = api("post", URL, BODY)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted"
    assert body["children"][0]["match_status"] == "matched"
    assert body["children"][0]["school"] == {"urn": world.school_a.urn, "name": world.school_a.name}
    assert Incident.objects.get().postcode == "SS1 1AA"
    assert Notification.objects.get().school == world.school_a


def test_the_same_body_twice_changes_nothing(api, eager_celery):
    api("post", URL, BODY)
    incident = Incident.objects.get()
    events = events_for(incident).count()
    response = api("post", URL, BODY)
    assert response.status_code == 200
    assert Incident.objects.count() == 1
    assert Notification.objects.count() == 1
    assert not Notification.objects.get().is_updated
    assert events_for(incident).count() == events
    assert Incident.objects.get().updated_at == incident.updated_at


def test_a_changed_body_updates_the_same_notification(api, eager_celery):
    api("post", URL, BODY)
    response = api("post", URL, {**BODY, "welfare_check": False})
    assert response.status_code == 200
    assert Notification.objects.get().is_updated
    assert response.json()["children"][0]["notification"]["updated_at"] is not None


def test_a_corrected_name_with_the_same_person_reference_is_the_same_child(api, eager_celery):
    api("post", URL, BODY)
    api("post", URL, with_child(first_name="Amelie"))
    assert Incident.objects.get().children.count() == 1


def test_a_second_child_is_added_and_notified(api, world, eager_celery):
    from tests.factories import EnrolmentFactory, PupilFactory

    EnrolmentFactory(pupil=PupilFactory(first_name="Oliver", last_name="Smith"), school=world.school_b)
    api("post", URL, BODY)
    oliver = {"first_name": "Oliver", "last_name": "Smith", "dob": "2016-05-14"}
    response = api("post", URL, {**BODY, "children": [*BODY["children"], oliver]})
    assert response.status_code == 200
    assert {n.school for n in Notification.objects.all()} == {world.school_a, world.school_b}


def test_get_returns_each_childs_status_with_a_slashed_reference(
    api, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api("post", URL, BODY)
    response = api("get", f"{URL}42/123456/26/")
    assert response.status_code == 200
    assert response.json()["reference"] == "42/123456/26"
    assert response.json()["children"][0]["notification"]["status"] == "delivered"
    assert api("get", f"{URL}42%2F123456%2F26/").json()["reference"] == "42/123456/26"


def test_another_forces_incident_is_not_found(api, world, eager_celery):
    api("post", URL, BODY)
    other = api_client_create(force=world.force_b, name="niche")[1]
    response = api("get", f"{URL}42/123456/26/", token=other)
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "message": "Your force has no incident with this police reference"}]
    }


def test_bad_input_is_reported_by_field_and_nothing_is_saved(api):
    body = {**with_child(dob="2026-11-28"), "postcode": "ZZ 12", "occurred_at": "2099-01-01T00:00:00Z"}
    response = api("post", URL, body)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"postcode", "occurred_at"} <= fields
    assert not Incident.objects.exists()


def test_a_childs_error_names_the_child(api):
    response = api("post", URL, with_child(dob="2026-11-28"))
    assert response.json()["errors"] == [
        {
            "field": "children[0].dob",
            "message": "The date of birth must be on or before the date of the incident",
        }
    ]


def test_a_missing_child_field_is_named(api):
    response = api("post", URL, {**BODY, "children": [{"last_name": "Smith", "dob": "2016-05-14"}]})
    assert response.json()["errors"] == [
        {"field": "children[0].first_name", "message": "This field is required."}
    ]


def test_an_incident_with_no_child_is_refused(api):
    response = api("post", URL, {**BODY, "children": []})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "children", "message": "Add at least one child"}]


def test_a_withdrawn_incident_is_a_conflict(api, world, eager_celery):
    from police.services import incident_withdraw

    api("post", URL, BODY)
    incident_withdraw(incident=Incident.objects.get(), reason="entered_in_error", actor=None)
    response = api("post", URL, {**BODY, "town": "Leigh"})
    assert response.status_code == 409
    assert Incident.objects.get().town == ""


def test_no_token_is_401_in_the_error_shape(api):
    response = api("post", URL, BODY, token=None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert list(response.json()) == ["errors"]


def test_a_revoked_token_stops_working(api, token):
    api_client_revoke(client=ApiClient.objects.get())
    assert api("post", URL, BODY).status_code == 401
    assert not Incident.objects.exists()


def test_tokens_are_stored_hashed(token):
    client = ApiClient.objects.get()
    assert token not in (client.token_hash, client.token_prefix)
    assert len(client.token_hash) == 64


def test_a_client_over_its_rate_is_told_to_wait(api, settings):
    settings.API_RATE_LIMIT = "2/min"
    from django.core.cache import cache

    cache.clear()
    statuses = [api("get", f"{URL}nope/").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    cache.clear()


def test_create_api_client_prints_the_token_once(world, capsys):
    call_command("create_api_client", "--force", "Essex Police", "--name", "niche")
    out = capsys.readouterr().out
    token = out.splitlines()[1]
    assert ApiClient.objects.get(name="niche").force == world.force_a
    from incidents.services import api_token_hash

    assert ApiClient.objects.get(name="niche").token_hash == api_token_hash(token)


def test_the_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_any_unknown_reference_is_a_json_404(api):
    for path in ("%0Aline-break/", "a/b/c/d/", "%F0%9F%98%80/"):
        response = api("get", f"{URL}{path}")
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] is None
