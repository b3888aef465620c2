"""The analyst's statistics as a browser shows them, at a desktop width and at 375 px: the
summary, the trend, the sortable school table and a figure one step away. No page scrolls
sideways, no chart label is cut off, and axe-core finds nothing."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import axe_violations, screenshot
from tests.conftest import signed_in
from tests.statistics.conftest import march  # noqa: F401 (the hand-counted month, as a fixture)

pytestmark = pytest.mark.browser
WIDTHS = (1280, 375)
YEAR = "?start=2025-04-01&end=2026-03-31"
PAGES = [
    ("overview-year", "/statistics/" + YEAR),
    ("overview-month", "/statistics/?start=2026-03-01&end=2026-03-31"),
    ("match-outcomes", "/statistics/figures/match_outcomes/" + YEAR),
    ("support", "/statistics/figures/support_actions/" + YEAR),
    ("weeks", "/statistics/figures/notifications_by_week/?start=2026-01-01&end=2026-03-31"),
]
# Every chart label's box lies within the page: none is cut off at either side.
LABELS = ".app-trend__label, .app-trend__tick, .app-bars__label, .app-bars__value"
CLIPPED = """(labels) => [...document.querySelectorAll(labels)]
  .filter(e => e.textContent.trim())
  .filter(e => {
    const r = e.getBoundingClientRect();
    return r.left < 0 || r.right > document.documentElement.clientWidth;
  })
  .map(e => e.textContent.trim())"""


def session_cookie(live_server, user) -> dict:
    client = signed_in(Client(), user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_the_statistics_read_at_every_width(live_server, march, new_page, width):  # noqa: F811
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([session_cookie(live_server, march.world.analyst_a)])
    problems = []
    for name, path in PAGES:
        page.goto(live_server.url + path)
        where = f"{path} at {width} px"
        if page.evaluate("document.documentElement.scrollWidth") > width:
            problems.append(f"{where} scrolls sideways")
        problems += [f"{where}: label cut off: {label}" for label in page.evaluate(CLIPPED, LABELS)]
        problems += [f"{where}: {v}" for v in axe_violations(page)]
        screenshot(page, f"analyst-{name}-{width}")
    assert problems == []


def test_the_school_table_sorts_by_a_heading_without_javascript(live_server, march, new_page):  # noqa: F811
    page = new_page(java_script_enabled=False)
    page.context.add_cookies([session_cookie(live_server, march.world.analyst_a)])
    page.goto(live_server.url + "/statistics/" + YEAR)
    heading = page.locator("#caption-schools").locator("xpath=..").locator("thead th").first
    assert heading.get_attribute("aria-sort") == "none"
    heading.get_by_role("link").click()
    heading = page.locator("#caption-schools").locator("xpath=..").locator("thead th").first
    assert heading.get_attribute("aria-sort") == "ascending"
    names = page.locator("#caption-schools").locator("xpath=..").locator("tbody th").all_inner_texts()[:-1]
    assert names == sorted(names, key=str.casefold)
