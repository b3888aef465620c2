"""Change a Key Adult: what the form shows is what it takes back, and a shared mailbox needs
the coordinator's confirmation."""

import re
from datetime import date

from django.urls import reverse

from schools.models import KeyAdult
from tests.conftest import signed_in


def change_url(world, key_adult):
    return reverse("schools:key_adult_change", args=[world.partnership_a.pk, key_adult.pk])


def prefilled(html: str) -> dict:
    """What a browser would send back untouched: every input's value and each select's choice."""
    data = dict(
        re.findall(
            r'<input class="govuk-input[^"]*" id="[^"]+" name="([^"]+)" type="[^"]+" value="([^"]*)"', html
        )
    )
    for name, body in re.findall(r'<select[^>]* name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        data[name] = re.search(r'<option value="([^"]*)" selected>', body).group(1)
    return data


def test_a_coordinator_deactivates_a_key_adult_without_retyping_the_training_date(client, world):
    key_adult = world.school_a.key_adults.get()
    KeyAdult.objects.filter(pk=key_adult.pk).update(trained_on=date(2026, 9, 1))
    signed_in(client, world.coordinator_a)
    data = prefilled(client.get(change_url(world, key_adult)).content.decode())

    assert data["trained_on"] == "01/09/2026"
    assert data["email"] == key_adult.user.email
    response = client.post(change_url(world, key_adult), data | {"is_active": "no"}, follow=True)

    key_adult.refresh_from_db()
    assert not key_adult.is_active and key_adult.trained_on == date(2026, 9, 1)
    assert "no longer receives alerts" in response.content.decode()


def test_a_coordinator_corrects_a_key_adults_email_address(client, world):
    key_adult = world.school_a.key_adults.get()
    signed_in(client, world.coordinator_a)
    data = prefilled(client.get(change_url(world, key_adult)).content.decode())

    client.post(change_url(world, key_adult), data | {"email": "Jo.Dsl@Chalkwell.example"})

    key_adult.user.refresh_from_db()
    assert key_adult.user.email == "jo.dsl@chalkwell.example"


def test_an_address_another_account_uses_is_refused(client, world):
    key_adult = world.school_a.key_adults.get()
    signed_in(client, world.coordinator_a)
    data = prefilled(client.get(change_url(world, key_adult)).content.decode())

    response = client.post(change_url(world, key_adult), data | {"email": world.officer_a.email})

    assert response.status_code == 400
    assert "Another account already uses this address" in response.content.decode()


def test_a_shared_mailbox_is_saved_only_once_the_coordinator_confirms(client, world):
    signed_in(client, world.coordinator_a)
    add = reverse("schools:key_adult_add", args=[world.partnership_a.pk, world.school_a.urn])
    data = {"full_name": "Front Office", "email": "office@chalkwell.example", "role": "deputy"}

    first = client.post(add, data)

    page = first.content.decode()
    assert first.status_code == 400
    assert 'href="#id_email"' in page and "is a shared mailbox" in page
    assert "Yes, alerts should go to this shared mailbox" in page
    assert not KeyAdult.objects.filter(user__email="office@chalkwell.example").exists()

    assert client.post(add, data | {"confirm_shared": "on"}).status_code == 302
    assert KeyAdult.objects.filter(user__email="office@chalkwell.example").exists()


def test_a_personal_address_is_not_asked_to_confirm(client, world):
    signed_in(client, world.coordinator_a)
    add = reverse("schools:key_adult_add", args=[world.partnership_a.pk, world.school_a.urn])

    page = client.get(add).content.decode()
    response = client.post(add, {"full_name": "Sam", "email": "sam@chalkwell.example", "role": "deputy"})

    assert "Yes, alerts should go to this shared mailbox" not in page
    assert response.status_code == 302
