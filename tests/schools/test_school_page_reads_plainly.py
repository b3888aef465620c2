"""A school's page as a coordinator reads it: changes in words, Key Adults included, and
"taking part" that agrees with the agreement."""

from django.urls import reverse

from tests.conftest import signed_in
from tests.factories import SchoolFactory


def school_page(client, world, school):
    return client.get(reverse("schools:school", args=[world.partnership_a.pk, school.urn])).content.decode()


def test_the_change_list_says_in_words_what_happened_including_key_adults_added(client, world):
    signed_in(client, world.coordinator_a)
    add = reverse("schools:key_adult_add", args=[world.partnership_a.pk, world.school_a.urn])
    client.post(add, {"full_name": "Sam Deputy", "email": "sam@chalkwell.example", "role": "deputy"})

    page = school_page(client, world, world.school_a)

    changes = page.split(">Changes</h2>", 1)[1]
    assert f"Key Adult added: Sam Deputy by {world.coordinator_a.full_name}" in changes
    assert "key_adult.added" not in changes and "school.signed_up" not in changes


def test_a_school_listed_as_taking_part_without_an_acceptance_says_so(client, world):
    assert world.school_a.participating and not world.school_a.agreement_acceptances.exists()
    signed_in(client, world.coordinator_a)

    page = school_page(client, world, world.school_a)

    assert "Yes, since" not in page
    assert "no acceptance of the agreement is recorded" in page
    assert "acceptance of the agreement</a>" in page


def test_a_problem_many_schools_share_is_one_line_with_the_count_and_the_schools(client, world):
    for n in range(3):
        SchoolFactory(name=f"Termless School {n}", local_authority=world.la_a)
    signed_in(client, world.coordinator_a)

    page = client.get(reverse("schools:problems", args=[world.partnership_a.pk])).content.decode()

    assert page.count("No term dates for today") == 1
    no_terms = page.split("No term dates for today", 1)[1].split("</tr>", 1)[0]
    assert "schools</span></summary>" in no_terms
    assert all(f"Termless School {n}" in no_terms for n in range(3))
