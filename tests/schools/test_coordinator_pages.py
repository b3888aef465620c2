from datetime import date

import pytest
from django.urls import reverse

from encompass.events import events_for
from encompass.models import Role
from schools.models import KeyAdult, KeyAdultRole
from tests.conftest import signed_in
from tests.factories import KeyAdultFactory, SchoolFactory, UserFactory


def url(name, *args):
    return reverse(f"schools:{name}", args=args)


@pytest.fixture
def outsider_school(world):
    return SchoolFactory(
        name="Non-participating Primary", local_authority=world.la_a, participating=False, joined_on=None
    )


def test_a_coordinator_signs_up_a_school_after_the_agreement_is_accepted(client, world, outsider_school):
    signed_in(client, world.coordinator_a)
    data = {
        "accepted_by_name": "Jo Head",
        "accepted_by_role": "Headteacher",
        "accepted_on": "2026-11-20",
        "joined_on": "2026-11-23",
    }
    response = client.post(url("sign_up", world.partnership_a.pk, outsider_school.urn), data)

    assert response.status_code == 302
    outsider_school.refresh_from_db()
    assert outsider_school.participating and outsider_school.joined_on == date(2026, 11, 23)
    acceptance = outsider_school.agreement_acceptances.get()
    assert (acceptance.accepted_by_name, acceptance.agreement_version) == ("Jo Head", "1.0")
    assert [e.verb for e in events_for(outsider_school)] == ["school.signed_up"]
    page = client.get(url("school", world.partnership_a.pk, outsider_school.urn))
    assert "Version 1.0 accepted by Jo Head (Headteacher) on 20 November 2026" in page.content.decode()


def test_a_sign_up_needs_who_accepted_the_agreement(client, world, outsider_school):
    signed_in(client, world.coordinator_a)
    response = client.post(
        url("sign_up", world.partnership_a.pk, outsider_school.urn), {"joined_on": "2026-11-23"}
    )

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    outsider_school.refresh_from_db()
    assert not outsider_school.participating


def test_a_withdrawn_school_stays_in_the_data(client, world):
    signed_in(client, world.coordinator_a)
    client.post(url("withdraw", world.partnership_a.pk, world.school_b.urn))

    world.school_b.refresh_from_db()
    assert not world.school_b.participating
    assert (
        "Leigh Primary School"
        in client.get(url("schools", world.partnership_a.pk) + "?show=all").content.decode()
    )


def test_a_coordinator_adds_and_changes_a_key_adult_and_the_changes_are_recorded(client, world):
    signed_in(client, world.coordinator_a)
    data = {
        "full_name": "Sam Deputy",
        "email": "Sam.Deputy@chalkwell.example",
        "role": "deputy",
        "trained_on": "2026-01-10",
    }
    client.post(url("key_adult_add", world.partnership_a.pk, world.school_a.urn), data)

    key_adult = KeyAdult.objects.get(user__email="sam.deputy@chalkwell.example")
    assert (key_adult.school, key_adult.role, key_adult.user.role) == (
        world.school_a,
        "deputy",
        Role.KEY_ADULT,
    )
    client.post(
        url("key_adult_change", world.partnership_a.pk, key_adult.pk),
        {
            "email": "sam.deputy@chalkwell.example",
            "role": "deputy",
            "is_active": "no",
            "phone": "01702 000000",
            "trained_on": "2026-01-10",
        },
    )
    key_adult.refresh_from_db()
    assert not key_adult.is_active and key_adult.phone == "01702 000000"
    changes = [(e.verb, e.actor, e.data.get("fields")) for e in events_for(key_adult).order_by("at")]
    assert changes == [
        ("key_adult.added", world.coordinator_a, None),
        ("key_adult.changed", world.coordinator_a, ["is_active", "phone"]),
    ]


def test_the_problems_page_lists_what_would_stop_a_school_being_told(
    client, world, django_assert_max_num_queries
):
    KeyAdultFactory(school=world.school_a, role=KeyAdultRole.DEPUTY, user__email="office@chalkwell.example",
                    user__full_name="Front Office", trained_on=date(2020, 1, 1))  # fmt: skip
    world.school_b.key_adults.update(trained_on=date(2026, 1, 1))
    deputy_only = SchoolFactory(name="Deputies Only School", local_authority=world.la_a)
    KeyAdultFactory(school=deputy_only, role=KeyAdultRole.DEPUTY, trained_on=date(2026, 1, 1))
    signed_in(client, world.coordinator_a)

    with django_assert_max_num_queries(12):
        page = client.get(url("problems", world.partnership_a.pk)).content.decode()

    assert "Front Office has a shared mailbox address (office@chalkwell.example)" in page
    assert "Front Office was last trained over two years ago" in page
    assert "No active designated safeguarding lead" in page  # Deputies Only School
    assert "Only one active Key Adult" in page  # Leigh Primary School
    assert "No term dates for today" in page
    assert "Grays Primary School" not in page  # another partnership's school


@pytest.mark.parametrize("persona", ["coordinator_b", "analyst_a", "key_adult_a", "officer_a"])
def test_anyone_but_the_partnerships_coordinator_gets_404(client, world, persona):
    world.coordinator_b = UserFactory(role=Role.COORDINATOR, partnership=world.partnership_b)
    signed_in(client, getattr(world, persona))
    pk = world.partnership_a.pk
    key_adult = world.school_a.key_adults.get()

    pages = [url("schools", pk), url("school", pk, world.school_a.urn), url("problems", pk)]
    pages += [url("sign_up", pk, world.school_a.urn), url("key_adult_change", pk, key_adult.pk)]
    for page in pages:
        assert client.get(page).status_code == 404
    assert client.post(url("withdraw", pk, world.school_a.urn)).status_code == 404
    world.school_a.refresh_from_db()
    assert world.school_a.participating


def test_a_coordinator_cannot_reach_another_partnerships_school_through_their_own(client, world):
    signed_in(client, world.coordinator_a)

    assert client.get(url("school", world.partnership_a.pk, world.school_c.urn)).status_code == 404


def test_an_administrator_may_see_any_partnership(client, world):
    signed_in(client, world.admin)

    assert client.get(url("schools", world.partnership_b.pk)).status_code == 200


def test_the_coordinator_lands_on_their_schools(client, world):
    signed_in(client, world.coordinator_a)

    assert client.get(url("home")).url == url("schools", world.partnership_a.pk)


def test_after_signing_in_a_coordinator_lands_on_the_partnerships_schools(client, world):
    signed_in(client, world.coordinator_a)

    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == url("schools", world.partnership_a.pk)
