"""Recording, withdrawing and expiring consent. A withdrawal or expiry that breaks what the
case study's state needs takes it down everywhere at once (back to consent pending) and tells
the editors."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from compact.core.services import require_perm

from .. import notifications
from ..models import CaseStudy, Consent, Contact, FeaturedOrganisation, Person, Status, Use
from ..rules import is_editor
from ..tasks import schedule_expiry_sweep
from ._common import clean_text, lock, raise_if, record
from .workflow import back_to_consent_pending, still_holds

REFUSED = "Only editors, and contacts for a featured organisation (for that organisation), can record consent."


def _subject_name(consent: Consent) -> str:
    if consent.featured_organisation_id:
        return consent.featured_organisation.organisation.name
    return consent.person.name


def _require(actor, case_study: CaseStudy, featured: FeaturedOrganisation | None) -> None:
    require_perm(actor, "casestudies.record_consent", case_study, REFUSED)
    if is_editor.test(actor, case_study):
        return
    is_their_org = (
        featured is not None
        and Contact.objects.filter(case_study=case_study, user=actor, organisation_id=featured.organisation_id).exists()
    )
    if not is_their_org:
        raise PermissionDenied(REFUSED)


def _enforce(case_study: CaseStudy, actor, *, subject: str, reason: str, always_tell: bool) -> None:
    unpublished = False
    lapsed = case_study.status in (Status.APPROVED, Status.PUBLISHED) and not still_holds(case_study)
    if lapsed:
        unpublished = back_to_consent_pending(case_study, actor, reason=reason)
    if always_tell or lapsed:
        kind = notifications.CONSENT_WITHDRAWN
        notifications.consent_ended(case_study, subject=subject, kind=kind, unpublished=unpublished)


@transaction.atomic
def consent_give(
    *, case_study: CaseStudy, actor, given_by: str, uses, featured_organisation: FeaturedOrganisation | None = None,
    person: Person | None = None, given_at: dt.datetime | None = None, expires_on: dt.date | None = None,
) -> Consent:  # fmt: skip
    """Record consent from one organisation or person; it replaces their current consent."""
    case_study = lock(case_study)
    _require(actor, case_study, featured_organisation)
    errors: dict = {}
    if (featured_organisation is None) == (person is None):
        errors["subject"] = "Choose one featured organisation or one person"
    elif (featured_organisation or person).case_study_id != case_study.pk:
        errors["subject"] = "Choose an organisation or person featured in this case study"
    uses = {str(u) for u in uses or ()}
    if not uses or not uses <= set(Use.values):
        errors["uses"] = "Choose what the consent covers: internal use, the published document, the public website"
    now = timezone.now()
    given_at = given_at or now
    if given_at > now:
        errors["given_at"] = "The date consent was given cannot be in the future"
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = "The expiry date must be today or later"
    consent = Consent(
        case_study=case_study, featured_organisation=featured_organisation, person=person, given_at=given_at,
        for_internal=Use.INTERNAL in uses, for_document=Use.DOCUMENT in uses, for_web=Use.WEB in uses,
        expires_on=expires_on, recorded_by=actor,
    )  # fmt: skip
    consent.given_by = clean_text(given_by, "given_by", errors, one_line=True)
    raise_if(errors)
    subject = Q(featured_organisation=featured_organisation) if featured_organisation else Q(person=person)
    Consent.objects.filter(subject, withdrawn_at__isnull=True, replaced_at__isnull=True).update(replaced_at=now)
    try:
        consent.full_clean()
    except ValidationError as error:
        raise ValidationError({k: v[0] for k, v in error.message_dict.items()}) from None
    consent.save()
    name = _subject_name(consent)
    record(
        case_study, actor, "casestudy.consent_give", obj=consent,
        changes={"subject": name, "given_by": consent.given_by, "uses": sorted(uses), "expires_on": str(expires_on or "")},
    )  # fmt: skip
    if expires_on is not None:
        schedule_expiry_sweep(expires_on)
    # A narrower consent replacing a wider one is a partial withdrawal.
    _enforce(case_study, actor, subject=name, reason="narrowed", always_tell=False)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor) -> Consent:
    """Withdraw a consent. If the case study relied on it, it is unpublished everywhere at once
    and goes back to consent pending; the editors are told either way."""
    case_study = lock(consent.case_study)
    consent = (
        Consent.objects.select_for_update(of=("self",))
        .select_related("featured_organisation__organisation", "person")
        .get(pk=consent.pk)
    )
    _require(actor, case_study, consent.featured_organisation)
    if consent.withdrawn_at is not None or consent.replaced_at is not None:
        raise ValidationError("This consent is no longer current, so it cannot be withdrawn.")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    name = _subject_name(consent)
    record(case_study, actor, "casestudy.consent_withdraw", obj=consent, changes={"subject": name})
    _enforce(case_study, actor, subject=name, reason="withdrawn", always_tell=True)
    return consent


@transaction.atomic
def consents_expire(*, today: dt.date | None = None) -> int:
    """The daily sweep: approved or published case studies whose consent ran out go back to
    consent pending (unpublished everywhere) and their editors are told. Returns how many."""
    today = today or timezone.localdate()
    ids = (
        Consent.objects.filter(
            withdrawn_at__isnull=True,
            replaced_at__isnull=True,
            expires_on__lt=today,
            case_study__status__in=[Status.APPROVED, Status.PUBLISHED],
        )  # fmt: skip
        .values_list("case_study_id", flat=True)
        .distinct()
    )
    count = 0
    for case_study in CaseStudy.objects.filter(pk__in=list(ids)).select_for_update().select_related("partnership"):
        if still_holds(case_study, today):
            continue
        was_published = back_to_consent_pending(case_study, None, reason="expired")
        notifications.consent_ended(
            case_study, subject="one or more people or organisations", kind=notifications.CONSENT_EXPIRED,
            unpublished=was_published,
        )  # fmt: skip
        count += 1
    return count
