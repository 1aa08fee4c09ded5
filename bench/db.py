"""A fresh database for every run: delete the SQLite file (or flush another database), migrate."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections


def fresh_database() -> str:
    db = settings.DATABASES["default"]
    connections.close_all()
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = Path(db["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        where = str(path)
    else:
        if connection.vendor == "postgresql":
            _create_postgres_database(db)
        # A server database: bring the schema up to date, then empty every table.
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        where = f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"
    return where


def _create_postgres_database(db: dict) -> None:
    """Create the bench database on a new machine, through the server's maintenance database."""
    import psycopg
    from psycopg import sql

    params = {"host": db.get("HOST") or None, "port": db.get("PORT") or None, "user": db.get("USER") or None,
              "password": db.get("PASSWORD") or None, "dbname": "postgres", "autocommit": True}  # fmt: skip
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def analyse() -> None:
    """After bulk loading, give PostgreSQL the statistics autovacuum would have gathered.
    SQLite is left as `make run` leaves it (no ANALYZE), so plans match a real install."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
