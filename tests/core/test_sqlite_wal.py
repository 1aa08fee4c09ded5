import os
import subprocess
import sys

from django.conf import settings

PROBE = "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"


def test_sqlite_runs_in_wal_mode_by_default(tmp_path):
    """A fresh SQLite database (the `make run` default) is opened in WAL mode, so readers do
    not block the writer."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"
