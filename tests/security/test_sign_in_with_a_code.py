"""Signing in with a password and a code from the authenticator app, as a person does."""

from django.urls import reverse

from tests.security.test_sign_in_protection import attempt, current_code

LOGIN = reverse("two_factor:login")


def sign_in(client, user, code):
    attempt(client, user.email, "a-long-test-password")
    return client.post(LOGIN, {"login_view-current_step": "token", "token-otp_token": code})


def test_a_fresh_sign_in_opens_the_admin_without_asking_for_another_code(client, world):
    response = sign_in(client, world.admin, current_code(world.admin))
    assert response.status_code == 302

    assert client.get("/admin/encompass/user/").status_code == 200


def test_a_code_used_for_one_sign_in_is_refused_with_a_reason_for_the_next(client, world):
    code = current_code(world.key_adult_a)
    assert sign_in(client, world.key_adult_a, code).status_code == 302
    client.post(reverse("logout"))

    page = sign_in(client, world.key_adult_a, code).content.decode()

    assert "That code has already been used to sign in" in page
    assert "Wait for your authenticator app to show the next code" in page
    assert "Invalid token" not in page


def test_a_wrong_code_is_still_called_wrong(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    right = current_code(world.key_adult_a)
    wrong = f"{(int(right) + 1) % 1000000:06d}"

    page = sign_in(client, world.key_adult_a, wrong).content.decode()

    assert "already been used" not in page
