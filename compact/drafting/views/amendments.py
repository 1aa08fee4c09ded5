"""Amendments to one block: proposing new wording (a block changed since the form was opened
goes to the conflict page with the wording kept), supporting, withdrawing, and the editors'
decision (accepting wording written against an older text goes to the conflict page, where the
editor merges and accepts in one step)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import add_errors, error_text

from .. import services
from ..forms.feedback import AmendmentForm, DecideForm
from ..models import AmendmentStatus
from ..selectors import block_get
from ..selectors_feedback import amendment_get, base_texts, field_changes
from ..services import EditConflict
from ..services.amendments import AMENDABLE, DECIDE_REFUSED, NOT_OPEN
from .comments import block_title, discussion_url
from .common import document_for, render_document
from .conflicts import conflict_fields


def _conflict(request, document, conflict: EditConflict, merge_form, *, title: str, mine_heading: str, cancel_url):
    block = conflict.block
    return render_document(
        request, "drafting/conflict.html", document, title, status=409, block=block,
        rows=conflict_fields(block, conflict.submitted), merge_form=merge_form, saved_by=block.updated_by,
        saved_at=block.updated_at, mine_heading=mine_heading, merge_action=request.path, cancel_url=cancel_url,
    )  # fmt: skip


@login_required
def amendment_propose(request, slug, pk, block_pk):
    document = document_for(request, slug, pk, "drafting.add_amendment")
    block = block_get(document=document, pk=block_pk)
    if block.removed_at is not None:
        raise Http404("This part of the document was removed")
    initial = {name: getattr(block, name) for name in AMENDABLE[block.kind]}
    form = AmendmentForm(post_data(request), block=block, initial={**initial, "base_lock_version": block.lock_version})
    label = block_title(document, block)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.amendment_propose(
                block=block, actor=request.user, reason=data["reason"], base_lock_version=data["base_lock_version"],
                on_behalf=data["on_behalf"], request_key=data["request_key"], **form.texts(),
            )  # fmt: skip
        except EditConflict as conflict:
            merge = AmendmentForm(
                block=conflict.block,
                initial={
                    **form.texts(), "reason": data["reason"], "on_behalf": data["on_behalf"],
                    "request_key": data["request_key"], "base_lock_version": conflict.block.lock_version,
                },
            )  # fmt: skip
            return _conflict(
                request, document, conflict, merge, title="The text changed while you were writing your amendment",
                mine_heading="Your proposed wording", cancel_url=discussion_url(block),
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Your amendment is proposed. Others can now support it, and the editors will decide on it.")  # fmt: skip
            return redirect(discussion_url(block, "amendments"))
    return render_document(
        request, "drafting/amendment_form.html", document, f"Propose an amendment to {label}", form=form,
        block=block, label=label, cancel_url=discussion_url(block),
    )  # fmt: skip


def _decide_initial(amendment, block) -> dict:
    return {
        **{name: getattr(amendment, name) for name in AMENDABLE[block.kind]},
        "lock_version": block.lock_version, "merge": False,
    }  # fmt: skip


@login_required
def amendment_decide(request, slug, pk, block_pk, amendment_pk):
    document = document_for(request, slug, pk)
    block = block_get(document=document, pk=block_pk)
    amendment = amendment_get(document=document, block=block, pk=amendment_pk)
    if amendment.status != AmendmentStatus.OPEN:
        messages.info(request, NOT_OPEN)
        return redirect(discussion_url(block, f"amendment-{amendment.pk}"))
    if not request.user.has_perm("drafting.decide_amendment", amendment):
        raise PermissionDenied(DECIDE_REFUSED)
    merging = request.POST.get("merge") in ("True", "true", "on", "1")
    form = DecideForm(post_data(request), block=block, merging=merging, initial=_decide_initial(amendment, block))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        decision = data["decision"]
        extra = {}
        if decision == "partly" or (decision == "accept" and data["merge"]):
            extra = {"lock_version": data["lock_version"], **form.texts()}
        try:
            services.amendment_decide(
                amendment=amendment, actor=request.user, decision=decision, reason=data["reason"], **extra
            )
        except EditConflict as conflict:
            submitted = {k: v for k, v in conflict.submitted.items() if k != "lock_version"}
            merge = DecideForm(
                block=conflict.block, merging=True,
                initial={**submitted, "decision": decision, "reason": data["reason"], "merge": True,
                         "lock_version": conflict.block.lock_version},
            )  # fmt: skip
            return _conflict(
                request, document, conflict, merge, title="The text changed since this amendment was written",
                mine_heading="The amendment's wording", cancel_url=discussion_url(block, f"amendment-{amendment.pk}"),
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            done = {"accept": "accepted: the text now reads as it proposed", "partly": "partly taken",
                    "reject": "rejected"}[decision]  # fmt: skip
            messages.success(request, f"The amendment is {done}.")
            return redirect(discussion_url(block, f"amendment-{amendment.pk}"))
    label = block_title(document, block)
    return render_document(
        request, "drafting/amendment_detail.html", document, f"Decide on an amendment to {label}", form=form,
        block=block, label=label, amendment=amendment, cancel_url=discussion_url(block),
        against_base=field_changes(block.kind, base_texts(amendment), amendment),
        against_current=field_changes(block.kind, block, amendment),
        block_changed=block.lock_version != amendment.base_lock_version,
    )  # fmt: skip


def _amendment_action(act, done: str):
    """A view for a participant's action on an amendment (POST only): `act(request, amendment)`
    calls the service, then the person comes back to the amendment with `done` or the error in a
    message. An amendment decided or withdrawn since the page was loaded says so instead."""

    @login_required
    @require_POST
    def view(request, slug, pk, block_pk, amendment_pk):
        document = document_for(request, slug, pk)
        block = block_get(document=document, pk=block_pk)
        amendment = amendment_get(document=document, block=block, pk=amendment_pk)
        if amendment.status != AmendmentStatus.OPEN:
            messages.info(request, NOT_OPEN)
        else:
            try:
                act(request, amendment)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, done)
        return redirect(discussion_url(block, f"amendment-{amendment.pk}"))

    return view


amendment_support = _amendment_action(
    lambda request, a: services.amendment_support(amendment=a, actor=request.user, supported=True),
    "You support this amendment.",
)
amendment_unsupport = _amendment_action(
    lambda request, a: services.amendment_support(amendment=a, actor=request.user, supported=False),
    "You no longer support this amendment.",
)
amendment_withdraw = _amendment_action(
    lambda request, a: services.amendment_withdraw(amendment=a, actor=request.user), "Your amendment is withdrawn."
)
