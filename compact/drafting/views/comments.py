"""The discussion page of one block (its text, comment threads and amendments), writing comments
and replies there, and the editors' and members' actions on a comment: resolve, reopen, hide
with a reason, report. Every action works without JavaScript and comes back to the page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compact.core.validation import error_text, save_if_valid

from .. import services
from ..forms.feedback import CommentForm, ReplyForm
from ..selectors import block_get, entry_for
from ..selectors_feedback import amendments_for, comment_get, threads_for
from .common import block_url, document_for, document_url, render_document


def discussion_url(block, anchor: str = "") -> str:
    url = block_url("block_discussion", block)
    return f"{url}#{anchor}" if anchor else url


def block_title(document, block) -> str:
    """How the page names the block: its label in the outline ("Commitment 2.3")."""
    entry = entry_for(document, block)
    if entry is not None:
        return entry.label
    return f"{block.get_kind_display()} (removed from the document)"


def reply_prefix(thread_pk: int) -> str:
    return f"reply-{thread_pk}"


REFUSED_REASON = "drafting.refused_reason"  # session key: a hide or report reason that was refused


def _keep_refused(request, threads) -> None:
    """Put a refused hide or report reason (see _comment_action) back into its comment's form."""
    refused = request.session.pop(REFUSED_REASON, None)
    if refused:
        for comment in [c for thread in threads for c in (thread, *thread.replies.all())]:
            if comment.pk == refused["comment"]:
                comment.refused = refused


@login_required
def block_discussion(request, slug, pk, block_pk):
    posting = request.method == "POST"
    document = document_for(request, slug, pk, "drafting.add_comment" if posting else None)
    block = block_get(document=document, pk=block_pk)
    user = request.user
    form = reply_form = reply_thread = None
    if posting:
        parent = None
        if "parent" in request.POST:
            parent = comment_get(block=block, pk=request.POST["parent"])
            reply_thread = parent.parent_id or parent.pk
            reply_form = ReplyForm(request.POST, prefix=reply_prefix(reply_thread))
        else:
            form = CommentForm(request.POST, block=block)
        saved = save_if_valid(
            request, reply_form or form,
            lambda data: services.comment_add(block=block, actor=user, parent=parent, **data),
        )  # fmt: skip
        if saved:
            messages.success(request, "Your reply is added." if parent else "Your comment is added.")
            return redirect(discussion_url(block, f"comment-{saved.pk}"))
    can_comment = block.removed_at is None and user.has_perm("drafting.add_comment", document)
    if form is None and can_comment:
        form = CommentForm(block=block)
    threads = threads_for(block, user)
    _keep_refused(request, threads)
    for thread in threads:
        if thread.pk == reply_thread:
            thread.reply_form = reply_form
        elif can_comment and thread.hidden_at is None:
            thread.reply_form = ReplyForm(prefix=reply_prefix(thread.pk))
    amendments = amendments_for(block, user)
    for amendment in amendments:
        amendment.can_support = user.has_perm("drafting.support_amendment", amendment)
        amendment.can_withdraw = user.has_perm("drafting.withdraw_amendment", amendment)
        amendment.can_decide = user.has_perm("drafting.decide_amendment", amendment)
    label = block_title(document, block)
    return render_document(
        request, "drafting/discussion.html", document, f"Comments and amendments: {label}",
        part=block, label=label, threads=threads, amendments=amendments, form=form, reply_form=reply_form,
        can_comment=can_comment, can_moderate=user.has_perm("drafting.moderate_comment", document),
        can_report=user.has_perm("drafting.report_comment", document),
        can_amend=block.removed_at is None and user.has_perm("drafting.add_amendment", document),
        back_url=document_url(document, block),
    )  # fmt: skip


MODERATE = "drafting.moderate_comment"
MODERATE_REFUSED = "Only convenors and facilitators can resolve, reopen or hide comments."


def _comment_action(perm: str, act, done: str, keep: str = "", refused: str = MODERATE_REFUSED):
    """A view for one action on a comment of this block (POST only, `perm` needed, `refused`
    says why not): `act(request, comment)` calls the service, then the person comes back to the
    discussion page with `done` or the error in a message. A refused reason for `keep` ("hide",
    "report") comes back in its form with the error beside it (_keep_refused), so nothing typed
    is lost."""

    @login_required
    @require_POST
    def view(request, slug, pk, block_pk, comment_pk):
        document = document_for(request, slug, pk, perm, refused)
        block = block_get(document=document, pk=block_pk)
        comment = comment_get(block=block, pk=comment_pk)
        try:
            act(request, comment)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            if keep:
                reason = request.POST.get("reason", "")[:100_000]
                request.session[REFUSED_REASON] = {"comment": comment.pk, "action": keep, "reason": reason,
                                                   "error": error_text(exc)}  # fmt: skip
        else:
            messages.success(request, done)
        return redirect(discussion_url(block, f"comment-{comment.pk}"))

    return view


def _reason(request) -> str:
    return request.POST.get("reason", "")


comment_resolve = _comment_action(
    MODERATE, lambda request, c: services.comment_resolve(comment=c, actor=request.user, resolved=True),
    "The thread is resolved.",
)  # fmt: skip
comment_reopen = _comment_action(
    MODERATE, lambda request, c: services.comment_resolve(comment=c, actor=request.user, resolved=False),
    "The thread is open again.",
)  # fmt: skip
comment_hide = _comment_action(
    MODERATE, lambda request, c: services.comment_hide(comment=c, actor=request.user, reason=_reason(request)),
    "The comment is hidden. Everyone sees your reason in its place.", keep="hide",
)  # fmt: skip
comment_report = _comment_action(
    "drafting.report_comment",
    lambda request, c: services.comment_report(comment=c, actor=request.user, reason=_reason(request)),
    "Thank you. The editors will look at the comment.", keep="report",
    refused="Only members of the partnership can report comments.",
)  # fmt: skip
