"""A coordinator chooses how each Key Adult is alerted: e-mail, text message or both, with a UK
mobile number checked and stored in E.164."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from encompass.events import events_for
from schools.mobiles import mobile_normalise
from schools.models import KeyAdult
from tests.conftest import signed_in


def change(client, world, key_adult, **fields):
    data = {
        "email": key_adult.user.email,
        "role": key_adult.role,
        "is_active": "yes",
        "trained_on": "",
        **fields,
    }
    return client.post(reverse("schools:key_adult_change", args=(world.partnership_a.pk, key_adult.pk)), data)


@pytest.mark.parametrize(
    "typed", ["07700 900123", "07700900123", "+44 7700 900123", "0044 7700 900 123", "(07700) 900-123"]
)
def test_a_uk_mobile_is_stored_in_e164_however_it_is_typed(typed):
    assert mobile_normalise(typed) == "+447700900123"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("01702 215000", "looks like a landline"),
        ("07700 90012", "too short"),
        ("07700 9001234", "too long"),
        ("+33 6 12 34 56 78", "from another country"),
        ("07700 9OO123", "only digits"),
        ("０７７００９００１２３", "only digits"),
    ],
)
def test_a_number_that_is_not_a_uk_mobile_gets_a_message_that_says_why(typed, says):
    with pytest.raises(ValidationError) as error:
        mobile_normalise(typed)
    assert says in error.value.messages[0]


def test_a_coordinator_sets_a_key_adult_to_texts_and_email(client, world):
    signed_in(client, world.coordinator_a)
    key_adult = world.key_adult_a.key_adult_roles.get()
    response = change(client, world, key_adult, alert_by="both", mobile="07700 900123")
    assert response.status_code == 302
    key_adult.refresh_from_db()
    assert (key_adult.alert_by, key_adult.mobile) == ("both", "+447700900123")
    [changed] = [e for e in events_for(key_adult) if e.verb == "key_adult.changed"]
    assert changed.data["fields"] == ["alert_by", "mobile"]
    assert "900123" not in str(changed.data)
    page = client.get(reverse("schools:school", args=(world.partnership_a.pk, world.school_a.urn)))
    assert "Yes, by e-mail and text message" in page.content.decode()


def test_a_wrong_mobile_is_refused_on_the_form_with_the_reason(client, world):
    signed_in(client, world.coordinator_a)
    key_adult = world.key_adult_a.key_adult_roles.get()
    response = change(client, world, key_adult, alert_by="sms", mobile="01702 215000")
    assert response.status_code == 400
    assert "Enter a UK mobile number, starting 07 (this looks like a landline)" in response.content.decode()
    key_adult.refresh_from_db()
    assert (key_adult.alert_by, key_adult.mobile) == ("email", "")


def test_texts_need_a_mobile_number(client, world):
    signed_in(client, world.coordinator_a)
    key_adult = world.key_adult_a.key_adult_roles.get()
    response = change(client, world, key_adult, alert_by="sms", mobile="")
    assert response.status_code == 400
    assert "Enter a mobile number, or choose alerts by e-mail only" in response.content.decode()


def test_a_new_key_adult_can_be_added_with_text_alerts(client, world):
    signed_in(client, world.coordinator_a)
    data = {
        "full_name": "Sam Deputy", "email": "sam@chalkwell.example", "role": "deputy",
        "alert_by": "sms", "mobile": "07700900456",
    }  # fmt: skip
    client.post(reverse("schools:key_adult_add", args=(world.partnership_a.pk, world.school_a.urn)), data)
    key_adult = KeyAdult.objects.get(user__email="sam@chalkwell.example")
    assert (key_adult.alert_by, key_adult.mobile) == ("sms", "+447700900456")


@pytest.mark.parametrize(("alert_by", "mobile"), [("sms", ""), ("both", ""), ("email", "07700900123")])
def test_the_database_refuses_texts_without_an_e164_mobile(world, alert_by, mobile):
    with pytest.raises(IntegrityError):
        KeyAdult.objects.filter(user=world.key_adult_a).update(alert_by=alert_by, mobile=mobile)
