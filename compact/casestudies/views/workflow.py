"""Review, approval, publication, withdrawal and consent. Each control checks the person's
permission for the case study's state; a refusal the person could fix (a missing consent, an
empty section) comes back as a message that says what to do."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import error_text, save_if_valid
from compact.partnerships.navigation import render_in

from .. import contributor_mail, services
from ..forms.workflow import ConsentForm, PublishForm, ReviewCommentForm
from ..models import Consent, Contact, Status
from ..rules import is_editor
from .common import case_study_for

SIMPLE = {
    "start-review": (services.case_study_start_review, "The review has started."),
    "approve": (services.case_study_approve, "Approved. It can now be published."),
    "unpublish": (services.case_study_unpublish, "It is unpublished everywhere."),
}


def _confirm(request, partnership, case_study, title, *, warning, button, anchor=""):
    back_url = reverse("casestudy_detail", args=[partnership.slug, case_study.pk]) + anchor
    return render_in(
        request, "casestudies/confirm.html", partnership, "casestudies", title,
        case_study=case_study, warning=warning, button=button, back_url=back_url,
    )  # fmt: skip


def _to_detail(case_study, anchor=""):
    response = redirect("casestudy_detail", case_study.partnership.slug, case_study.pk)
    response["Location"] += anchor
    return response


@login_required
@require_POST
def casestudy_action(request, slug, pk, action):
    if action not in SIMPLE:
        raise Http404("No such action")
    _, case_study = case_study_for(request, slug, pk)
    run, done = SIMPLE[action]
    try:
        run(case_study=case_study, actor=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return _to_detail(case_study)


@login_required
def casestudy_review(request, slug, pk):
    """Comment, request changes (the author is told) or accept (then consent is gathered)."""
    partnership, case_study = case_study_for(request, slug, pk, "casestudies.review_casestudy")
    form = ReviewCommentForm(post_data(request))
    decision = request.POST.get("decision", "comment")
    if decision == "accept" and request.method == "POST":
        services.case_study_accept(case_study=case_study, actor=request.user)
        messages.success(request, "The review is done. Record the consent it needs next.")
        return _to_detail(case_study, "#consent")

    def save(data):
        if decision == "changes":
            services.case_study_request_changes(case_study=case_study, actor=request.user, comment=data["text"])
            contributor_mail.changes_requested(case_study, data["text"])
        else:
            services.review_comment_add(case_study=case_study, actor=request.user, text=data["text"])

    if save_if_valid(request, form, save):
        messages.success(
            request, "Changes requested: the author has been told." if decision == "changes" else "Comment added."
        )
        return _to_detail(case_study, "#review")
    return render_in(
        request, "casestudies/review_form.html", partnership, "casestudies", f"Review {case_study.title}",
        form=form, case_study=case_study, comments=list(case_study.review_comments.select_related("author")),
    )  # fmt: skip


@login_required
def casestudy_publish(request, slug, pk):
    partnership, case_study = case_study_for(request, slug, pk, "casestudies.publish_casestudy")
    initial = {"version": case_study.published_version or "named", "uses": sorted(case_study.published_uses)}
    form = PublishForm(post_data(request), initial=initial)
    if save_if_valid(
        request, form,
        lambda data: services.case_study_publish(case_study=case_study, actor=request.user, **data),
        refused=case_study.refresh_from_db,
    ):  # fmt: skip
        messages.success(request, "Published.")
        return _to_detail(case_study)
    return render_in(
        request, "casestudies/publish_form.html", partnership, "casestudies", f"Publish {case_study.title}",
        form=form, case_study=case_study,
    )  # fmt: skip


@login_required
def casestudy_withdraw(request, slug, pk):
    partnership, case_study = case_study_for(request, slug, pk, "casestudies.withdraw_casestudy")
    if request.method == "POST":
        services.case_study_withdraw(case_study=case_study, actor=request.user)
        messages.success(request, "The case study is withdrawn and unpublished everywhere.")
        return _to_detail(case_study)
    return _confirm(
        request, partnership, case_study, f"Withdraw {case_study.title}", button="Withdraw it",
        warning="It will be unpublished everywhere at once and cannot be published again. It stays in the library, "
        "marked withdrawn, as a record.",
    )  # fmt: skip


def _contact_organisations(user, case_study) -> set[int] | None:
    """The featured organisations this person may give consent for (None: any, as an editor)."""
    if is_editor.test(user, case_study):
        return None
    organisations = Contact.objects.filter(case_study=case_study, user=user).values("organisation")
    return set(case_study.featured_organisations.filter(organisation__in=organisations).values_list("pk", flat=True))


@login_required
def consent_record(request, slug, pk):
    partnership, case_study = case_study_for(request, slug, pk, "casestudies.record_consent")
    form = ConsentForm(
        post_data(request),
        case_study=case_study,
        allowed_organisations=_contact_organisations(request.user, case_study),
    )
    if save_if_valid(
        request, form, lambda data: services.consent_give(case_study=case_study, actor=request.user, **form.service_data(case_study))
    ):  # fmt: skip
        messages.success(request, "The consent is recorded.")
        return _to_detail(case_study, "#consent")
    return render_in(
        request, "casestudies/consent_form.html", partnership, "casestudies", "Record consent",
        form=form, case_study=case_study,
    )  # fmt: skip


@login_required
def consent_withdraw(request, slug, pk, consent_pk):
    partnership, case_study = case_study_for(request, slug, pk, "casestudies.record_consent")
    consent = get_object_or_404(
        Consent.objects.select_related("featured_organisation__organisation", "person"),
        pk=consent_pk,
        case_study=case_study,
    )
    if request.method == "POST":
        try:
            services.consent_withdraw(consent=consent, actor=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            case_study.refresh_from_db()
            taken_down = " It has been unpublished everywhere." if case_study.status == Status.CONSENT_PENDING else ""
            messages.success(request, f"The consent is withdrawn and the editors have been told.{taken_down}")
        return _to_detail(case_study, "#consent")
    subject = consent.featured_organisation.organisation.name if consent.featured_organisation else consent.person.name
    return _confirm(
        request, partnership, case_study, f"Withdraw consent from {subject}", button="Withdraw consent", anchor="#consent",
        warning="If the case study needs this consent, it is unpublished everywhere at once. The editors are told.",
    )  # fmt: skip
