"""A forgotten password, a lost phone and an account nobody uses: each has a way through that
never skips the second factor, and each is an event."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from encompass.accounts import users_deactivate_unused
from encompass.models import Event, Role
from tests.conftest import reauthenticated, signed_in
from tests.factories import UserFactory
from tests.security.test_sign_in_protection import attempt, offers_second_step

NEW_PASSWORD = "a-brand-new-long-password-42"


def reset_link(client, email) -> str:
    client.post(reverse("password_reset"), {"email": email})
    (message,) = mail.outbox
    return re.search(r"https?://[^/]+(/account/password/reset/\S+/)", message.body).group(1)


def choose(client, link, password=NEW_PASSWORD):
    form = client.get(link, follow=True)  # Django moves the token into the session first
    return client.post(form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_a_forgotten_password_is_reset_by_e_mail_and_the_second_factor_is_still_asked(client, world):
    email = world.key_adult_a.email
    link = reset_link(client, email)
    assert choose(client, link).url == reverse("password_reset_complete")
    assert not client.session.get("_auth_user_id")  # nobody is signed in by the reset
    response = attempt(client, email, NEW_PASSWORD)
    assert offers_second_step(response)  # the password alone is not enough
    verbs = set(Event.objects.filter(object_id=str(world.key_adult_a.pk)).values_list("verb", flat=True))
    assert {"user.password_reset_requested", "user.password_reset"} <= verbs


def test_the_reset_e_mail_carries_no_personal_data_beyond_the_link(client, world):
    reset_link(client, world.key_adult_a.email)
    body = mail.outbox[0].body
    assert world.key_adult_a.full_name not in body
    assert world.school_a.name not in body


def test_a_reset_link_works_once(client, world):
    link = reset_link(client, world.key_adult_a.email)
    choose(client, link)
    again = client.get(link, follow=True)
    assert "This link does not work" in again.content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_e_mail(client, world):
    known = client.post(reverse("password_reset"), {"email": world.key_adult_a.email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1


def test_a_new_key_adult_without_a_password_sets_one_through_the_reset(client, world):
    newcomer = get_user_model().objects.create_user(
        "new.dsl@example.org", None, full_name="New", role="key_adult"
    )
    link = reset_link(client, newcomer.email)
    choose(client, link)
    newcomer.refresh_from_db()
    assert newcomer.check_password(NEW_PASSWORD)


def test_a_deactivated_account_gets_no_reset_e_mail(client, world):
    world.key_adult_a.is_active = False
    world.key_adult_a.save()
    client.post(reverse("password_reset"), {"email": world.key_adult_a.email})
    assert mail.outbox == []


def test_an_administrator_resets_a_lost_second_factor_and_the_person_must_enrol_again(client, world):
    person = signed_in(Client(), world.key_adult_a)
    reauthenticated(signed_in(client, world.admin))
    response = client.post(
        "/admin/encompass/user/",
        {"action": "reset_second_factor", "_selected_action": [world.key_adult_a.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.key_adult_a).exists()
    assert Event.objects.filter(verb="user.second_factor_reset", actor=world.admin).count() == 1
    # Their session is over, and signing in again leads to setting up a new authenticator.
    assert person.get("/school/").url.startswith(reverse("two_factor:login"))
    fresh = Client()
    attempt(fresh, world.key_adult_a.email, "a-long-test-password")
    assert fresh.get("/school/").url.startswith(reverse("two_factor:setup"))


def test_accounts_unused_for_the_set_time_are_deactivated_once(world, settings):
    settings.ACCOUNT_INACTIVE_DAYS = 30
    now = timezone.now()
    stale = UserFactory(role=Role.OFFICER, force=world.force_a)
    stale.last_login = now - timedelta(days=31)
    stale.save()
    never = UserFactory(role=Role.OFFICER, force=world.force_a, date_joined=now - timedelta(days=40))
    recent = UserFactory(role=Role.OFFICER, force=world.force_a)
    recent.last_login = now - timedelta(days=2)
    recent.save()
    get_user_model().objects.exclude(pk__in=[stale.pk, never.pk, recent.pk]).update(last_login=now)

    assert sorted(users_deactivate_unused(now=now)) == sorted([stale.pk, never.pk])
    assert users_deactivate_unused(now=now) == []
    recent.refresh_from_db()
    assert recent.is_active
    assert Event.objects.filter(verb="user.deactivated").count() == 2


def test_a_superuser_is_never_deactivated_by_the_sweep(world, settings):
    settings.ACCOUNT_INACTIVE_DAYS = 1
    get_user_model().objects.update(last_login=timezone.now() - timedelta(days=400))
    users_deactivate_unused()
    world.admin.refresh_from_db()
    assert world.admin.is_active
    world.key_adult_a.refresh_from_db()
    assert not world.key_adult_a.is_active


def test_beat_runs_the_deactivation_daily():
    from encompass.celery import _beat_schedule, app

    _beat_schedule(app)
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "encompass.tasks.deactivate_unused_accounts" in tasks
