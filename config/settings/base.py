"""Settings shared by every environment. Values that differ per deployment come from
environment variables (see README "Configuration")."""

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# Secrets are read as they are: django-environ would treat a value starting with "$" as the
# name of another variable, and generated keys and passwords often start with "$".
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "crispy_forms",
    "crispy_forms_gds",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    # Ground floor first: imports only go down this list.
    "compact.core",
    "compact.activity",
    "compact.geography",
    "compact.organisations",
    "compact.accounts",
    "compact.partnerships",
    "compact.processes",
    "compact.decisions",
    "compact.workshops",
    "compact.casestudies",
    "compact.drafting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "compact" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "compact.core.context_processors.site",
            ],
        },
    }
]


def database(sqlite_path) -> dict:
    """SQLite at `sqlite_path` (WAL: set on each connection in compact.core.apps) unless
    DATABASE_URL names another database."""
    db = env.db("DATABASE_URL", default=f"sqlite:///{sqlite_path}")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE avoids "database is locked" upgrades from read to write locks.
        db.setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
    elif db["ENGINE"] == "django.db.backends.postgresql":
        # Under ASGI a request's thread changes, so without a pool Django connects afresh for
        # every request and stream check (a tenth of a server's CPU in the live bench).
        pool = {"min_size": 2, "max_size": env.int("DATABASE_POOL_SIZE", default=20), "timeout": 20}
        db.setdefault("OPTIONS", {})["pool"] = pool
        db["CONN_MAX_AGE"] = 0  # the pool keeps connections; Django refuses both
    return db


DATABASES = {"default": database(BASE_DIR / "compact.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The live wall's channel layer: in memory (one process) unless REDIS_URL is set. redis-py's
# pool allows 100 connections by default; when many clients leave at once their group_discard
# calls queue behind it and time out, leaving dead subscribers that every event is sent to.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env.int("REDIS_MAX_CONNECTIONS", default=1000),
                        # redis-py 8 times reads out after 5 s, exactly how long channels-redis
                        # waits on an idle stream: every quiet live stream would die. Wait longer.
                        "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=30),
                    }
                ],
                # Messages waiting per channel before new ones are dropped. All the streams of one
                # process share one channel key, so this is per process; a dropped event is
                # fetched from the database when the next one shows the gap.
                "capacity": 5000,
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 500}}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login; codes by email; optional TOTP.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Compact] "
ACCOUNT_SIGNUP_FORM_CLASS = "compact.accounts.forms.SignupExtraForm"
# Sign-in is rate limited per IP and per account (allauth counts in the cache).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_SIGNUP_OPEN = env.bool("SIGNUP_OPEN", default=True)
ACCOUNT_ADAPTER = "compact.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Compact"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Compact <no-reply@localhost>")
# Where Compact is reached, for links in emails sent outside a request (reminders).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "compact" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Background work: a database queue that `manage.py db_worker` runs (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
