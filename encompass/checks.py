from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def check_govuk_frontend_installed(app_configs, **kwargs):
    if (settings.GOVUK_FRONTEND_DIR / "govuk-frontend.min.css").exists():
        return []
    return [
        Warning(
            "GOV.UK Frontend is not installed, so pages have no styles.",
            hint="Run `npm ci` (or `make install`).",
            id="encompass.W001",
        )
    ]
