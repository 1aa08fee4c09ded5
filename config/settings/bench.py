"""Benchmark settings (`make bench`): production-like (DEBUG off, cached templates) but
self-contained. SQLite in bench/.data/ unless DATABASE_URL names another database; the
bench runner recreates the database on every run."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, database, env

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
SECRET_KEY = env("SECRET_KEY", default="bench-only-key")

BENCH_DATA_DIR = BASE_DIR / "bench" / ".data"
BENCH_SQLITE_PATH = BENCH_DATA_DIR / "bench.sqlite3"
DATABASES = {"default": database(BENCH_SQLITE_PATH)}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
MEDIA_ROOT = BENCH_DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
