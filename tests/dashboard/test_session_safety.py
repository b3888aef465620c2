import re
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationStatus
from tests.conftest import signed_in
from tests.dashboard.helpers import notification_for


def key_adult_pages(notification):
    action = notification.support_actions.first()
    pages = [
        reverse("notifications:inbox"),
        reverse("notifications:detail", args=[notification.pk]),
        reverse("notifications:reject", args=[notification.pk]),
        reverse("notifications:export", args=[notification.pk]),
    ]
    if action:
        pages.append(reverse("notifications:support_correct", args=[notification.pk, action.pk]))
    return pages


def test_the_session_ends_after_20_idle_minutes(client, world, notification):
    signed_in(client, world.key_adult_a)
    client.get(reverse("notifications:inbox"))
    session = Session.objects.get(session_key=client.session.session_key)
    assert timedelta(minutes=19) < session.expire_date - timezone.now() <= timedelta(minutes=20)

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("notifications:detail", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:login"))


def test_each_request_restarts_the_idle_clock(client, world):
    signed_in(client, world.key_adult_a)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=2))
    client.get(reverse("notifications:inbox"))
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=19)


def test_cookies_are_secure_and_hidden_from_scripts(client, world):
    signed_in(client, world.key_adult_a)
    response = client.get(reverse("notifications:inbox"))
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_pages_with_personal_data_are_never_cached(client, world, notification):
    notification.support_actions.create(
        given_on=timezone.localdate(), kind="other", created_by=world.key_adult_a
    )
    signed_in(client, world.key_adult_a)
    for url in key_adult_pages(notification):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_no_child_name_in_page_titles(client, world, notification):
    notification.support_actions.create(
        given_on=timezone.localdate(), kind="other", created_by=world.key_adult_a
    )
    signed_in(client, world.key_adult_a)
    client.post(reverse("notifications:inbox_search"), {"name": "Amelia"})
    for url in key_adult_pages(notification):
        page = client.get(url).content.decode()
        assert "Amelia" in page, url
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
        assert "Amelia" not in title and "Smith" not in title, url


def test_pages_have_no_inline_script_or_style(client, world, notification):
    """The Content Security Policy forbids them."""
    notification_for(world.school_a, first_name="Later", status=NotificationStatus.ACKNOWLEDGED)
    notification.support_actions.create(
        given_on=timezone.localdate(), kind="other", created_by=world.key_adult_a
    )
    signed_in(client, world.key_adult_a)
    pages = [*key_adult_pages(notification), reverse("accessibility"), reverse("privacy")]
    for url in pages:
        page = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), url
        assert not re.search(r"\sstyle=", page), url
        assert "<style" not in page, url
