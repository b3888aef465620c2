"""An officer who makes a mistake is told what to fix, next to the field, and nothing is saved."""

import re

import pytest

from incidents.models import Incident
from tests.factories import IncidentFactory
from tests.incidents.conftest import CHILD, add_url, form_data


def field_errors(response, field, *, child=None) -> list[str]:
    """The messages in the error list tied to one field (its input points at the list with
    aria-describedby, so a screen reader reads the message with the field)."""
    html = response.content.decode()
    name = f"children-{child}-{field}" if child is not None else field
    listed = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', html, re.S)
    if not listed:
        return []
    assert re.search(rf'aria-describedby="[^"]*id_{name}_error', html)
    return re.findall(r"<li>(.*?)</li>", listed.group(1))


def post(officer, **kwargs):
    response = officer.post(add_url(), form_data(**kwargs))
    assert response.status_code == 200, "the form is shown again with the errors"
    return response


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"occurred_at_0": "2099-01-01"}, "occurred_at", "must be in the past"),
        ({"postcode": "ZZ 12"}, "postcode", "Enter a real postcode"),
        ({"reference": "12345"}, "reference", "for example 42/123456/26"),
        (
            {"reported_at_0": "2026-11-26", "reported_at_1": "09:00"},
            "reported_at",
            "must be after the incident",
        ),
        ({"circumstances": "Shouting heard at 1 High Street"}, "circumstances", "Do not give the location"),
        ({"circumstances": "x" * 601}, "circumstances", "at most 600 characters"),
    ],
)
def test_a_bad_incident_field_is_explained_next_to_it(officer, fields, field, message):
    response = post(officer, **fields)
    assert any(message in m for m in field_errors(response, field))
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    "child, field, message",
    [
        ({"dob": "2026-11-28"}, "dob", "on or before the date of the incident"),
        ({"dob": "2099-01-01"}, "dob", "must be in the past"),
        ({"dob": "2008-11-27"}, "dob", "18 or over on the date of the incident"),
        ({"dob": "", "estimated_age": "19"}, "estimated_age", "18 or over"),
        ({"dob": ""}, "dob", "or an estimated age"),
        ({"upn": "A12345678901X"}, "upn", "valid UPN"),
    ],
)
def test_a_bad_child_field_is_explained_next_to_it(officer, child, field, message):
    response = post(officer, children=[{**CHILD, **child}])
    assert any(message in m for m in field_errors(response, field, child=0))
    assert not Incident.objects.exists()


def test_a_child_of_seventeen_is_accepted(officer):
    response = officer.post(add_url(), form_data(children=[{**CHILD, "dob": "2008-11-28"}]))
    assert response.status_code == 302
    assert Incident.objects.get().children.get().first_name == "Amelia"


def test_an_incident_with_no_child_is_refused(officer):
    response = post(officer, children=[])
    assert "Add at least one child" in response.content.decode()
    assert not Incident.objects.exists()


def test_the_same_reference_twice_points_to_the_existing_incident(officer, world):
    IncidentFactory(force=world.force_a, reference="42/123456/26")
    response = post(officer)
    assert any("amend it instead" in m for m in field_errors(response, "reference"))
    assert Incident.objects.count() == 1


def test_the_same_reference_in_another_force_is_a_different_incident(officer, world):
    IncidentFactory(force=world.force_b, reference="42/123456/26")
    assert officer.post(add_url(), form_data()).status_code == 302
    assert Incident.objects.filter(force=world.force_a).count() == 1


def test_the_postcode_is_tidied(officer):
    officer.post(add_url(), form_data(postcode="ss11aa"))
    assert Incident.objects.get().postcode == "SS1 1AA"


def test_dates_take_the_one_pattern_of_every_page_day_month_year(officer):
    from incidents.models import IncidentChild

    data = form_data(occurred_at_0="27/11/2026", children=[{**CHILD, "dob": "14/5/2016"}])
    response = officer.post(add_url(), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    child = IncidentChild.objects.get()
    assert child.dob.isoformat() == "2016-05-14"
    assert child.incident.occurred_at.date().isoformat() == "2026-11-27"
    page = officer.get(add_url()).content.decode()
    assert "For example, 27/3/2026" in page and "then the time, for example 21:30" in page
