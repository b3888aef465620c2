"""A Key Adult in a browser: signs in with password and TOTP, finds the new notification,
acknowledges it and logs support without a page reload; a Key Adult of another school gets
404 at the same address. Every page checked passes axe-core."""

import pytest
from django.urls import reverse

from notifications.models import NotificationStatus
from schools.models import SharingLevel
from tests.browser.conftest import axe_violations, screenshot
from tests.dashboard.helpers import current_code, notification_for
from tests.factories import KeyAdultFactory

pytestmark = pytest.mark.browser


def sign_in(page, base_url, user, *, check_accessibility=False):
    page.goto(base_url + reverse("two_factor:login"))
    if check_accessibility:
        assert axe_violations(page) == []
        screenshot(page, "sign-in")
    page.locator("#id_auth-username").fill(user.email)
    page.locator("#id_auth-password").fill("a-long-test-password")
    page.get_by_role("button", name="Continue").click()
    page.locator("#id_token-otp_token").fill(current_code(user))
    if check_accessibility:
        assert axe_violations(page) == []
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/school/**" if user.is_key_adult else "**")


def check(page, name):
    assert axe_violations(page) == [], name
    assert not [e for e in page.console_errors if "Content Security Policy" in e], name
    screenshot(page, name)


def test_a_key_adult_acknowledges_and_logs_support(live_server, world, new_page):
    world.partnership_a.sharing_level = SharingLevel.FULL
    world.partnership_a.save()
    notification = notification_for(world.school_a, pupil=world.pupil)
    notification_for(world.school_a, first_name="Jack", incident=notification.child.incident)
    notification_for(world.school_a, pupil=world.pupil, status=NotificationStatus.ACKNOWLEDGED)
    page = new_page()
    sign_in(page, live_server.url, world.key_adult_a, check_accessibility=True)

    page.wait_for_selector("text=2 new notifications")
    check(page, "inbox")
    page.get_by_role("link", name="Amelia Smith").first.click()
    page.wait_for_selector("h1:has-text('Amelia Smith')")
    detail_url = page.url
    assert page.get_by_role("link", name="Jack Smith").is_visible(), "the sibling is linked"
    check(page, "notification")

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_selector("text=Notification acknowledged")
    assert page.locator("#status-tags").inner_text().strip() == "Acknowledged"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACKNOWLEDGED

    page.get_by_role("button", name="Log support").click()
    page.wait_for_selector(".govuk-error-summary")
    check(page, "support-form-with-errors")
    page.get_by_label("Type of support").select_option(label="Welfare check-in")
    page.get_by_label("Note").fill("Checked in with Amelia at registration")
    page.get_by_role("button", name="Log support").click()
    page.wait_for_selector("text=Checked in with Amelia at registration")
    assert page.evaluate("window.stillTheSamePage") is True, "htmx should not reload the page"
    assert notification.support_actions.get().kind == "welfare_check_in"
    check(page, "notification-with-support")

    for link, name in [
        ("Correct", "support-correct"),
        ("Export", "export"),
        ("not our pupil", "not-our-pupil"),
    ]:
        page.goto(detail_url)
        page.get_by_role("link", name=link).first.click()
        page.wait_for_selector("h1")
        check(page, name)

    other = new_page()
    sign_in(other, live_server.url, world.key_adult_b)
    response = other.goto(detail_url)
    assert response.status == 404
    assert "Amelia" not in other.content()


def test_it_works_without_javascript(live_server, world, new_page):
    notification = notification_for(world.school_a, pupil=world.pupil)
    page = new_page(java_script_enabled=False)
    sign_in(page, live_server.url, world.key_adult_a)
    page.get_by_role("link", name="Amelia Smith").click()
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_selector("text=Notification acknowledged")
    page.get_by_label("Type of support").select_option(label="Pastoral support")
    page.get_by_role("button", name="Log support").click()
    page.wait_for_selector("text=Support logged")
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.ACKNOWLEDGED
    assert notification.support_actions.count() == 1


def test_the_statistics_and_public_pages_are_accessible(live_server, world, new_page):
    page = new_page()
    for path, name in [(reverse("accessibility"), "accessibility"), (reverse("privacy"), "privacy")]:
        page.goto(live_server.url + path)
        check(page, name)
    sign_in(page, live_server.url, world.analyst_a)
    page.goto(live_server.url + "/statistics/")
    check(page, "statistics")


def test_a_new_key_adult_sets_up_the_authenticator_app_on_accessible_pages(live_server, world, new_page):
    newcomer = KeyAdultFactory(school=world.school_a, user__totp=False).user
    page = new_page()
    page.goto(live_server.url + reverse("two_factor:login"))
    page.locator("#id_auth-username").fill(newcomer.email)
    page.locator("#id_auth-password").fill("a-long-test-password")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/two_factor/setup/")
    check(page, "setup-welcome")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("img[alt='QR code for your authenticator app']")
    check(page, "setup-qr-code")
