from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_pragmas(sender, connection, **kwargs):
    # WAL lets readers and one writer work at once; foreign keys are on by default in Django.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")


class CoreConfig(AppConfig):
    name = "compact.core"
    label = "core"

    def ready(self):
        connection_created.connect(_sqlite_pragmas, dispatch_uid="compact.sqlite_pragmas")
