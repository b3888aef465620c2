"""Each role's main pages at a desktop width and at 375 px (a small phone): no page scrolls
sideways, and axe-core finds nothing. Signed in by session cookie: the sign-in itself is
walked in test_key_adult_dashboard.py."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import signed_in
from tests.dashboard.helpers import notification_for

pytestmark = pytest.mark.browser
WIDTHS = (1280, 375)


def pages_of(persona: str, world) -> list[str]:
    pk = world.partnership_a.pk
    return {
        "coordinator_a": [
            "/",
            f"/partnership/{pk}/problems/",
            f"/partnership/{pk}/schools/{world.school_a.urn}/",
            f"/partnership/{pk}/schools/{world.school_a.urn}/key-adults/add/",
            "/routing/",
        ],
        "key_adult_a": ["/"],
        "analyst_a": ["/"],
    }[persona]


@pytest.mark.parametrize("persona", ["coordinator_a", "key_adult_a", "analyst_a"])
def test_each_page_of_the_role_fits_the_screen_and_passes_axe(live_server, world, new_page, persona):
    for n in range(3):
        notification_for(world.school_a, first_name=f"Amelia{n}", last_name="Longsurname-Doublebarrel")
    client = signed_in(Client(), getattr(world, persona))
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    problems = []
    for width in WIDTHS:
        page = new_page()
        page.set_viewport_size({"width": width, "height": 800})
        page.context.add_cookies([cookie])
        for path in pages_of(persona, world):
            page.goto(live_server.url + path)
            where = f"{page.url} at {width} px"
            if page.evaluate("document.documentElement.scrollWidth") > width:
                problems.append(f"{where} scrolls sideways")
            problems += [f"{where}: {v}" for v in axe_violations(page)]
            screenshot(page, f"{persona}-{path.strip('/').replace('/', '-') or 'home'}-{width}")
    assert problems == []
