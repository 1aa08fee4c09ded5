"""Browser tests (tests/e2e): a real server process (uvicorn) on a temporary SQLite file.

Like config.settings.test, but the database, outbox and media are shared with the test
process through the environment: DATABASE_URL (a temp SQLite file), E2E_EMAIL_DIR (the
file email backend writes one file per message there) and E2E_MEDIA_ROOT."""

import tempfile
import warnings
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = env("SECRET_KEY", default="e2e-only-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("E2E_EMAIL_DIR", default=str(Path(tempfile.gettempdir()) / "compact-e2e-email"))

MEDIA_ROOT = Path(env("E2E_MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "compact-e2e-media")))
SERVE_MEDIA = True  # config/urls.py serves MEDIA_URL from MEDIA_ROOT (uploaded logos)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves static files straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# WhiteNoise's file responses are synchronous iterators; under uvicorn Django warns on every one.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks run in-process as soon as they are enqueued (after the transaction commits).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Tasks run inside the request here, so embedding each idea would make the first one wait for the
# language model to load. Theme suggestions embed ideas that have no vector yet.
WORKSHOPS_EMBED_IDEAS = False
