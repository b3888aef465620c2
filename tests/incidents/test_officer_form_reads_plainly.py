"""The officer's form as a new officer reads it: one button that tells the school, children
numbered within the incident, the reference format and what the school sees from the start."""

import re

from django.urls import reverse

from tests.conftest import signed_in
from tests.factories import IncidentChildFactory, IncidentFactory
from tests.incidents.conftest import add_url, change_url


def buttons(page: str) -> list[str]:
    return re.findall(r'<input type="submit" value="([^"]+)"', page)


def test_a_new_incident_has_one_button_to_tell_schools_and_one_to_save_a_draft(officer):
    page = officer.get(add_url()).content.decode()

    assert buttons(page) == ["Submit to schools", "Save as draft"]
    assert 'value="Submit to schools" name="_submit" class="default"' in page


def test_a_submitted_incident_has_one_button_that_says_the_schools_see_the_change(officer, world):
    incident = IncidentFactory(force=world.force_a, status="submitted")
    IncidentChildFactory(incident=incident)

    assert buttons(officer.get(change_url(incident)).content.decode()) == [
        "Save the change (schools see it as updated)"
    ]


def test_children_are_numbered_within_the_incident(officer, world):
    IncidentChildFactory.create_batch(3)  # other incidents' children take the low ids
    incident = IncidentFactory(force=world.force_a)
    IncidentChildFactory.create_batch(2, incident=incident)

    page = officer.get(change_url(incident)).content.decode()

    numbers = re.findall(r'<b>Child <span class="app-child-number">(\d+)</span></b>', page)
    assert numbers[:2] == ["1", "2"]
    assert " of 2" not in page and "Incident child" not in page
    assert "Address line 1:" in page and "Address line1" not in page


def test_the_forces_reference_format_and_what_the_school_sees_are_shown_from_the_start(officer, world):
    page = officer.get(add_url()).content.decode()

    assert f"In the format {world.force_a.name} uses, for example {world.force_a.reference_example}" in page
    assert "What the school will see." in page
    assert 'the address as "Location"' in page or "the address as &quot;Location&quot;" in page


def test_the_police_home_links_a_reviewer_to_the_review_queue(client, world):
    reviewer_home = signed_in(client, world.reviewer_a).get(reverse("police:index")).content.decode()
    officer_home = signed_in(client, world.officer_a).get(reverse("police:index")).content.decode()

    assert f'href="{reverse("police:review")}"' in reviewer_home
    assert f'href="{reverse("police:review")}"' not in officer_home
    assert f'href="{add_url()}"' in officer_home
