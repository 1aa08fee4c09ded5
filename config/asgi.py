"""ASGI entry point (uvicorn): `config.asgi:application`.

The live wall's streams under /live/ (Server-Sent Events and WebSockets) go to Channels
consumers; every other request goes to Django as before."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_application = get_asgi_application()  # sets Django up before the consumers are imported

from compact.theming import verify_model_files  # noqa: E402

# A tampered language model stops the server here, at start-up, rather than at the first idea.
verify_model_files()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from compact.workshops.live.routing import http_urlpatterns, websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": URLRouter([*http_urlpatterns, re_path(r"", django_application)]),
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)

from compact.core.startup import settle  # noqa: E402

settle()  # long-lived objects out of the garbage collector's way (compact/core/startup.py)
