"""Editing the document one block at a time: add, edit, move, remove. A save made against an
older text (someone else saved the block meanwhile) answers with the conflict page (409): both
texts, what differs, and the person's own words in the form, ready to merge and save."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.validation import add_errors, error_text, save_if_valid

from .. import services
from ..forms.editing import BlockForm, RemoveForm
from ..models import BlockKind
from ..selectors import block_get, entry_for
from ..services import EditConflict
from ..services.documents import INTRODUCTION_STAYS
from .common import document_for, document_url, render_document
from .conflicts import conflict_context

ADDABLE = {"section": BlockKind.SECTION, "key-area": BlockKind.KEY_AREA, "commitment": BlockKind.COMMITMENT}
NEW_TITLES = {
    BlockKind.SECTION: "Add a section",
    BlockKind.KEY_AREA: "Add a key area",
    BlockKind.COMMITMENT: "Add a commitment",
}


def block_initial(block) -> dict:
    return {
        "lock_version": block.lock_version, "section_kind": block.section_kind, "title": block.title,
        "statement": block.statement, "body": block.body, "committed_by": block.committed_by,
        "tags": list(block.tags.all()),
    }  # fmt: skip


def _texts(data: dict) -> dict:
    """The service's keywords from a cleaned BlockForm (fields the form left out stay None)."""
    return {name: data.get(name) for name in ("title", "statement", "body", "committed_by", "tags")}


@login_required
def block_add(request, slug, pk, kind):
    document = document_for(request, slug, pk, "drafting.change_document")
    if kind not in ADDABLE:
        raise Http404("No such kind of block")
    kind = ADDABLE[kind]
    parent = None
    if kind == BlockKind.COMMITMENT:
        parent = block_get(document=document, pk=request.GET.get("under") or request.POST.get("under") or 0)
        if parent.kind != BlockKind.KEY_AREA:  # the link always names a key area
            raise Http404("Commitments go under a key area")
    form = BlockForm(post_data(request), kind=kind, partnership=document.partnership, new=True)
    block = save_if_valid(
        request, form,
        lambda data: services.block_add(
            document=document, actor=request.user, kind=kind, parent=parent,
            section_kind=data.get("section_kind", ""), **_texts(data),
        ),
    )  # fmt: skip
    if block:
        messages.success(request, "Added.")
        return redirect(document_url(document, block))
    caption = f"Under key area: {parent.title}" if parent else document.title
    return render_document(
        request, "drafting/block_form.html", document, NEW_TITLES[kind], form=form, caption=caption,
        under=parent, cancel_url=document_url(document, parent),
    )  # fmt: skip


@login_required
def block_edit(request, slug, pk, block_pk):
    document = document_for(request, slug, pk, "drafting.change_document")
    block = block_get(document=document, pk=block_pk)
    if block.removed_at is not None:
        raise Http404("This part of the document was removed")
    form = BlockForm(
        post_data(request), kind=block.kind, partnership=document.partnership, initial=block_initial(block)
    )
    entry = entry_for(document, block)
    title = f"Edit {entry.label if entry else block.get_kind_display().lower()}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.block_update(
                block=block, actor=request.user, lock_version=data["lock_version"], **_texts(data)
            )
        except EditConflict as conflict:
            return render_document(
                request, "drafting/conflict.html", document, "Someone else changed this while you were editing",
                status=409, **conflict_context(conflict, form, document.partnership, cancel_url=document_url(document, block)),
            )  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(document_url(document, saved))
    return render_document(
        request, "drafting/block_form.html", document, title, form=form, target=block, caption=document.title,
        cancel_url=document_url(document, block),
    )  # fmt: skip


@login_required
@require_POST
def block_move(request, slug, pk, block_pk, direction):
    document = document_for(request, slug, pk, "drafting.change_document")
    block = block_get(document=document, pk=block_pk)
    try:
        services.block_move(block=block, actor=request.user, direction=direction)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(document_url(document, block))


@login_required
def block_remove(request, slug, pk, block_pk):
    document = document_for(request, slug, pk, "drafting.change_document")
    block = block_get(document=document, pk=block_pk)
    if block.removed_at is not None:
        messages.info(request, "That part was already removed.")
        return redirect(document_url(document))
    if block.kind == BlockKind.INTRODUCTION:
        raise PermissionDenied(INTRODUCTION_STAYS)
    form = RemoveForm(post_data(request), initial={"lock_version": block.lock_version})
    entry = entry_for(document, block)
    if request.method == "POST" and form.is_valid():
        try:
            services.block_remove(block=block, actor=request.user, lock_version=form.cleaned_data["lock_version"])
        except EditConflict:
            messages.error(request, "Someone changed this part since you opened it. Read it again before removing it.")
            return redirect(document_url(document, block))
        else:
            messages.success(
                request, f"{entry.label if entry else 'That part'} is removed. Earlier versions still show it."
            )
            return redirect(document_url(document))
    return render_document(
        request, "drafting/block_remove.html", document, f"Remove {entry.label if entry else 'this part'}?",
        form=form, target=block, cancel_url=document_url(document, block),
    )  # fmt: skip
