"""Settings for NALIRIFOX Screen: one module, configured from the environment.

Environment variables:
    DEBUG           "1" for development (`make run`, the tests); anything else, or missing, is
                    production: DEBUG fails closed.
    SECRET_KEY      required when DEBUG is off.
    DATABASE_URL    default: SQLite file db.sqlite3 at the repo root.
    ALLOWED_HOSTS   comma-separated; default "127.0.0.1,localhost" (plus testserver).
    SESSION_IDLE_MINUTES  idle session timeout, default 30.

Production only (DEBUG=0; see docs/production.md):
    SECURE_SSL_REDIRECT      "1" (default): redirect http to https. "0" when a proxy in
                             front does the redirect (the check security.W008 is then silenced).
    SECURE_PROXY_SSL_HEADER  "1": trust X-Forwarded-Proto: https from the TLS-terminating proxy.
                             Only when the app is reachable through that proxy alone.
    SECURE_HSTS_SECONDS      default 31536000 (one year); SECURE_HSTS_PRELOAD "1" to add preload.
    CSRF_TRUSTED_ORIGINS     comma-separated, e.g. "https://screen.hospital.example".
    AXES_FAILURE_LIMIT       failed logins before lockout (default 5);
    AXES_COOLOFF_MINUTES     lockout duration (default 15).
    AXES_PROXY_COUNT         number of reverse proxies in front that add X-Forwarded-For
                             (default: none; the client address is REMOTE_ADDR).
    AXES_TRUSTED_PROXIES     addresses/networks of the proxy the application sees (default the
                             loopback); X-Forwarded-For from any other peer is ignored.
    CONN_MAX_AGE             seconds to reuse a database connection (default 60; 0 in development).
    LOG_LEVEL                root log level (default WARNING; logins and lockouts log at INFO/WARNING).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG", False)  # fails closed: a forgotten variable never exposes debug pages
PRODUCTION = not DEBUG

INSECURE_DEV_KEY = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = INSECURE_DEV_KEY
elif not DEBUG and (SECRET_KEY == INSECURE_DEV_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured("SECRET_KEY must be a real secret of at least 40 characters.")

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "screening.admin_site.ScreeningAdminConfig",  # django.contrib.admin; the site needs staff + admin role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "pgtrigger",
    "screening",
]

MIDDLEWARE = [
    "screening.middleware.HealthCheckMiddleware",  # /healthz: before host checks and the https redirect
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "screening.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "screening.language.LanguageMiddleware",  # the user's saved language, else the browser's (LocaleMiddleware)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "screening.request_guards.RequestGuardMiddleware",  # control characters, oversized bodies: before parsing
    "screening.request_guards.NoStoreMiddleware",  # Cache-Control: no-store on every page and file
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "screening.session_timeout.HtmxSessionExpiredMiddleware",  # an expired session: 401 for htmx, not the login page
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the lockout page
]

ROOT_URLCONF = "nalirifox_screen.urls"

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
                "screening.context_processors.screening",
                "screening.context_queue.work_counts",
            ],
        },
    },
]

WSGI_APPLICATION = "nalirifox_screen.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Production reuses connections (a new PostgreSQL connection per request costs a process fork).
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,  # a persistent connection broken by a database restart is replaced
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before checking passwords
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"  # the work queue
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Languages (issue 14): Simplified Chinese by default, English one click away. The choice is the
# user's profile language (applied at login), else the language cookie, else the browser's
# Accept-Language. Dates stay ISO and the decimal point "." in both: nalirifox_screen/formats/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["nalirifox_screen.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# With localization off ({% localize off %}) Django uses these; localized, the format modules' (the same).
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Idle timeout: the cookie lives SESSION_IDLE_MINUTES and every request renews it.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Production transport security (plain http stays usable in development and tests).
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_flag("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_flag("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION and env_flag("SECURE_HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = [
    origin.strip() for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if origin.strip()
]
SILENCED_SYSTEM_CHECKS = []
if PRODUCTION and not SECURE_HSTS_PRELOAD:
    # Preloading is the domain owner's decision (an intranet host cannot be preloaded).
    SILENCED_SYSTEM_CHECKS.append("security.W021")
if PRODUCTION and not SECURE_SSL_REDIRECT:
    # SECURE_SSL_REDIRECT=0 is the documented setting for a proxy that terminates TLS and redirects.
    SILENCED_SYSTEM_CHECKS.append("security.W008")

# Content-Security-Policy (django-csp 4): everything from this origin, no inline script, no
# inline style (htmx's indicator style is switched off in base.html), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap's CSS draws icons as data: SVG
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is locked out for AXES_COOLOFF_MINUTES; every failure and lockout is logged.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS = []  # log who and from where (passwords are always masked)
# Behind a reverse proxy: the client address from X-Forwarded-For (django-ipware), only when the
# request comes from a trusted proxy (screening.client_ip).
CLIENT_IP_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT") or 0)
CLIENT_IP_TRUSTED_PROXIES = os.environ.get("AXES_TRUSTED_PROXIES", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "screening.client_ip.client_ip"

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields (not files) of one request
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger file parts go to a temporary file
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# Whole request bodies, refused from their Content-Length before parsing (screening.request_guards);
# nginx in front refuses above 10 MB too (deploy/nginx.conf).
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES") or 10 * 1024 * 1024)
ANONYMOUS_BODY_MAX_BYTES = 16 * 1024  # before login: the login form

# Segregation of duties: an investigator cannot sign an evaluation of data they saved themselves.
SIGNER_MUST_NOT_BE_EVALUATOR = env_flag("SIGNER_MUST_NOT_BE_EVALUATOR", True)

# PostgreSQL triggers make evaluations, signatures, audit events and history append-only
# (screening/append_only.py); installed after every migrate.
PGTRIGGER_INSTALL_ON_MIGRATE = True
PGTRIGGER_MIGRATIONS = False  # not in migration files: installed (and pruned) after every migrate

# django-simple-history: no "revert" in the admin (screening.admin.HistoryAdmin also refuses the POST).
SIMPLE_HISTORY_REVERT_DISABLED = True

# Lab import (issue 15): uploaded source files are kept here, outside the web root (never served as static).
LAB_IMPORT_DIR = Path(os.environ.get("LAB_IMPORT_DIR") or BASE_DIR / "var" / "lab-imports")
LAB_IMPORT_MAX_BYTES = int(os.environ.get("LAB_IMPORT_MAX_MB", "10")) * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "INFO", "propagate": False},  # failures, lockouts
        "axes.apps": {"handlers": ["console"], "level": "WARNING", "propagate": False},  # no start banner
        "screening.middleware": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
