"""The officer, the police reviewer and the administrator in a browser, each from sign-in
(password and TOTP) through their main job, at a desktop width and at 375 px: no page
scrolls sideways, and axe-core finds nothing on any page visited. SCREENSHOT_DIR keeps a
picture of each page."""

import pytest
from django.urls import reverse

from incidents.models import Incident, IncidentStatus, MatchStatus
from notifications.models import Notification
from tests.browser.conftest import axe_violations, screenshot
from tests.dashboard.helpers import current_code, notification_for
from tests.matching.conftest import twin_in_review  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
WIDTHS = (1280, 375)


class Walk:
    """One person's pages at one width: each page visited is checked the same way."""

    def __init__(self, page, base_url, name, width):
        self.page, self.base_url, self.name, self.width = page, base_url, name, width
        self.problems = []
        page.set_viewport_size({"width": width, "height": 900})

    def check(self, step: str) -> None:
        where = f"{self.name} {step} ({self.page.url}) at {self.width} px"
        if self.page.evaluate("document.documentElement.scrollWidth") > self.width:
            self.problems.append(f"{where} scrolls sideways")
        self.problems += [f"{where}: {v}" for v in axe_violations(self.page)]
        screenshot(self.page, f"{self.name}-{step}-{self.width}")

    def sign_in(self, user) -> None:
        page = self.page
        page.goto(self.base_url + reverse("two_factor:login"))
        self.check("sign-in")
        page.locator("#id_auth-username").fill(user.email)
        page.locator("#id_auth-password").fill("a-long-test-password")
        page.get_by_role("button", name="Continue").click()
        page.locator("#id_token-otp_token").fill(current_code(user))
        self.check("sign-in-code")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_officer_signs_in_files_an_incident_and_submits_it_to_schools(
    live_server, world, new_page, eager_celery, width
):
    walk = Walk(new_page(), live_server.url, "officer", width)
    walk.sign_in(world.officer_a)
    page = walk.page
    assert page.url.rstrip("/").endswith("/police")
    walk.check("home")
    page.get_by_role("link", name="File an incident").click()
    page.wait_for_selector("#id_reference")
    walk.check("new-incident")
    page.fill("#id_reference", f"42/12345{width % 10}/26")
    page.fill("#id_occurred_at_0", "2026-11-27")
    page.fill("#id_occurred_at_1", "21:30")
    page.fill("#id_postcode", "ss1 1aa")
    page.fill("#id_children-0-first_name", "Amelia")
    page.fill("#id_children-0-last_name", "Smith")
    page.fill("#id_children-0-dob", "2016-05-14")
    page.get_by_role("button", name="Submit to schools").click()
    page.wait_for_selector(".messagelist")
    assert "submitted: the schools are being told" in page.locator(".messagelist").inner_text()
    walk.check("submitted")
    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.SUBMITTED
    assert Notification.objects.filter(child__incident=incident, school=world.school_a).exists()
    assert walk.problems == [], "\n".join(walk.problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_reviewer_signs_in_opens_the_queue_and_confirms_a_match(
    live_server,
    world,
    new_page,
    eager_celery,
    twin_in_review,  # noqa: F811
    width,
):
    walk = Walk(new_page(), live_server.url, "reviewer", width)
    walk.sign_in(world.reviewer_a)
    page = walk.page
    walk.check("home")
    page.locator("#navigation, .app-admin-navigation").get_by_role("link", name="Review queue").click()
    page.wait_for_selector("h1:has-text('Children to review')")
    walk.check("review-queue")
    page.get_by_role("link", name="Ollie Taylor").click()
    page.wait_for_selector("h1:has-text('Review Ollie Taylor')")
    walk.check("review-child")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector(".govuk-error-summary")
    walk.check("review-child-errors")
    page.locator(".govuk-radios__input").first.check()
    page.get_by_label("Why").fill("Same date of birth and address; Ollie is Oliver")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector("h1:has-text('Children to review')")
    walk.check("review-done")
    twin_in_review.refresh_from_db()
    assert twin_in_review.match_status == MatchStatus.MATCHED
    assert walk.problems == [], "\n".join(walk.problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_administrator_signs_in_and_reads_a_notification_without_a_second_code(
    live_server, world, new_page, width
):
    notification = notification_for(world.school_a)
    walk = Walk(new_page(), live_server.url, "admin", width)
    walk.sign_in(world.admin)
    page = walk.page
    page.goto(live_server.url + "/admin/")
    assert "Confirm it is you" not in page.content()
    walk.check("admin-home")
    page.goto(live_server.url + reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert page.locator("input[name=status], select[name=status]").count() == 0, "read-only"
    assert page.get_by_role("link", name="Delete").count() == 0
    walk.check("notification")
    assert walk.problems == [], "\n".join(walk.problems)
