"""Writing a case study: start one, edit its text and tags, the anonymised version, who features
in it, and its images and attachments. Members and contributors invited by link use the same
views through `Editing`; a form that fails shows every word that was typed, with the errors."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from compact.core.forms import post_data, post_files
from compact.core.validation import error_text, save_if_valid
from compact.partnerships.navigation import REFUSED, get_partnership, render_in

from .. import services
from ..forms.editing import (
    AnonymisedForm,
    CaseStudyForm,
    ContactForm,
    FeaturedOrganisationForm,
    MediaDescribeForm,
    MediaForm,
    PersonForm,
    QuoteForm,
    case_study_initial,
)  # fmt: skip
from ..models import ANONYMISED_FIELDS, FeaturedOrganisation, MediaFile
from .common import Editing, case_study_for, contributor_editing, member_editing, render_editing

PEOPLE_FORMS = {
    "organisation": FeaturedOrganisationForm,
    "person": PersonForm,
    "quote": QuoteForm,
    "contact": ContactForm,
}


@login_required
def casestudy_create(request, slug):
    partnership = get_partnership(request, slug, "casestudies.add_casestudy")
    form = CaseStudyForm(post_data(request), partnership=partnership)
    form.submit_label = "Save draft"
    # One key per form: a double-clicked "Save draft" gives one case study, not two.
    request_key = request.POST.get("request_key") or uuid.uuid4().hex

    def save(data):
        texts = {
            name: data.pop(name) for name in ("title", "summary", "challenge", "solution", "what_we_did", "impact")
        }
        case_study = services.case_study_create(
            partnership=partnership, actor=request.user, request_key=request_key, **texts
        )
        services.case_study_update(case_study=case_study, actor=request.user, **data)
        return case_study

    case_study = save_if_valid(request, form, save)
    if case_study:
        messages.success(request, "Your draft is saved. Add who features in it, and any photos, then submit it.")
        return redirect("casestudy_detail", partnership.slug, case_study.pk)
    return render_in(
        request, "casestudies/casestudy_form.html", partnership, "casestudies", "Write a case study",
        form=form, request_key=request_key,
    )  # fmt: skip


def _edit(request, editing: Editing):
    case_study = editing.case_study
    form = CaseStudyForm(post_data(request), partnership=editing.partnership, initial=case_study_initial(case_study))
    if save_if_valid(
        request, form, lambda data: services.case_study_update(case_study=case_study, **editing.who, **data),
        refused=case_study.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Your changes are saved.")
        return redirect(editing.url("detail"))
    return render_editing(request, editing, "casestudies/casestudy_form.html", f"Edit {case_study.title}", form=form)


@login_required
def casestudy_edit(request, slug, pk):
    return _edit(request, member_editing(request, slug, pk))


def contribute_edit(request, pk):
    return _edit(request, contributor_editing(request, pk))


@login_required
def casestudy_anonymise(request, slug, pk):
    partnership, case_study = case_study_for(request, slug, pk, "casestudies.anonymise_casestudy")
    initial = {name: getattr(case_study, name) for name in ANONYMISED_FIELDS}
    form = AnonymisedForm(post_data(request), initial=initial)
    if save_if_valid(
        request, form, lambda data: services.case_study_anonymise(case_study=case_study, actor=request.user, **data),
        refused=case_study.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "The anonymised version is saved.")
        return redirect("casestudy_detail", partnership.slug, case_study.pk)
    return render_in(
        request, "casestudies/anonymised_form.html", partnership, "casestudies", "Write the anonymised version",
        form=form, case_study=case_study,
    )  # fmt: skip


def _people_forms(request, editing: Editing, posted: str | None) -> dict:
    case_study, partnership = editing.case_study, editing.partnership
    can_link = editing.actor is not None and editing.actor.has_perm("casestudies.invite_contributor", partnership)
    extra = {
        "organisation": {"partnership": partnership},
        "person": {"partnership": partnership},
        "quote": {"case_study": case_study},
        "contact": {"partnership": partnership, "can_link": can_link},
    }
    return {
        name: form_class(request.POST if posted == name else None, **extra[name])
        for name, form_class in PEOPLE_FORMS.items()
    }


def _add_person_or_more(editing: Editing, name: str, data: dict) -> str:
    case_study, who = editing.case_study, editing.who
    if name == "organisation":
        services.featured_organisation_add(case_study=case_study, **who, **data)
        return f"{data['organisation'].name} is featured. Their consent will be needed."
    if name == "person":
        services.person_add(case_study=case_study, **who, **data)
        return f"{data['name']} is added. Their consent will be needed."
    if name == "quote":
        services.quote_add(case_study=case_study, **who, **data)
        return "The quote is added."
    if data.pop("link_account", False):
        data["user"] = get_user_model().objects.filter(email__iexact=data["email"]).first()
    services.contact_add(case_study=case_study, **who, **data)
    return f"{data['name']} is added as a contact."


def _posted(request, name: str, model, editing: Editing):
    """The row of this case study whose id a remove button posted; 404 for anything else,
    including an id that is not a number (an altered form)."""
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404("Nothing to remove")
    return get_object_or_404(model, pk=int(value), case_study=editing.case_study)


def _people(request, editing: Editing):
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted is not None and posted not in PEOPLE_FORMS and posted != "remove":
        raise PermissionDenied(REFUSED)
    if posted == "remove":
        featured = _posted(request, "featured", FeaturedOrganisation, editing)
        services.featured_organisation_remove(featured=featured, **editing.who)
        messages.success(request, f"{featured.organisation.name} is no longer featured.")
        return redirect(editing.url("people"))
    forms = _people_forms(request, editing, posted)
    if posted:
        done = save_if_valid(request, forms[posted], lambda data: _add_person_or_more(editing, posted, data))
        if done:
            messages.success(request, done)
            return redirect(editing.url("people") + f"#{posted}s")
    case_study = editing.case_study
    return render_editing(
        request, editing, "casestudies/people.html", "Who features in it", forms=forms, posted=posted,
        featured=list(case_study.featured_organisations.select_related("organisation")),
        people=list(case_study.people.select_related("organisation")),
        quotes=list(case_study.quotes.select_related("person")),
        contacts=list(case_study.contacts.select_related("organisation")),
    )  # fmt: skip


@login_required
def casestudy_people(request, slug, pk):
    return _people(request, member_editing(request, slug, pk))


def contribute_people(request, pk):
    return _people(request, contributor_editing(request, pk))


def _media(request, editing: Editing):
    case_study = editing.case_study
    if request.method == "POST" and request.POST.get("form") == "remove":
        media = _posted(request, "media", MediaFile, editing)
        services.media_remove(media=media, **editing.who)
        messages.success(request, f"{media.original_name} is removed.")
        return redirect(editing.url("media"))
    form = MediaForm(post_data(request), post_files(request), case_study=case_study)
    media = save_if_valid(request, form, lambda data: services.media_add(case_study=case_study, **editing.who, **data))
    if media:
        messages.success(request, f"{media.original_name} is uploaded.")
        return redirect(editing.url("media"))
    return render_editing(
        request, editing, "casestudies/media.html", "Photos and attachments", form=form,
        media=list(case_study.media.prefetch_related("pictured")),
    )  # fmt: skip


@login_required
def casestudy_media(request, slug, pk):
    return _media(request, member_editing(request, slug, pk))


def contribute_media(request, pk):
    return _media(request, contributor_editing(request, pk))


def _describe(request, editing: Editing, media_pk):
    media = get_object_or_404(MediaFile, pk=media_pk, case_study=editing.case_study)
    initial = {"alt_text": media.alt_text, "credit": media.credit, "pictured": list(media.pictured.all())}
    form = MediaDescribeForm(post_data(request), case_study=editing.case_study, initial=initial)
    if save_if_valid(request, form, lambda data: services.media_describe(media=media, **editing.who, **data)):
        messages.success(request, f"The description of {media.original_name} is saved.")
        return redirect(editing.url("media"))
    return render_editing(
        request, editing, "casestudies/media_describe.html", f"Describe {media.original_name}", form=form, media=media
    )


@login_required
def casestudy_media_describe(request, slug, pk, media_pk):
    return _describe(request, member_editing(request, slug, pk), media_pk)


def contribute_media_describe(request, pk, media_pk):
    return _describe(request, contributor_editing(request, pk), media_pk)


def _submit(request, editing: Editing):
    try:
        services.case_study_submit(case_study=editing.case_study, **editing.who)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(editing.url("detail"))
    messages.success(request, "Thank you: it is submitted. The partnership's editors will review it.")
    return redirect(editing.url("detail"))


@login_required
@require_POST
def casestudy_submit(request, slug, pk):
    partnership, case_study = case_study_for(request, slug, pk)
    return _submit(request, Editing(partnership, case_study, actor=request.user))


@require_POST
def contribute_submit(request, pk):
    return _submit(request, contributor_editing(request, pk, to_change=False))
