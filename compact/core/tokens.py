"""Secret tokens for emailed links and browser keys: the raw token goes to the person, only its
SHA-256 is stored, so a copy of the database cannot be used to follow anyone's link."""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(str(token).encode()).hexdigest()
