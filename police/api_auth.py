"""Who may call the REST API: per-force API clients sending `Authorization: Bearer <token>`.
Only a hash of each token is stored; a revoked client is refused at once. Each client is
rate-limited (settings.API_RATE_LIMIT, e.g. "120/min")."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from encompass.client_address import client_ip
from incidents.models import ApiClient
from incidents.services import api_token_hash

LAST_USED_EVERY = timedelta(minutes=1)


class ApiClientAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>")
        client = (
            ApiClient.objects.select_related("force")
            .filter(token_hash=api_token_hash(header[1]), revoked_at__isnull=True)
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed("This token is not valid, or has been revoked")
        _note_use(client)
        return client, client

    def authenticate_header(self, request):
        return self.keyword


def _note_use(client: ApiClient) -> None:
    now = timezone.now()
    if client.last_used_at is None or client.last_used_at < now - LAST_USED_EVERY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)


class ApiClientThrottle(throttling.SimpleRateThrottle):
    scope = "api_client"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def allow_request(self, request, view):
        # The rate is read on every request so that it can be changed without a restart in tests.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        # DRF's own would believe any caller's X-Forwarded-For.
        return client_ip(request) or "unknown"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiClient):
            return f"throttle_api_client_{request.auth.pk}"
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiClientAuthentication
    name = "apiClientToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A per-force token printed once by `manage.py create_api_client`.",
        }
