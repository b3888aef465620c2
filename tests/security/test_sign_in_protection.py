import pytest
from django.urls import reverse
from django_otp.oath import totp

from encompass.models import Event
from tests.conftest import signed_in


def current_code(user) -> str:
    device = user.totpdevice_set.get()
    return f"{totp(device.bin_key):06d}"


def attempt(client, email, password, address="127.0.0.1"):
    return client.post(
        reverse("two_factor:login"),
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
        REMOTE_ADDR=address,
    )


def offers_second_step(response) -> bool:
    return "token-otp_token" in response.content.decode()


def test_an_account_is_locked_after_five_wrong_passwords(client, world):
    email = world.key_adult_a.email
    for _ in range(5):
        attempt(client, email, "wrong-password")
    response = attempt(client, email, "a-long-test-password")
    assert response.status_code == 429
    assert "token-otp_token" not in response.content.decode()


def test_wrong_passwords_from_many_addresses_lock_the_account(client, world):
    email = world.key_adult_a.email
    for n in range(10):
        attempt(client, email, "wrong-password", address=f"198.51.100.{n % 5 + 1}")
    response = attempt(client, email, "a-long-test-password", address="203.0.113.9")
    assert response.status_code == 429
    assert not offers_second_step(response)


def test_the_account_lock_out_counts_the_e_mail_address_in_any_case(client, world):
    for n in range(5):
        attempt(client, world.key_adult_a.email.upper(), "wrong-password", address=f"198.51.100.{n + 1}")
    response = attempt(client, world.key_adult_a.email, "a-long-test-password", address="203.0.113.9")
    assert response.status_code == 429


def test_failures_against_one_account_do_not_lock_another(client, world):
    for n in range(5):
        attempt(client, world.key_adult_a.email, "wrong-password", address=f"198.51.100.{n + 1}")
    response = attempt(client, world.key_adult_b.email, "a-long-test-password", address="203.0.113.9")
    assert response.status_code == 200
    assert offers_second_step(response)


def test_during_a_lock_out_the_answer_does_not_tell_a_right_password_from_a_wrong_one(client, world):
    email = world.key_adult_a.email
    for n in range(5):
        attempt(client, email, "wrong-password", address=f"198.51.100.{n + 1}")
    right = attempt(client, email, "a-long-test-password", address="203.0.113.9")
    wrong = attempt(client, email, "another-wrong-password", address="203.0.113.10")
    assert right.status_code == wrong.status_code == 429
    assert right.content == wrong.content


def test_an_address_is_locked_after_five_failures_across_accounts(client, world):
    for n in range(5):
        attempt(client, f"nobody{n}@example.org", "wrong-password")
    response = attempt(client, world.key_adult_b.email, "a-long-test-password")
    assert response.status_code == 429


def test_admin_asks_for_a_fresh_code_before_any_change(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code
    signed_in(client, world.admin)
    response = client.get("/admin/encompass/user/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("reauth"))
    wrong = client.post(reverse("reauth"), {"code": "000000", "next": "/admin/encompass/user/"})
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.content.decode()
    right = client.post(
        reverse("reauth"), {"code": current_code(world.admin), "next": "/admin/encompass/user/"}
    )
    assert right.url == "/admin/encompass/user/"
    assert client.get("/admin/encompass/user/").status_code == 200
    assert Event.objects.filter(verb="user.reauthenticated", actor=world.admin).exists()


def test_reauthentication_never_redirects_off_site(client, world):
    signed_in(client, world.admin)
    response = client.post(
        reverse("reauth"), {"code": current_code(world.admin), "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_passwords_must_be_long_and_not_common(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak, world.key_adult_a)


def test_a_wrong_code_slows_down_the_next_try(client, world):
    signed_in(client, world.admin)
    client.post(reverse("reauth"), {"code": "000000"})
    response = client.post(reverse("reauth"), {"code": current_code(world.admin)})
    assert response.status_code == 400
