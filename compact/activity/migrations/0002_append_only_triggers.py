"""Make the audit log append-only in the database itself, not just in the ORM.

PostgreSQL: a row trigger refuses UPDATE and DELETE. (TRUNCATE is a table-owner operation,
used by the test runner to reset tables; it is not reachable from the application.)
SQLite: the equivalent BEFORE UPDATE/DELETE triggers.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION activity_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_auditentry_no_update BEFORE UPDATE OR DELETE ON activity_auditentry
    FOR EACH ROW EXECUTE FUNCTION activity_auditentry_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS activity_auditentry_no_update ON activity_auditentry;
DROP FUNCTION IF EXISTS activity_auditentry_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER activity_auditentry_no_update BEFORE UPDATE ON activity_auditentry
       BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER activity_auditentry_no_delete BEFORE DELETE ON activity_auditentry
       BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: DELETE refused'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS activity_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS activity_auditentry_no_delete;",
]


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        # params=None: no placeholder parsing, so RAISE's '%' reaches PostgreSQL as written.
        schema_editor.execute(PG_UP, params=None)
    elif conn.vendor == "sqlite":
        for sql in SQLITE_UP:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        schema_editor.execute(PG_DOWN, params=None)
    elif conn.vendor == "sqlite":
        for sql in SQLITE_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
