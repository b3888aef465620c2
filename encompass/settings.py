"""Settings for Encompass, all read from the environment (see README "Configuration").

Development defaults need no other service: SQLite under var/ and kombu's filesystem
broker. Production sets DEBUG=false, SECRET_KEY, DATABASE_URL and CELERY_BROKER_URL.
"""

from datetime import time, timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


class Env(environ.Env):
    """django-environ, plus `NAME_FILE` support so secrets can come from mounted files."""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        path = self.ENVIRON.get(f"{var}_FILE")
        if path:
            return self.parse_value(Path(path).read_text().strip(), cast)
        return super().get_value(var, cast=cast, default=default, parse_default=parse_default)


env = Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-insecure-key-" + "x" * 40  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "encompass",
    "schools",
    "incidents",
    "notifications",
    "police",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "encompass.middleware.StaticAssetsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "encompass.middleware.RequireSecondFactorMiddleware",
    "encompass.middleware.AreaMiddleware",
    "encompass.reauth.AdminReauthMiddleware",
    "encompass.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "encompass.urls"
WSGI_APPLICATION = "encompass.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "encompass.context_processors.service",
                "encompass.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'encompass.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Covering indexes (INCLUDE) are a PostgreSQL speed-up; SQLite simply ignores them.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    # Several processes (web, worker, beat) share the file in development.
    # BEGIN IMMEDIATE takes the write lock at the start, so a second writer waits for the
    # timeout instead of failing at once with "database is locked" when it upgrades its lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "encompass.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "two_factor:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "two_factor:login"
TWO_FACTOR_PATCH_ADMIN = False
REAUTH_MINUTES = env.int("REAUTH_MINUTES", default=15)
# Accounts nobody signed in to for this long are deactivated (beat, daily; README "Signing in").
ACCOUNT_INACTIVE_DAYS = env.int("ACCOUNT_INACTIVE_DAYS", default=180)
# A password reset link works this long (Django's setting, in seconds): three days.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_SECONDS", default=3 * 24 * 3600)
# The matcher's weights, measured on the census by import_pupils (estimate_match_weights).
MATCH_WEIGHTS_FILE = env.str("MATCH_WEIGHTS_FILE", default=str(VAR_DIR / "match_weights.json"))
OTP_TOTP_ISSUER = "Encompass"

# django-axes: lock an account, and separately an address, after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "encompass.sign_in.sign_in_username"
AXES_CLIENT_IP_CALLABLE = "encompass.client_address.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
HTMX_DIR = BASE_DIR / "node_modules" / "htmx.org" / "dist"
STATICFILES_DIRS = [BASE_DIR / "static", ("govuk", GOVUK_FRONTEND_DIR), ("htmx", HTMX_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Without collectstatic (development, tests) WhiteNoise serves straight from the finders.
WHITENOISE_USE_FINDERS = env.bool("STATIC_USE_FINDERS", default=DEBUG)
WHITENOISE_AUTOREFRESH = DEBUG
if not STATIC_ROOT.exists():
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Sessions: short-lived, server-side, never cached.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=20) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Transport security: on whenever DEBUG is off.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Proxies whose X-Forwarded-For is believed (addresses or networks); gunicorn reads the same
# variable with the same default, so both agree on who the client is (encompass/client_address.py).
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy: our own scripts, styles and images only; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# E-mail: EMAIL_URL such as smtp://host:25 or smtp+tls://user:pass@host:587. In development
# the default writes each message to a file under var/mail/ instead.
vars().update(env.email_url("EMAIL_URL", default="filemail://" if DEBUG else "smtp://localhost:25"))
if EMAIL_BACKEND.endswith("filebased.EmailBackend"):  # noqa: F821 (set by the line above)
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Encompass <no-reply@encompass.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: the broker defaults to kombu's filesystem transport so `make run` needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# The visibility timeout must outlast any task (a send takes seconds, retries wait at most a
# minute); the socket timeouts keep a publish from hanging on a Redis that stopped answering.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if CELERY_BROKER_URL.startswith(("redis", "rediss")):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
            "socket_connect_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=2.0),
        }
    )
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(_broker_dir / "queue"),
            "data_folder_out": str(_broker_dir / "queue"),
            "processed_folder": str(_broker_dir / "processed"),
            # Left unset, kombu writes its exchange table to ./control wherever the process runs.
            "control_folder": str(_broker_dir / "control"),
            "store_processed": False,
        }
    )
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Delivery and escalation policy (see README "Delivery and escalation").
DELIVERY_SWEEP_AFTER = timedelta(seconds=env.int("DELIVERY_SWEEP_AFTER_SECONDS", default=120))
SCHOOL_DAY_START = time.fromisoformat(env.str("SCHOOL_DAY_START", default="08:45"))
DELIVERY_SWEEP_EVERY = env.float("DELIVERY_SWEEP_EVERY_SECONDS", default=60.0)
DELIVERY_REMINDER_AT = time.fromisoformat(env.str("DELIVERY_REMINDER_AT", default="07:30"))
DELIVERY_PHONE_AFTER = timedelta(minutes=env.int("DELIVERY_PHONE_AFTER_MINUTES", default=60))
DELIVERY_MAX_TRIES = env.int("DELIVERY_MAX_TRIES", default=6)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=5.0)

# Which service sends alerts: "smtp" (EMAIL_URL, e-mail only) or "notify" (GOV.UK Notify,
# e-mail and text messages, with delivery receipts). See README "Alerts through GOV.UK Notify".
ALERT_BACKEND = env.str("ALERT_BACKEND", default="smtp")
if ALERT_BACKEND not in ("smtp", "notify"):
    raise ImproperlyConfigured(f'ALERT_BACKEND must be "smtp" or "notify", not {ALERT_BACKEND!r}')
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env.float("NOTIFY_TIMEOUT", default=10.0)
# The bearer token Notify sends with each delivery receipt; empty means no callback is set
# up, and beat polls Notify for the status of recent sends instead.
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
NOTIFY_POLL_EVERY = env.float("NOTIFY_POLL_EVERY_SECONDS", default=60.0)
if ALERT_BACKEND == "notify":
    _needed = {
        "NOTIFY_API_KEY": NOTIFY_API_KEY,
        "NOTIFY_EMAIL_TEMPLATE_ID": NOTIFY_EMAIL_TEMPLATE_ID,
        "NOTIFY_SMS_TEMPLATE_ID": NOTIFY_SMS_TEMPLATE_ID,
    }
    _missing = [name for name, value in _needed.items() if not value]
    if _missing:
        raise ImproperlyConfigured(f"ALERT_BACKEND=notify needs {', '.join(_missing)}")
# No incident older than this is accepted (README "Incidents", rules): a year typed wrongly.
INCIDENT_MAX_AGE_YEARS = env.int("INCIDENT_MAX_AGE_YEARS", default=10)

# Retention (README "Retention"): personal data is erased or flagged when due; the rows,
# their statuses and dates stay, so statistics keep their counts.
# A pupil notified within this many months who appears at another school in the census: the
# new school receives the history (notifications.transfers).
TRANSFER_MONTHS = env.int("TRANSFER_MONTHS", default=24)
# How far back the transfer scan looks for enrolments the census recorded (a missed run is
# caught up; each enrolment makes one transfer at most).
TRANSFER_SCAN_DAYS = env.int("TRANSFER_SCAN_DAYS", default=14)
RETAIN_INCIDENT_DETAILS_YEARS = env.int("RETAIN_INCIDENT_DETAILS_YEARS", default=6)
RETAIN_UNNOTIFIED_CHILD_YEARS = env.int("RETAIN_UNNOTIFIED_CHILD_YEARS", default=1)
SCHOOL_COPY_REVIEW_AGE = env.int("SCHOOL_COPY_REVIEW_AGE", default=25)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "police.api_errors.api_exception_handler",
}
# Per API client (see README "Incidents"); counted in the cache below.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/min")
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
SPECTACULAR_SETTINGS = {
    "TITLE": "Encompass API",
    "DESCRIPTION": "Police-to-school notifications for Operation Encompass.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"route_not_path": {"()": "encompass.log_filters.RouteNotPath"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # A path may hold a police reference: log the route instead (encompass/log_filters.py).
        "django.request": {"filters": ["route_not_path"]},
    },
}
