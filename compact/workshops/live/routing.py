"""Channels routes for the live wall (mounted by config/asgi.py, in front of Django). Only these
routes load the session through Channels' auth middleware; Django's own requests do not."""

from channels.auth import AuthMiddlewareStack
from django.urls import path

from .consumers import WallEventsConsumer, WallSocketConsumer

EVENTS_PATH = "live/workshops/<int:workshop_id>/events/"
SOCKET_PATH = "live/workshops/<int:workshop_id>/ws/"

http_urlpatterns = [path(EVENTS_PATH, AuthMiddlewareStack(WallEventsConsumer.as_asgi()))]
websocket_urlpatterns = [path(SOCKET_PATH, AuthMiddlewareStack(WallSocketConsumer.as_asgi()))]
