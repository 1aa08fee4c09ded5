"""'You said, we did': the account as a page (every member reads it; editors get a "Record what
we did" link per item), the page where editors record an outcome and why, and the whole account
as a Word document and a spreadsheet."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from compact.core.forms import GDSFormMixin, post_data
from compact.core.validation import save_if_valid

from .. import accounting, services
from ..models import REASON_MAX, Outcome
from ..selectors_accounting import account_for, accountable_get, describe, place_of
from ..services.outcomes import NOTE_REQUIRED, OUTCOME_REQUIRED, REFUSALS, refusal
from .common import document_for, render_document

TITLE = "You said, we did"
CANNOT_DECIDE = " Amendments are decided while the document is open for changes; a convenor can reopen drafting."


class OutcomeForm(GDSFormMixin, forms.Form):
    submit_label = "Save what we did"

    outcome = forms.ChoiceField(
        label="What did you do with it?", choices=Outcome.choices, widget=forms.RadioSelect,
        error_messages={"required": OUTCOME_REQUIRED, "invalid_choice": OUTCOME_REQUIRED},
    )  # fmt: skip
    # No max_length here: browsers send each line break as two characters but count it as one, so
    # a reason at the limit would be refused. The service counts after normalising line breaks
    # and says how much to cut; the browser still stops at the limit (maxlength).
    note = forms.CharField(
        label="Why? Say what you did and the reason", strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REASON_MAX}), error_messages={"required": NOTE_REQUIRED},
        help_text=f"Up to {REASON_MAX:,} characters. Everyone reading the account will see it, beside what was said.",
    )  # fmt: skip


def account_url(document, part=None, anchor: str = "") -> str:
    url = reverse("you_said_we_did", args=[document.partnership.slug, document.pk])
    query = f"?part={part.key}" if part is not None and part.key else ""
    return f"{url}{query}{'#' + anchor if anchor else ''}"


@require_safe
@login_required
def you_said_we_did(request, slug, pk):
    document = document_for(request, slug, pk, "drafting.view_document")
    awaiting_only = request.GET.get("awaiting") == "1"
    account = account_for(document, wanted=request.GET.get("part", ""), awaiting_only=awaiting_only)
    base = account_url(document)
    return render_document(
        request, "drafting/you_said_we_did.html", document, TITLE, account=account,
        can_record=request.user.has_perm("drafting.record_outcome", document), account_path=base,
        awaiting_query="&awaiting=1" if awaiting_only else "", nothing_said=accounting.NOTHING_SAID,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def outcome_record(request, slug, pk, kind, item_pk):
    document = document_for(request, slug, pk, "drafting.record_outcome")
    obj = accountable_get(document=document, kind=kind, pk=item_pk)
    place = place_of(document, obj)
    back = account_url(document, place, f"item-{kind}-{obj.pk}")
    refused = refusal(obj)
    if refused == "open":
        obj.document = document  # with its process, which the permission reads
        if request.user.has_perm("drafting.decide_amendment", obj):
            messages.info(request, REFUSALS[refused])
            return redirect("amendment_decide", slug, document.pk, obj.block_id, obj.pk)
        messages.error(request, REFUSALS[refused] + CANNOT_DECIDE)
        return redirect(back)
    if refused:
        messages.error(request, REFUSALS[refused])
        return redirect(account_url(document, place, place.anchor))
    form = OutcomeForm(post_data(request), initial={"outcome": obj.outcome, "note": obj.outcome_note})
    if save_if_valid(request, form, lambda data: services.outcome_record(item=obj, actor=request.user, **data)):
        messages.success(request, "Saved. The account now says what you did and why.")
        return redirect(back)
    return render_document(
        request, "drafting/outcome_form.html", document, "Record what we did", form=form, item=describe(obj),
        place=place, cancel_url=back,
    )  # fmt: skip


@require_safe
@login_required
def you_said_we_did_docx(request, slug, pk):
    document = document_for(request, slug, pk, "drafting.view_document")
    return accounting.docx_response(document, account_for(document))


@require_safe
@login_required
def you_said_we_did_csv(request, slug, pk):
    document = document_for(request, slug, pk, "drafting.view_document")
    return accounting.csv_response(document, account_for(document))
