"""The guest's key: a random value in a signed, HttpOnly cookie named for one workshop (so a
key for one workshop opens no other). Only its SHA-256 is stored (Participant.key_hash)."""

from __future__ import annotations

from django.core import signing
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
    """The same cookie, read from an ASGI scope (Server-Sent Events and WebSockets)."""
    name = cookie_name(workshop_id)
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            cookies = parse_cookie(value.decode("latin-1"))
            if name in cookies:
                try:
                    signer = signing.get_cookie_signer(salt=name + SALT)
                    return signer.unsign(cookies[name], max_age=MAX_AGE)
                except signing.BadSignature:
                    return None
    return None
