"""A new officer in a real browser: files an incident, fixes the error shown next to the
field, submits, amends and withdraws."""

import os

import pytest
from django.conf import settings
from django.test import Client

from incidents.models import Incident, IncidentStatus
from notifications.models import Notification, NotificationStatus
from tests.conftest import signed_in
from tests.services import unavailable

pytestmark = pytest.mark.browser

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page(transactional_db, live_server, world):
    if not os.path.exists("/usr/bin/chromium"):
        unavailable("needs Debian's chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    client = signed_in(Client(), world.officer_a)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        yield context.new_page()
        browser.close()


def test_an_officer_files_fixes_submits_amends_and_withdraws(page, live_server, eager_celery):
    page.goto(f"{live_server.url}/police/incidents/incident/add/")
    page.fill("#id_reference", "42/123456/26")
    page.fill("#id_occurred_at_0", "2026-11-27")
    page.fill("#id_occurred_at_1", "21:30")
    page.fill("#id_postcode", "ss1 1aa")
    page.fill("#id_children-0-first_name", "Amelia")
    page.fill("#id_children-0-last_name", "Smith")
    page.fill("#id_children-0-dob", "2026-11-28")
    page.click("input[name=_submit]")

    error = page.locator("#id_children-0-dob_error")
    assert "on or before the date of the incident" in error.inner_text()
    assert "id_children-0-dob_error" in page.get_attribute("#id_children-0-dob", "aria-describedby").split()
    assert not Incident.objects.exists()

    page.fill("#id_children-0-dob", "2016-05-14")
    page.click("input[name=_submit]")
    assert "submitted: the schools are being told" in page.locator(".messagelist").inner_text()
    assert "Matched (Chalkwell Primary School)" in page.content()

    page.check("#id_welfare_check")
    page.click("input[name=_save]")
    assert "amended" in page.locator(".messagelist").inner_text()
    assert Notification.objects.get().is_updated

    page.click("text=Withdraw this incident")
    page.click("text=Withdraw the incident")
    assert "Choose why the incident is being withdrawn" in page.content()
    page.check("text=Entered in error")
    page.click("text=Withdraw the incident")
    assert "withdrawn" in page.locator(".messagelist").inner_text()
    assert Incident.objects.get().status == IncidentStatus.WITHDRAWN
    assert Notification.objects.get().status == NotificationStatus.WITHDRAWN
