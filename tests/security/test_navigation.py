"""Every role's header lists the areas that role may use, and each of them opens."""

import re

import pytest

from tests.conftest import signed_in

AREAS = {
    "key_adult_a": ["Notifications"],
    "coordinator_a": ["Schools", "Key Adult problems", "Routing queue", "Statistics", "Operations"],
    "analyst_a": ["Statistics"],
}
LANDING = {"key_adult_a": "/school/", "coordinator_a": "/partnership/", "analyst_a": "/statistics/"}


def header_links(html: str) -> list[tuple[str, str]]:
    nav = html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return [
        (label, href)
        for href, label in re.findall(
            r'<a class="govuk-service-navigation__link" href="([^"]+)"[^>]*>([^<]+)</a>', nav
        )
    ]


@pytest.mark.parametrize("persona", ["key_adult_a", "coordinator_a", "analyst_a"])
def test_the_header_lists_every_area_of_the_role_and_each_opens(client, world, persona):
    signed_in(client, getattr(world, persona))
    landing = client.get("/", follow=True)
    assert landing.redirect_chain[-1][0].startswith(LANDING[persona])

    links = header_links(landing.content.decode())

    assert [label for label, _ in links] == AREAS[persona]
    for _, href in links:
        assert client.get(href, follow=True).status_code == 200, href


def test_the_current_area_is_marked(client, world):
    signed_in(client, world.coordinator_a)

    html = client.get("/routing/").content.decode()

    assert re.search(r'href="/routing/" aria-current="page">Routing queue<', html)
