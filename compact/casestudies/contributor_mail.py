"""Emails to contributors invited by link: the invitation, a link back to the draft they started
(for another browser or device), and one when the editors ask for changes. Return links are
signed (not stored) and last 30 days."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from compact.core.mail import send_after_commit, site_url, subject_line

RETURN_SALT = "compact.casestudies.return"
RETURN_DAYS = 30


def _send(to: str, subject: str, template: str, context: dict) -> None:
    send_after_commit([
        EmailMessage(subject=subject_line(subject), from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
                     body=render_to_string(template, context))
    ])  # fmt: skip


def invitation(contributor, token: str) -> None:
    partnership = contributor.partnership
    _send(
        contributor.email, f"Share your story with {partnership.name}", "casestudies/email/contributor_invite.txt",
        {"contributor": contributor, "partnership": partnership, "days": (contributor.expires_at - contributor.created_at).days,
         "url": site_url(reverse("contribute_start", args=[token]))},
    )  # fmt: skip


def return_token(case_study) -> str:
    return signing.dumps({"c": case_study.contributor_id, "s": case_study.pk}, salt=RETURN_SALT)


def read_return_token(token: str) -> tuple[int, int] | None:
    """(contributor id, case study id), or None for a link that is forged, damaged or too old."""
    try:
        data = signing.loads(token, salt=RETURN_SALT, max_age=RETURN_DAYS * 24 * 3600)
        return int(data["c"]), int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def changes_requested(case_study, comment: str) -> None:
    """Tell a contributor without an account what to change, with a link back to their draft."""
    contributor = case_study.contributor
    if contributor is None:
        return
    _send(
        contributor.email, f"Changes requested: {case_study.title}", "casestudies/email/changes_requested.txt",
        {"contributor": contributor, "case_study": case_study, "comment": comment, "days": RETURN_DAYS,
         "url": site_url(reverse("contribute_return", args=[return_token(case_study)]))},
    )  # fmt: skip


def draft_started(case_study) -> None:
    """A contributor's way back to their draft from another browser or device, until they submit."""
    contributor = case_study.contributor
    _send(
        contributor.email, f"Your case study draft: {case_study.title}", "casestudies/email/draft_started.txt",
        {"contributor": contributor, "case_study": case_study, "days": RETURN_DAYS,
         "url": site_url(reverse("contribute_return", args=[return_token(case_study)]))},
    )  # fmt: skip
