"""Helpers for the incidents tests: the officer's form as a browser would post it."""

import pytest
from django.urls import reverse

from tests.conftest import signed_in

CHILD = {"first_name": "Amelia", "last_name": "Smith", "dob": "2016-05-14", "sex": "F", "present": "on"}
INCIDENT = {
    "reference": "42/123456/26",
    "occurred_at_0": "2026-11-27",
    "occurred_at_1": "21:30",
    "kind": "incident",
    "address_line1": "1 High Street",
    "postcode": "SS1 1AA",
}


def form_data(*, children=(CHILD,), existing=(), submit=False, **fields) -> dict:
    """The officer's form: `existing` are IncidentChild rows already saved (posted back with
    their ids), `children` are new ones."""
    data = {**INCIDENT, **fields}
    rows = [(c, {"id": c.pk, "incident": c.incident_id, **_child_fields(c)}) for c in existing]
    rows += [(None, dict(c)) for c in children]
    for i, (_, values) in enumerate(rows):
        for name, value in values.items():
            if value is not None and value is not False:
                data[f"children-{i}-{name}"] = value
    data.update(
        {
            "children-TOTAL_FORMS": str(len(rows)),
            "children-INITIAL_FORMS": str(len(existing)),
            "children-MIN_NUM_FORMS": "1",
            "children-MAX_NUM_FORMS": "1000",
        }
    )
    if submit:
        data["_submit"] = "Save and submit to schools"
    return {k: v for k, v in data.items() if v is not None}


def _child_fields(child) -> dict:
    return {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "dob": child.dob.isoformat() if child.dob else "",
        "estimated_age": child.estimated_age if child.estimated_age is not None else "",
        "sex": child.sex,
        "present": "on" if child.present else None,
        "relationship": child.relationship,
        "upn": child.upn,
    }


@pytest.fixture
def officer(client, world):
    return signed_in(client, world.officer_a)


def add_url():
    return reverse("police:incidents_incident_add")


def change_url(incident):
    return reverse("police:incidents_incident_change", args=[incident.pk])
