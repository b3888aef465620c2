"""Re-authentication: sensitive actions (administration, exports) ask for a fresh code from
the authenticator app, valid for REAUTH_MINUTES after it was entered."""

import functools
import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "reauthenticated_at"


def reauth_is_fresh(request) -> bool:
    confirmed_at = request.session.get(SESSION_KEY, 0)
    return time.time() - confirmed_at < settings.REAUTH_MINUTES * 60


def code_verify(user, code: str) -> bool:
    """Is `code` a current code of one of the user's devices? django-otp refuses a TOTP code
    already used (the one used to sign in, say) and slows repeated failures."""
    code = code.replace(" ", "")
    return any(device.verify_token(code) for device in devices_for_user(user, confirmed=True))


def code_already_used(user, code: str) -> bool:
    """Is `code` right but refused because it was used already (a second sign-in within the
    same 30 seconds)? Then the person needs to wait for the next code, not to retype it."""
    code = code.replace(" ", "")
    if not code.isascii() or not code.isdigit():
        return False
    for device in TOTPDevice.objects.devices_for_user(user, confirmed=True):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if totp.verify(int(code), device.tolerance) and totp.t() <= device.last_t:
            return True
    return False


def reauth_mark_fresh(request) -> None:
    """Signing in with a code is as recent a confirmation as entering one here."""
    request.session[SESSION_KEY] = time.time()


def reauth_confirm(request, code: str) -> bool:
    if not code_verify(request.user, code):
        return False
    reauth_mark_fresh(request)
    return True


def reauth_redirect(request):
    return redirect(f"{reverse('reauth')}?{urlencode({'next': request.get_full_path()})}")


def safe_next(request, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def reauth_required(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not reauth_is_fresh(request):
            return reauth_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


class AdminReauthMiddleware:
    """The Django admin (reference data and accounts) needs a fresh second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/admin/")
            and request.user.is_authenticated
            and not reauth_is_fresh(request)
        ):
            return reauth_redirect(request)
        return self.get_response(request)
