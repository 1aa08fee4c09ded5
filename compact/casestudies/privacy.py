"""What case studies hold about a person, for "Your data", and what erasing them changes.

Held about a signed-in person:

- contacts: a case study's contact that is linked to their account, or has their email
  (in any case). Erased: the name becomes "Erased user", the email a unique placeholder
  (one contact email per case study), and the link to the account goes.
- contributors: a link invitation sent to their email. Erased the same way; a link not yet
  used stops working, as their pending partnership invitations are revoked.
- case studies they started. The case study is the partnership's record and stays, with its
  text; only the link to its author goes (`created_by` becomes empty), so the erased
  account is nobody's author any more.
- consents they recorded or withdrew for an organisation or a person. The consent is the
  legal record of permission and stays whole. `recorded_by` and `withdrawn_by` keep pointing
  to the account, which the erasure anonymises, so they read "Erased user": other apps treat
  their records of who did what the same way (votes, proposals, ideas and the audit log keep
  their link to the anonymised account).
- consents given in their own name (`given_by` is their full name). Exported, and kept: they
  are the record of their own permission. Withdrawing consent is done on the case study's
  consent page, not by erasing an account; erasing a person named in a case study (a
  `Person`, who has no account and is matched to nobody by name) is a separate request that
  the partnership's editors handle.
- review comments they wrote, and files they uploaded: the text and files stay on the
  case study as part of its review record, linked to the anonymised account, like the
  reasons on decision votes.

The audit log is append-only and is never changed here."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from compact.partnerships.privacy import ERASED_NAME

from .models import CaseStudy, Consent, Contact, Contributor, MediaFile, ReviewComment


def _contacts(user):
    match = Q(user=user)
    if user.email:
        match |= Q(email__iexact=user.email)
    return Contact.objects.filter(match)


def _contributors(user):
    if not user.email:
        return Contributor.objects.none()
    return Contributor.objects.filter(email__iexact=user.email)


def _uses(consent: Consent) -> list[str]:
    return sorted(consent.uses)


def _subject(consent: Consent) -> str:
    if consent.featured_organisation_id:
        return consent.featured_organisation.organisation.name
    return consent.person.name


def _consent(consent: Consent) -> dict:
    return {
        "case_study": consent.case_study.title,
        "subject": _subject(consent),
        "given_by": consent.given_by,
        "given_at": consent.given_at.isoformat(),
        "uses": _uses(consent),
        "expires_on": consent.expires_on.isoformat() if consent.expires_on else None,
        "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
    }


def export(user) -> dict:
    consents = Consent.objects.select_related("case_study", "featured_organisation__organisation", "person").order_by(
        "given_at", "pk"
    )
    own_name = (user.full_name or "").strip()
    return {
        "contacts": [
            {"case_study": c.case_study.title, "name": c.name, "email": c.email,
             "organisation": str(c.organisation or ""), "linked_to_your_account": c.user_id == user.pk}
            for c in _contacts(user).select_related("case_study", "organisation").order_by("pk")
        ],
        "contributor_invitations": [
            {"name": c.name, "email": c.email, "organisation": str(c.organisation or ""),
             "invited": c.created_at.isoformat(), "link_used": c.used_at is not None}
            for c in _contributors(user).select_related("organisation").order_by("created_at", "pk")
        ],
        "case_studies_started": [
            {"title": cs.title, "partnership": cs.partnership.name, "status": cs.status,
             "created": cs.created_at.isoformat()}
            for cs in CaseStudy.objects.filter(created_by=user).select_related("partnership").order_by("created_at")
        ],
        "consents_recorded": [_consent(c) for c in consents.filter(recorded_by=user)],
        "consents_withdrawn": [_consent(c) for c in consents.filter(withdrawn_by=user)],
        "consents_given_in_your_name": (
            [_consent(c) for c in consents.filter(given_by__iexact=own_name)] if own_name else []
        ),
        "review_comments": [
            {"case_study": c.case_study.title, "text": c.text, "requests_changes": c.requests_changes,
             "written": c.created_at.isoformat()}
            for c in ReviewComment.objects.filter(author=user).select_related("case_study").order_by("created_at")
        ],
        "files_uploaded": [
            {"case_study": m.case_study.title, "file": m.original_name, "kind": m.kind,
             "uploaded": m.uploaded_at.isoformat()}
            for m in MediaFile.objects.filter(uploaded_by=user).select_related("case_study").order_by("uploaded_at")
        ],
    }  # fmt: skip


def _placeholder(user, pk: int) -> str:
    return f"erased-{user.pk}-{pk}@erased.invalid"


def erase(user) -> None:
    """Anonymise the contacts and contributor invitations that are this person, and unlink
    them as author. Runs inside `user_erase`, before the account's email is changed."""
    contacts = list(_contacts(user))
    for contact in contacts:
        contact.name, contact.email, contact.user = ERASED_NAME, _placeholder(user, contact.pk), None
    Contact.objects.bulk_update(contacts, ["name", "email", "user"])

    now = timezone.now()
    contributors = list(_contributors(user))
    for contributor in contributors:
        contributor.name, contributor.email = ERASED_NAME, _placeholder(user, contributor.pk)
        if contributor.used_at is None and contributor.expires_at > now:
            contributor.expires_at = now  # the link stops working
        contributor.updated_at = now
    Contributor.objects.bulk_update(contributors, ["name", "email", "expires_at", "updated_at"])

    # Not save(): the case study has not been edited, so its place in the library stays.
    CaseStudy.objects.filter(created_by=user).update(created_by=None)
