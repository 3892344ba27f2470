"""Settings, read from the environment.

Development defaults are safe on a laptop. ``PALERMO_ENV=production`` refuses to start
unless a secret key, allowed hosts and a non-SQLite database are given.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("PALERMO_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("PALERMO_VAR", PROJECT_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SystemExit(f"Palermo: {name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"Palermo: {name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env_str(name).split(",") if item.strip()]


PALERMO_ENV = env_str("PALERMO_ENV", "development")
if PALERMO_ENV not in {"development", "production"}:
    raise SystemExit(
        f"Palermo: PALERMO_ENV must be development or production, not {PALERMO_ENV!r}."
    )
PRODUCTION = PALERMO_ENV == "production"

SECRET_KEY = env_str("PALERMO_SECRET_KEY") or env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("PALERMO_ALLOWED_HOSTS") or env_list("ALLOWED_HOSTS")
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")

if PRODUCTION:
    missing = []
    if len(SECRET_KEY) < 50:
        missing.append("PALERMO_SECRET_KEY (at least 50 characters)")
    if not ALLOWED_HOSTS:
        missing.append("PALERMO_ALLOWED_HOSTS")
    if not DATABASE_URL or DATABASE_URL.startswith("sqlite"):
        missing.append("DATABASE_URL (PostgreSQL, not SQLite)")
    if missing:
        # One line, no traceback: the operator sees at once what to set.
        raise SystemExit("Palermo: PALERMO_ENV=production needs " + ", ".join(missing) + ".")
    DEBUG = False
else:
    # Development only: a fixed key so that sessions survive restarts on a laptop.
    SECRET_KEY = SECRET_KEY or "palermo-development-key-not-for-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
    DEBUG = env_bool("PALERMO_DEBUG", True)

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",  # serves the API docs' scripts from our own origin, not a CDN
    "palermo.core",
    "palermo.reference",
    "palermo.accounts",
    "palermo.directory",
    "palermo.directory.exchange",
    "palermo.api",
    "django_tasks",
    "django_tasks_db",
    "palermo.editions",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "palermo.freshness",
    "palermo.writer",
    "palermo.reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages shrink about tenfold; Django's GZip pads responses against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "palermo.accounts.middleware.SessionActivityMiddleware",
    "palermo.accounts.middleware.AdminSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "palermo.urls"
WSGI_APPLICATION = "palermo.wsgi.application"

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
                "palermo.core.context_processors.site",
            ],
        },
    },
]

if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "palermo.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# allauth's backend: sign-in by e-mail address, rate-limited (it also answers permission checks).
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Six languages, Arabic right to left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LANGUAGES_BIDI = ["ar"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if PRODUCTION else 0

# Uploaded and generated files (printed editions). Never served as static files: editions are
# served by their own view, which checks who may read them.
MEDIA_ROOT = Path(os.environ.get("PALERMO_MEDIA", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# `palermo prune_editions` (daily) deletes printed editions, and their files, finished more
# than this many days ago.
PALERMO_EDITION_KEEP_DAYS = env_int("PALERMO_EDITION_KEEP_DAYS", 30)
if PALERMO_EDITION_KEEP_DAYS < 1:
    raise SystemExit("Palermo: PALERMO_EDITION_KEEP_DAYS must be at least 1.")

# Background work (Django's tasks API, django-tasks until Django 6): the database backend by
# default, run by `palermo db_worker`; PALERMO_TASKS_BACKEND names another backend.
TASKS = {
    "default": {
        "BACKEND": env_str("PALERMO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    },
}

# Whole pages for anonymous visitors (palermo.core.pagecache; docs/decisions.md).
PALERMO_PAGE_CACHE = env_bool("PALERMO_PAGE_CACHE", True)

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_AGE = env_int("PALERMO_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LANGUAGE_COOKIE_NAME = "palermo_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Mail: SMTP when PALERMO_SMTP_HOST is set (always in production), the console otherwise.
# The PALERMO_SMTP_* names win; Django's EMAIL_* names are read too.
EMAIL_HOST = env_str("PALERMO_SMTP_HOST") or env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION or EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("PALERMO_SMTP_PORT", env_int("EMAIL_PORT", 25))
EMAIL_HOST_USER = env_str("PALERMO_SMTP_USER") or env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("PALERMO_SMTP_PASSWORD") or env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("PALERMO_SMTP_TLS", env_bool("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = env_bool("PALERMO_SMTP_SSL", env_bool("EMAIL_USE_SSL", False))
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise SystemExit("Palermo: PALERMO_SMTP_TLS and PALERMO_SMTP_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("PALERMO_SMTP_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "palermo@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content Security Policy: everything from our own origin, nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("PALERMO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("PALERMO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PALERMO_LOG_LEVEL", "INFO")},
}

# Whether a fictional demonstration data set may be created in this installation.
PALERMO_DEMO_ALLOWED = env_bool("PALERMO_DEMO", not PRODUCTION)

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"

# Accounts (django-allauth): sign-in by e-mail address, no public sign-up (accounts come from
# invitations and `palermo create_user`), verified addresses, throttled sign-in attempts.
ACCOUNT_ADAPTER = "palermo.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Palermo] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Failed sign-ins: 5 per address in 15 minutes, 20 per minute from one IP address.
PALERMO_LOGIN_ATTEMPTS = env_int("PALERMO_LOGIN_ATTEMPTS", 5)
ACCOUNT_RATE_LIMITS = {"login_failed": f"20/m/ip,{PALERMO_LOGIN_ATTEMPTS}/15m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Palermo"
# Accept the code before and after the current one: phones' clocks drift by a few seconds.
MFA_TOTP_TOLERANCE = 1
# An invitation link works this many days.
PALERMO_INVITATION_DAYS = env_int("PALERMO_INVITATION_DAYS", 14)
# Directory import (docs/directory-exchange.md): the largest file the import page takes, in
# bytes (with at most one record per 200 bytes); `palermo import_directory` takes up to 500 MB
# unless told otherwise (--max-bytes).
PALERMO_IMPORT_MAX_BYTES = env_int("PALERMO_IMPORT_MAX_BYTES", 20_000_000)
# A signed-in session is refreshed at most this often; it expires after SESSION_COOKIE_AGE
# (PALERMO_SESSION_SECONDS) without activity.
PALERMO_SESSION_REFRESH_SECONDS = 300

# Freshness (palermo.freshness, decision 3/2 g(vi)): a State whose directory entries were neither
# updated nor confirmed for PALERMO_STALE_AFTER_DAYS gets a reminder to its focal points every
# PALERMO_REMINDER_EVERY_DAYS; after PALERMO_REMINDERS_BEFORE_ESCALATION reminders the
# secretariat is told. Links in those mails start with PALERMO_SITE_URL.
PALERMO_STALE_AFTER_DAYS = env_int("PALERMO_STALE_AFTER_DAYS", 183)
PALERMO_REMINDER_EVERY_DAYS = env_int("PALERMO_REMINDER_EVERY_DAYS", 30)
PALERMO_REMINDERS_BEFORE_ESCALATION = env_int("PALERMO_REMINDERS_BEFORE_ESCALATION", 3)
if min(PALERMO_STALE_AFTER_DAYS, PALERMO_REMINDER_EVERY_DAYS,
       PALERMO_REMINDERS_BEFORE_ESCALATION) < 1:
    raise SystemExit("Palermo: PALERMO_STALE_AFTER_DAYS, PALERMO_REMINDER_EVERY_DAYS and "
                     "PALERMO_REMINDERS_BEFORE_ESCALATION must be at least 1.")
PALERMO_SITE_URL = env_str("PALERMO_SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000")
# Every link in a mail (invitations, reminders, reviews) starts with it, whoever caused the mail.
if not re.fullmatch(r"https?://[A-Za-z0-9\[][^/*\s]*(/\S*)?", PALERMO_SITE_URL):
    raise SystemExit(
        "Palermo: PALERMO_SITE_URL must be the address people reach Palermo at, such as "
        f"https://palermo.example.org, not {PALERMO_SITE_URL!r} (in production it defaults to "
        "https:// and the first of PALERMO_ALLOWED_HOSTS, which must then be a plain host name)."
    )
