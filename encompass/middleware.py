from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

# Reachable without a verified second factor: signing in and its recovery pages, the API
# (it authenticates callers by token) and pages anybody may read.
OPEN_PREFIXES = (
    "/account/login/",
    "/account/password/",
    "/account/two_factor/setup/",
    "/account/two_factor/qrcode/",
    "/account/logout/",
    "/api/",
    "/static/",
    "/assets/",
    "/accessibility/",
    "/privacy/",
    "/agreement/",
    "/healthz",
)
SETUP_PREFIXES = ("/account/two_factor/setup/", "/account/two_factor/qrcode/", "/account/logout/")


class StaticAssetsMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, plus GOV.UK Frontend's fonts and images at /assets/, where its stylesheet
    looks for them."""

    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings=settings)
        assets = settings.GOVUK_FRONTEND_DIR / "assets"
        if assets.is_dir():
            self.add_files(str(assets), prefix="assets/")


class RequireSecondFactorMiddleware:
    """Every page needs a signed-in user with a verified second factor (the admin too).
    A signed-in user with no device yet is sent to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path.startswith(OPEN_PREFIXES) or request.user.is_verified():
            return self.get_response(request)
        if request.user.is_authenticated and not path.startswith(SETUP_PREFIXES):
            return redirect("two_factor:setup")
        if not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={path}")
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages may carry personal data: no browser or proxy keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/static/", "/assets/")):
            response.setdefault("Cache-Control", "no-store, private")
        return response


# Areas only some roles may enter; everybody else gets 404, as if they did not exist.
AREAS = {
    "/admin/": lambda user: user.is_staff,
    "/police/": lambda user: user.is_police,
}


class AreaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for prefix, may_enter in AREAS.items():
            if (
                request.path.startswith(prefix)
                and request.user.is_authenticated
                and not may_enter(request.user)
            ):
                raise Http404
        return self.get_response(request)
