"""The guest's key: a random value in a signed, HttpOnly cookie named for one workshop (so a
key for one workshop opens no other). Only its SHA-256 is stored (Participant.key_hash)."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.cookie import parse_cookie

SALT = "compact.workshops.guest"
MAX_AGE = 60 * 60 * 24 * 60  # 60 days: ideas online can stay open for weeks after the session


def cookie_name(workshop_id: int) -> str:
    return f"compact_wall_{workshop_id}"


def set_guest_cookie(response, workshop, raw_key: str, *, secure: bool = False) -> None:
    response.set_signed_cookie(
        cookie_name(workshop.pk), raw_key, salt=SALT, max_age=MAX_AGE, httponly=True, samesite="Lax", secure=secure
    )


def key_from_request(request, workshop_id: int) -> str | None:
    return request.get_signed_cookie(cookie_name(workshop_id), default=None, salt=SALT, max_age=MAX_AGE)


def key_from_scope(scope, workshop_id: int) -> str | None:
    """The same cookie, read from an ASGI scope (Server-Sent Events and WebSockets). Django reads
    it, so it is checked exactly as `set_guest_cookie` signed it."""
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            request = HttpRequest()
            request.COOKIES = parse_cookie(value.decode("latin-1"))
            return key_from_request(request, workshop_id)
    return None
