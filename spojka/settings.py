"""Settings of Spojka, all read from the environment (see README, "Configuration").

SQLite under var/ is the default database, so a clone runs without any server;
`DATABASE_URL` switches to PostgreSQL. `SPOJKA_ENV=production` turns on the
secure defaults that `manage.py check --deploy` expects.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from spojka.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

SPOJKA_ENV = env_choice("SPOJKA_ENV", "development", ("development", "production"))
PRODUCTION = SPOJKA_ENV == "production"

DEBUG = env_bool("SPOJKA_DEBUG", default=not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "spojka.checks.SpojkaConfig",
    "territory",
    "catalog",
    "directory",
    "accounts",
    "referrals",
    "events",
    "community",
    "monitoring",
    "mpsv",
    "api",
    "portal",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "spojka.middleware.CzechFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "spojka.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "spojka.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page
    # (which then passes the CSP middleware above on its way out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spojka.urls"
WSGI_APPLICATION = "spojka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "referrals.context_processors.inbox",
            ],
        },
    },
]

# var/ holds the SQLite database and other local state; a fresh clone does not have it yet.
(BASE_DIR / "var").mkdir(exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'spojka.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if not PRODUCTION else 60, minimum=0),
        conn_health_checks=True,  # a persistent connection is checked before reuse (DB restart)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; IMMEDIATE avoids "database is locked"
    # on read-then-write transactions.
    # Each connection keeps the pages it read (SQLITE_CACHE_MB, 256 by default; SQLite's own
    # default is 2 MB): the indexes a search walks then stay in the process even when the
    # operating system drops its file cache, which made the same searches twice as slow.
    cache_kib = env_int("SQLITE_CACHE_MB", 256, minimum=2) * 1024
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA cache_size=-{cache_kib}; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 hashes new passwords; the others only read older hashes (upgraded at next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "portal:index"

# Login throttling (django-axes): after SPOJKA_LOGIN_FAILURE_LIMIT wrong passwords for one
# user name from one IP address, that pair is locked for SPOJKA_LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("SPOJKA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SPOJKA_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.otp_views.lockout_response"  # a Czech page, HTTP 429
# Successful sign-ins are not stored (IP addresses, browsers): the audit log covers access
# to personal data.
AXES_DISABLE_ACCESS_LOG = True
# Behind N reverse proxies the client's address is the N-th from the right in
# X-Forwarded-For; without proxies REMOTE_ADDR is the client.
SPOJKA_PROXY_COUNT = env_int("SPOJKA_PROXY_COUNT", 0, minimum=0)
if SPOJKA_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = SPOJKA_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Two-factor login (TOTP) for everyone who sees personal data; see
# spojka.middleware.RequireTwoFactorMiddleware. 0 is for the demo and the tests only.
SPOJKA_REQUIRE_2FA = env_bool("SPOJKA_REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = "Spojka"
# The admin does not show other users' TOTP secrets and QR codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Czech first, English second.
LANGUAGE_CODE = "cs"
LANGUAGES = [("cs", _("čeština")), ("en", _("angličtina"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Prague"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end libraries come from npm (package.json) at install time, never copied into the repo.
for _prefix, _path in (
    ("vendor/leaflet", BASE_DIR / "node_modules" / "leaflet" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
):
    if _path.is_dir():
        STATICFILES_DIRS.append((_prefix, _path))
# In development WhiteNoise serves files as they change and needs no collectstatic.
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Map tiles: any XYZ server; the list of results stands complete without the map.
SPOJKA_TILE_URL = env_str("SPOJKA_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
SPOJKA_TILE_ATTRIBUTION = env_str("SPOJKA_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# Capacity older than this is shown as "not verified" instead of as a number.
SPOJKA_CAPACITY_STALE_DAYS = env_int("SPOJKA_CAPACITY_STALE_DAYS", 30, minimum=1)
SPOJKA_PAGE_SIZE = env_int("SPOJKA_PAGE_SIZE", 20, minimum=1)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "spojka@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# Demo data of apps above the directory, called by `manage.py load_demo` in this order; each
# takes `stdout=` and returns a dict that may list "logins" as (username, password, who).
SPOJKA_DEMO_LOADERS: list[str] = [
    "referrals.demo.load_demo_referrals",
    "events.demo.load_demo_events",
    "community.demo.load_demo_community",
    "monitoring.demo.load_demo_monitoring",
]

# Public address of the site, for links in e-mails.
SPOJKA_BASE_URL = env_str("SPOJKA_BASE_URL", "http://127.0.0.1:8000")

# Retention of personal data (`manage.py apply_retention`, run daily): persons without
# activity and help requests that never led to a recorded person are anonymised after these.
SPOJKA_RETENTION_PERSON_DAYS = env_int("SPOJKA_RETENTION_PERSON_DAYS", 3 * 365, minimum=1)
SPOJKA_RETENTION_REQUEST_DAYS = env_int("SPOJKA_RETENTION_REQUEST_DAYS", 365, minimum=1)

# An idle session ends after SESSION_COOKIE_AGE: every request pushes the expiry on, so
# a worker who leaves a screen with personal data open is signed out after half an hour.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60, minimum=300)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Nothing personal in logs or error pages: see spojka/logging.py.
DEFAULT_EXCEPTION_REPORTER_FILTER = "spojka.logging.NoPersonalDataExceptionReporterFilter"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "spojka.logging.NoPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's default also mails errors with the whole request (POST body included)
        # to ADMINS; here errors go to the console log only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # The filter on the loggers themselves, so that every handler gets clean records.
        "django.request": {"filters": ["no_personal_data"]},
        "django.security.csrf": {"filters": ["no_personal_data"]},
        # Request logs carry query strings, which may hold what a resident typed; only
        # errors are logged, and without the query.
        "django.server": {"level": "WARNING", "filters": ["no_personal_data"], "propagate": True},
    },
}
