"""Traceability pages: "Where this came from" for one commitment (what is linked to it, by kind,
with notes; for editors a picker that searches and links, and an Unlink button on each link),
and the coverage of the process's workshop themes. Everything works without JavaScript: the
search is a GET form, each result has its own small POST form."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from compact.core.validation import error_messages, error_text

from .. import services
from ..selectors import block_get, is_id
from ..selectors_sources import (
    KIND_HEADINGS,
    KIND_ORDER,
    coverage,
    grouped,
    link_get,
    search_text,
    source_candidates,
    source_target_get,
    sources_by_block,
)
from ..services.sources import CHOOSE_KIND, KIND_NAMES
from .comments import block_title
from .common import block_url, document_for, document_url, render_document

DEFAULT_KIND = "theme"
PICK_KINDS = [(kind, KIND_HEADINGS[kind]) for kind in KIND_ORDER]


def sources_url(block, **query) -> str:
    url = block_url("block_sources", block)
    query = {name: value for name, value in query.items() if value}
    return f"{url}?{urlencode(query)}#results" if query else url


def _commitment(request, slug, pk, block_pk, perm: str | None = None):
    document = document_for(request, slug, pk, perm)
    block = block_get(document=document, pk=block_pk)
    if not block.is_commitment:
        raise Http404("Only commitments have sources")
    return document, block


def _not_found(kind: str) -> ValidationError:
    return ValidationError(
        {"target": f"We could not find that {KIND_NAMES[kind]}. It may have been removed: search again."}
    )


@login_required
def block_sources(request, slug, pk, block_pk):
    """GET: the commitment's sources and, for editors, the picker. POST (editors): link one."""
    posting = request.method == "POST"
    document, block = _commitment(request, slug, pk, block_pk, "drafting.link_sources" if posting else None)
    data = request.POST if posting else request.GET
    kind = data.get("kind") if data.get("kind") in KIND_NAMES else DEFAULT_KIND
    q = search_text(data.get("q", ""))
    label = block_title(document, block)
    errors, failed, note = {}, None, ""
    if posting:
        failed, note = request.POST.get("target", ""), request.POST.get("note", "")
        try:
            if data.get("kind") not in KIND_NAMES:  # only an altered form sends another kind
                raise ValidationError({"kind": CHOOSE_KIND})
            target = source_target_get(document=document, kind=kind, pk=failed)
            if target is None:
                raise _not_found(kind)
            services.source_link_add(block, request.user, kind=kind, target=target, note=note)
        except ValidationError as exc:
            errors = error_messages(exc)
        else:
            messages.success(request, f"The {KIND_NAMES[kind]} is linked to {label}.")
            return redirect(sources_url(block, kind=kind, q=q))
    can_link = block.removed_at is None and request.user.has_perm("drafting.link_sources", document)
    sources = sources_by_block(document, [block.pk], request.user).get(block.pk, [])
    failed = int(failed) if failed and is_id(failed) else None
    anchor = "pick-kind" if "kind" in errors else f"note-{failed}" if failed and "note" in errors else "results"
    return render_document(
        request, "drafting/sources.html", document, ("Error: " if errors else "") + f"Where this came from: {label}",
        status=400 if errors else 200, part=block, label=label, groups=grouped(sources), can_link=can_link,
        kinds=PICK_KINDS, kind=kind, q=q, kind_name=KIND_NAMES[kind], kind_heading=KIND_HEADINGS[kind],
        candidates=source_candidates(document=document, block=block, kind=kind, q=q) if can_link else None,
        errors=errors, failed=failed, note=note, back_url=document_url(document, block), error_anchor=anchor,
    )  # fmt: skip


@login_required
@require_POST
def source_unlink(request, slug, pk, block_pk, link_pk):
    document, block = _commitment(request, slug, pk, block_pk, "drafting.link_sources")
    link = link_get(block=block, pk=link_pk)
    kind = link.kind
    try:
        services.source_link_remove(link, request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"The {KIND_NAMES[kind]} is no longer linked to {block_title(document, block)}.")
    return redirect(sources_url(block))


@login_required
def document_coverage(request, slug, pk):
    """Which of the process's workshop themes the document has taken up, and which it has not."""
    document = document_for(request, slug, pk, "drafting.view_document")
    return render_document(
        request, "drafting/coverage.html", document, "Coverage of workshop themes", coverage=coverage(document)
    )
