"""Who may see which figures: outsiders get 404."""

import pytest
from django.urls import reverse

from tests.conftest import signed_in
from tests.statistics.conftest import MARCH

PAGES = [
    ("statistics:index", []),
    ("statistics:csv", ["summary"]),
    ("statistics:summary", [2025]),
    ("statistics_api:figures", []),
    ("statistics_api:figure", ["summary"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("persona", ["officer_a", "reviewer_a", "key_adult_a"])
def test_people_outside_the_partnership_roles_get_404(client, world, persona, name, args):
    response = signed_in(client, getattr(world, persona)).get(reverse(name, args=args))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_analysts_and_coordinators_see_their_partnership(client, world, name, args):
    for persona in (world.analyst_a, world.coordinator_a):
        assert signed_in(client, persona).get(reverse(name, args=args), MARCH).status_code == 200


def test_a_school_of_another_partnership_is_404_on_pages_csv_and_api(client, world):
    other_school = {"school": world.school_c.urn, **MARCH}
    signed_in(client, world.analyst_a)
    for name, args in PAGES:
        assert client.get(reverse(name, args=args), other_school).status_code == 404
    assert client.get(reverse("statistics:index"), {"la": "883"}).status_code == 404


def test_an_analyst_cannot_ask_for_another_partnership(client, world):
    response = signed_in(client, world.analyst_a).get(
        reverse("statistics_api:figures"), {"partnership": world.partnership_b.pk}
    )
    assert response.status_code == 404


def test_an_administrator_sees_all_partnerships_or_one(client, world):
    signed_in(client, world.admin)
    assert client.get(reverse("statistics:index")).status_code == 200
    response = client.get(reverse("statistics_api:figures"), {"partnership": world.partnership_b.pk})
    assert response.json()["scope"]["partnership"] == world.partnership_b.pk


def test_the_api_needs_a_verified_second_factor(client, world):
    url = reverse("statistics_api:figures")
    assert client.get(url).status_code == 403
    response = signed_in(client, world.analyst_a, verified=False).get(url)
    assert response.status_code == 403
    assert "second factor" in response.json()["errors"][0]["message"]


def test_pages_need_a_signed_in_user(client, world):
    response = client.get(reverse("statistics:index"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_an_unknown_figure_is_404(client, world):
    signed_in(client, world.analyst_a)
    assert client.get(reverse("statistics:csv", args=["names"])).status_code == 404
    assert client.get(reverse("statistics_api:figure", args=["names"])).status_code == 404


def test_the_home_page_of_an_analyst_is_the_statistics(client, world):
    response = signed_in(client, world.analyst_a).get(reverse("home"))
    assert response["Location"] == reverse("statistics:index")


def test_the_figures_are_in_the_openapi_schema():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/statistics/figures/" in schema["paths"]
    assert "/api/v1/statistics/figures/{key}/" in schema["paths"]
