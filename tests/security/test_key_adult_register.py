"""A school's Key Adult register takes school staff: a new account by e-mail, or an existing
Key Adult's account. Police, partnership and administrator accounts are refused, so that
nobody outside the school receives its alerts or sees its notifications."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from encompass.models import Event
from schools.models import KeyAdult
from tests.conftest import signed_in


def add(client, world, email):
    url = reverse("schools:key_adult_add", args=[world.partnership_a.pk, world.school_a.urn])
    return client.post(url, {"full_name": "Someone", "email": email, "role": "dsl"})


@pytest.mark.parametrize("persona", ["officer_b", "reviewer_a", "analyst_a", "coordinator_a", "admin"])
def test_a_coordinator_cannot_put_a_non_school_account_on_a_register(client, world, persona):
    outsider = getattr(world, persona)
    signed_in(client, world.coordinator_a)
    response = add(client, world, outsider.email.upper())
    assert response.status_code == 400
    assert "not a school" in response.content.decode()
    assert not KeyAdult.objects.filter(user=outsider).exists()
    assert not Event.objects.filter(verb="key_adult.added").exists()


def test_a_superuser_with_a_key_adult_role_is_refused_too(client, world):
    world.key_adult_b.is_superuser = True
    world.key_adult_b.save()
    signed_in(client, world.coordinator_a)
    assert add(client, world, world.key_adult_b.email).status_code == 400


def test_a_key_adult_of_another_school_may_be_added(client, world):
    signed_in(client, world.coordinator_a)
    response = add(client, world, world.key_adult_b.email)
    assert response.status_code == 302
    assert KeyAdult.objects.filter(user=world.key_adult_b, school=world.school_a).exists()


def test_a_new_address_makes_a_key_adult_account(client, world):
    signed_in(client, world.coordinator_a)
    assert add(client, world, "new.dsl@chalkwell.example").status_code == 302
    assert KeyAdult.objects.get(user__email="new.dsl@chalkwell.example").user.role == "key_adult"


def test_the_admin_refuses_a_police_account_on_a_register(world):
    membership = KeyAdult(user=world.officer_a, school=world.school_a, role="dsl")
    with pytest.raises(ValidationError, match="not a school"):
        membership.full_clean()
