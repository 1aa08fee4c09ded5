"""Contributors without an account, invited by an emailed link to write a case study. The
link's token is stored only as its SHA-256, works once and expires."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compact.core.services import require_perm
from compact.core.tokens import new_token, token_hash

from ..models import CaseStudy, Contact, Contributor, FeaturedOrganisation
from ._common import clean_text, full_clean_into, record

LINK_DAYS = 14
LINK_UNUSABLE = "This link has already been used or has expired. Ask the partnership for a new one."


@transaction.atomic
def contributor_invite(
    *, partnership, actor, name: str, email: str, organisation=None, days: int = LINK_DAYS
) -> tuple[Contributor, str]:
    """Returns the contributor and the raw token for the link (sent by the caller, never stored)."""
    require_perm(actor, "casestudies.invite_contributor", partnership, "Only editors can invite contributors.")
    errors: dict = {}
    token = new_token()
    contributor = Contributor(
        partnership=partnership, organisation=organisation, token_hash=token_hash(token), invited_by=actor,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )  # fmt: skip
    contributor.name = clean_text(name, "name", errors, one_line=True)
    contributor.email = clean_text(email, "email", errors, one_line=True).lower()
    full_clean_into(contributor, errors)
    contributor.save()
    record(contributor, actor, "casestudy.contributor_invite", {"name": contributor.name})
    return contributor, token


@transaction.atomic
def contributor_redeem(*, token: str, title: str) -> CaseStudy:
    """Use the link once: the contributor's draft case study is created (featuring their
    organisation, with them as its contact) and the link stops working."""
    contributor = Contributor.objects.select_for_update().filter(token_hash=token_hash(token or "")).first()
    if contributor is None or contributor.used_at is not None or contributor.expires_at <= timezone.now():
        raise ValidationError({"token": LINK_UNUSABLE})
    errors: dict = {}
    case_study = CaseStudy(partnership_id=contributor.partnership_id, contributor=contributor)
    case_study.title = clean_text(title, "title", errors, one_line=True)
    case_study.refresh_search_text()
    full_clean_into(case_study, errors, whole="title")
    case_study.save()
    # Their organisation is featured and they are its contact, so the editors know whose
    # consent to ask for and whom to ask.
    if contributor.organisation_id:
        FeaturedOrganisation.objects.create(case_study=case_study, organisation_id=contributor.organisation_id)
    Contact.objects.create(
        case_study=case_study,
        name=contributor.name,
        email=contributor.email,
        organisation_id=contributor.organisation_id,
    )
    contributor.used_at = timezone.now()
    contributor.save(update_fields=["used_at", "updated_at"])
    record(case_study, None, "casestudy.create", {"after": {"status": case_study.status}, "by": contributor.name})
    return case_study
