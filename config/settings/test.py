"""Test settings: fast hashing, local email outbox, SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test gets a fresh rate-limit count (tests/conftest.py clears the cache). With REDIS_URL
# (CI's PostgreSQL run) the cache is the real Redis, one database per xdist worker so that one
# worker's clear() never wipes another's counters.
if REDIS_URL:
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{REDIS_URL.rsplit('/', 1)[0]}/{1 + int(_worker)}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECRET_KEY = os.environ.get("SECRET_KEY", "test-only-key")

# Tasks run in-process as soon as they are enqueued (after the transaction commits).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The live wall's channel layer stays in memory in tests, also with REDIS_URL: xdist workers
# share a Redis, and their workshops have the same ids.
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
