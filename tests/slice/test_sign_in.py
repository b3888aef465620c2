from django.urls import reverse
from django_otp.oath import totp

from tests.conftest import signed_in
from tests.factories import UserFactory


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:login"))


def test_admin_needs_a_second_factor_too(client, world):
    signed_in(client, world.admin, verified=False)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == reverse("two_factor:setup")


def test_a_user_without_a_device_is_taken_to_set_one_up(client, world):
    user = UserFactory(role="key_adult", totp=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("notifications:inbox")).url == reverse("two_factor:setup")


def test_sign_in_with_password_and_totp_reaches_the_dashboard(client, world):
    user = world.key_adult_a
    login = reverse("two_factor:login")
    client.post(
        login,
        {
            "login_view-current_step": "auth",
            "auth-username": user.email,
            "auth-password": "a-long-test-password",
        },
    )
    device = user.totpdevice_set.get()
    code = f"{totp(device.bin_key):06d}"
    response = client.post(login, {"login_view-current_step": "token", "token-otp_token": code})
    assert response.status_code == 302
    assert client.get(reverse("notifications:inbox")).status_code == 200


def test_pages_with_personal_data_are_not_cached(client, world):
    response = signed_in(client, world.key_adult_a).get(reverse("notifications:inbox"))
    assert "no-store" in response["Cache-Control"]
