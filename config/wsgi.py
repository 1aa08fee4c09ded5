import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()

from compact.core.startup import settle  # noqa: E402

settle()  # long-lived objects out of the garbage collector's way (compact/core/startup.py)
