"""Who and what a case study features: organisations, named or pictured people, quotes,
contacts, and images or attachments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from ..models import CaseStudy, Contact, FeaturedOrganisation, MediaFile, MediaKind, Person, Quote
from ..rules import is_editor
from ..uploads import check_attachment, check_image
from ._common import clean_text, full_clean_into, lock, record, require_edit


def _save(instance, errors: dict) -> None:
    full_clean_into(instance, errors)
    instance.save()


@transaction.atomic
def featured_organisation_add(*, case_study: CaseStudy, actor=None, contributor=None, organisation):
    case_study = lock(case_study)
    require_edit(case_study, actor, contributor)
    featured, created = FeaturedOrganisation.objects.get_or_create(case_study=case_study, organisation=organisation)
    if created:
        record(case_study, actor, "casestudy.organisation_add", {"organisation": organisation.name})
    return featured


@transaction.atomic
def featured_organisation_remove(*, featured: FeaturedOrganisation, actor=None, contributor=None) -> None:
    case_study = lock(featured.case_study)
    require_edit(case_study, actor, contributor)
    name = featured.organisation.name
    featured.delete()
    record(case_study, actor, "casestudy.organisation_remove", {"organisation": name})


@transaction.atomic
def person_add(*, case_study: CaseStudy, actor=None, contributor=None, name: str, organisation=None) -> Person:
    """A person named or pictured in the case study: their consent will be needed."""
    case_study = lock(case_study)
    require_edit(case_study, actor, contributor)
    errors: dict = {}
    person = Person(case_study=case_study, organisation=organisation)
    person.name = clean_text(name, "name", errors, one_line=True)
    _save(person, errors)
    record(case_study, actor, "casestudy.person_add", {"person": person.name})
    return person


@transaction.atomic
def quote_add(
    *, case_study: CaseStudy, actor=None, contributor=None, text: str, attribution: str, person: Person | None = None,
    anonymised_attribution: str = "",
) -> Quote:  # fmt: skip
    case_study = lock(case_study)
    require_edit(case_study, actor, contributor)
    errors: dict = {}
    if person is not None and person.case_study_id != case_study.pk:
        errors["person"] = "Choose a person named in this case study"
    position = (case_study.quotes.aggregate(m=Max("position"))["m"] or 0) + 1
    quote = Quote(case_study=case_study, person=person, position=position)
    quote.text = clean_text(text, "text", errors)
    quote.attribution = clean_text(attribution, "attribution", errors, one_line=True)
    quote.anonymised_attribution = clean_text(anonymised_attribution, "anonymised_attribution", errors, one_line=True)
    _save(quote, errors)
    record(case_study, actor, "casestudy.quote_add", {"position": position})
    return quote


@transaction.atomic
def contact_add(
    *, case_study: CaseStudy, actor=None, contributor=None, name: str, email: str, organisation=None, user=None
) -> Contact:
    """A contact for the case study. Only an editor links a contact to an account, and only to
    the account with the contact's email: that person may then view the case study and give or
    withdraw their organisation's consent."""
    case_study = lock(case_study)
    require_edit(case_study, actor, contributor)
    errors: dict = {}
    contact = Contact(case_study=case_study, organisation=organisation, user=user)
    contact.name = clean_text(name, "name", errors, one_line=True)
    contact.email = clean_text(email, "email", errors, one_line=True).lower()
    if user is not None:
        if contributor is not None or not is_editor.test(actor, case_study):
            errors["user"] = "Only an editor can link a contact to an account"
        elif (user.email or "").lower() != contact.email:
            errors["user"] = "Link the contact to the account with the same email address"
    _save(contact, errors)
    record(case_study, actor, "casestudy.contact_add", {"contact": contact.name})
    return contact


def _describe(media: MediaFile, alt_text, credit, errors) -> None:
    media.alt_text = clean_text(alt_text, "alt_text", errors, one_line=True)
    media.credit = clean_text(credit, "credit", errors, one_line=True)


def _set_pictured(media: MediaFile, pictured, errors: dict) -> list | None:
    if pictured is None:
        return None
    pictured = list(pictured)
    if any(p.case_study_id != media.case_study_id for p in pictured):
        errors["pictured"] = "Choose people named in this case study"
    return pictured


@transaction.atomic
def media_add(
    *, case_study: CaseStudy, actor=None, contributor=None, file, kind: str = MediaKind.IMAGE, alt_text: str = "",
    credit: str = "", pictured=None,
) -> MediaFile:  # fmt: skip
    """Add an image or attachment after checking its type, size and real content. Alt text and
    a credit may follow later, but the case study cannot be submitted without them."""
    case_study = lock(case_study)
    require_edit(case_study, actor, contributor)
    errors: dict = {}
    if kind not in MediaKind.values:
        raise ValidationError({"kind": "Choose an image or an attachment"})
    try:
        content_type, size = (check_image if kind == MediaKind.IMAGE else check_attachment)(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages[0]}) from None
    name = clean_text(getattr(file, "name", "") or "file", "file", errors, one_line=True)[-200:]
    media = MediaFile(
        case_study=case_study, kind=kind, file=file, original_name=name, content_type=content_type, size=size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    _describe(media, alt_text, credit, errors)
    pictured = _set_pictured(media, pictured, errors)
    _save(media, errors)
    if pictured is not None:
        media.pictured.set(pictured)
    record(case_study, actor, "casestudy.media_add", {"kind": kind, "file": name})
    return media


@transaction.atomic
def media_describe(
    *, media: MediaFile, actor=None, contributor=None, alt_text: str, credit: str, pictured=None
) -> MediaFile:
    case_study = lock(media.case_study)
    require_edit(case_study, actor, contributor)
    errors: dict = {}
    _describe(media, alt_text, credit, errors)
    pictured = _set_pictured(media, pictured, errors)
    _save(media, errors)
    if pictured is not None:
        media.pictured.set(pictured)
    record(case_study, actor, "casestudy.media_describe", {"file": media.original_name})
    return media


@transaction.atomic
def media_remove(*, media: MediaFile, actor=None, contributor=None) -> None:
    case_study = lock(media.case_study)
    require_edit(case_study, actor, contributor)
    name = media.original_name
    media.file.delete(save=False)
    media.delete()
    record(case_study, actor, "casestudy.media_remove", {"file": name})
