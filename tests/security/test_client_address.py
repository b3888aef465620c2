"""Behind a proxy, the client is the address the trusted proxy saw: the record of access, the
sign-in lock-out and the API's rate limit all use the same one; anybody else's
X-Forwarded-For is ignored."""

from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from encompass.client_address import client_ip
from encompass.models import Event
from police.api_auth import ApiClientThrottle
from tests.conftest import signed_in
from tests.security.test_sign_in_protection import attempt, current_code, offers_second_step

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings):
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/24"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def request_from(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_client_is_the_address_the_trusted_proxy_saw():
    assert client_ip(request_from(PROXY, "203.0.113.7")) == "203.0.113.7"


def test_an_address_written_in_front_by_the_client_is_not_believed():
    assert client_ip(request_from(PROXY, "192.0.2.1, 203.0.113.7")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client():
    assert client_ip(request_from(PROXY, "203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_forwarded_addresses_from_anybody_else_are_ignored():
    assert client_ip(request_from("198.51.100.4", "203.0.113.7")) == "198.51.100.4"


def test_a_garbled_forwarded_header_gives_the_proxy_not_the_garbage():
    assert client_ip(request_from(PROXY, "<script>, not-an-address")) == PROXY


def test_with_no_proxies_configured_the_header_is_never_believed(settings):
    settings.FORWARDED_ALLOW_IPS = []
    assert client_ip(request_from(PROXY, "203.0.113.7")) == PROXY


def test_the_record_of_access_keeps_the_clients_address_not_the_proxys(client, world):
    signed_in(client, world.admin)
    client.post(
        reverse("reauth"),
        {"code": current_code(world.admin)},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert Event.objects.get(verb="user.reauthenticated").ip_address == "203.0.113.7"


def proxied_attempt(client, email, password, address):
    return client.post(
        reverse("two_factor:login"),
        {"login_view-current_step": "auth", "auth-username": email, "auth-password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_behind_the_proxy_one_noisy_address_does_not_lock_everybody_out(client, world):
    for n in range(5):
        proxied_attempt(client, f"nobody{n}@example.org", "wrong-password", "198.51.100.66")
    assert proxied_attempt(client, world.key_adult_b.email, "x", "198.51.100.66").status_code == 429
    other = proxied_attempt(client, world.key_adult_b.email, "a-long-test-password", "203.0.113.7")
    assert other.status_code == 200
    assert offers_second_step(other)


def test_a_forged_header_does_not_escape_the_lock_out_of_an_address(client, world):
    for n in range(5):
        attempt(client, f"nobody{n}@example.org", "wrong-password", address="198.51.100.66")
    forged = client.post(
        reverse("two_factor:login"),
        {
            "login_view-current_step": "auth",
            "auth-username": world.key_adult_b.email,
            "auth-password": "a-long-test-password",
        },
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert forged.status_code == 429


def test_the_api_rate_limit_counts_callers_by_the_same_address():
    throttle = ApiClientThrottle()
    assert throttle.get_ident(request_from(PROXY, "192.0.2.1, 203.0.113.7")) == "203.0.113.7"
    assert throttle.get_ident(request_from("198.51.100.4", "203.0.113.7")) == "198.51.100.4"


def test_gunicorn_in_the_deployment_trusts_the_same_proxies_as_django():
    root = Path(__file__).resolve().parents[2]
    for name in ("docker-compose.yml", "Dockerfile"):
        text = (root / name).read_text()
        assert "forwarded-allow-ips" not in text, f"{name} must leave it to FORWARDED_ALLOW_IPS"
    assert "\nFORWARDED_ALLOW_IPS=" in (root / ".env.example").read_text()
