"""Email notifications. Apps register the kinds they send (label and description for the
settings page); every email goes through `notify`, which leaves out people who turned that
kind off and inactive accounts. Emails are sent after the transaction that caused them commits,
in the background (core.mail), so a mail server failure never undoes or hides the change."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from compact.core.mail import send_after_commit, subject_line
from compact.core.tasks import is_quiet

from .models import NotificationPreference


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str


KINDS: dict[str, Kind] = {}


def register_kind(key: str, label: str, description: str) -> Kind:
    if key in KINDS:
        raise ValueError(f"Notification kind {key!r} is registered twice")
    KINDS[key] = kind = Kind(key, label, description)
    return kind


def preferences_for(user) -> dict[str, bool]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {key: chosen.get(key, True) for key in KINDS}


def set_preferences(*, user, enabled: set[str]) -> None:
    for key in KINDS:
        NotificationPreference.objects.update_or_create(user=user, kind=key, defaults={"enabled": key in enabled})


def recipients(kind: str, users) -> list:
    """The active people among `users` with an email address who have not turned `kind` off."""
    users = [u for u in users if u.is_active and u.email]
    off = set(
        NotificationPreference.objects.filter(kind=kind, enabled=False, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    return [u for u in users if u.pk not in off]


def notify(kind: str, users, *, subject: str, template: str, context: dict) -> None:
    """Send one email per person (never a shared To: line), once the current transaction commits."""
    if kind not in KINDS:
        raise KeyError(f"Unknown notification kind {kind!r}")
    if is_quiet():
        return
    subject = subject_line(subject)  # user text: no header injection, no overlong subject
    send_after_commit(
        EmailMessage(
            subject=subject,
            to=[user.email],
            from_email=settings.DEFAULT_FROM_EMAIL,
            body=render_to_string(template, context | {"recipient": user, "kind": KINDS[kind]}),
        )  # fmt: skip
        for user in recipients(kind, list(users))
    )
