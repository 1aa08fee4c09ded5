"""Named versions: the list, one version as it was frozen, and a comparison of any two, inline
or side by side. Every page reads the versions' snapshots, never today's text."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required

from .. import diffing
from ..rendering import text_html
from ..selectors import version_get, versions_for
from .common import document_for, render_document

VIEWS = ("inline", "side")


@login_required
def version_list(request, slug, pk):
    document = document_for(request, slug, pk)
    return render_document(
        request, "drafting/version_list.html", document, "Versions", versions=list(versions_for(document)),
        can_edit=request.user.has_perm("drafting.change_document", document),
    )  # fmt: skip


def rendered_blocks(snapshot: dict) -> list[dict]:
    return [block | {"html": text_html(block["body"])} for block in snapshot.get("blocks", [])]


@login_required
def version_detail(request, slug, pk, number):
    document = document_for(request, slug, pk)
    version = version_get(document=document, number=number)
    return render_document(
        request, "drafting/version_detail.html", document, f"Version {version.number}: {version.name}",
        version=version, blocks=rendered_blocks(version.snapshot),
        previous=versions_for(document).filter(number__lt=version.number).order_by("-number").first(),
    )  # fmt: skip


def _number(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def version_compare(request, slug, pk):
    """?from=1&to=3&view=inline|side&all=1 (all: show unchanged parts too)."""
    document = document_for(request, slug, pk)
    versions = list(versions_for(document))
    context = {"versions": versions, "view": request.GET.get("view") if request.GET.get("view") in VIEWS else "inline"}
    if len(versions) < 2:
        return render_document(request, "drafting/version_compare.html", document, "Compare versions", **context)
    newest, before = versions[0].number, versions[1].number
    older = version_get(document=document, number=_number(request.GET.get("from"), before))
    newer = version_get(document=document, number=_number(request.GET.get("to"), newest))
    diffs = diffing.diff_snapshots(older.snapshot, newer.snapshot)
    show_all = request.GET.get("all") == "1"
    shown = diffs if show_all else [d for d in diffs if d.status != "unchanged"]
    blocks = {b["id"]: b for b in older.snapshot.get("blocks", [])} | {
        b["id"]: b for b in newer.snapshot.get("blocks", [])
    }
    rows = [_row(diff, blocks.get(diff.id, {}), context["view"]) for diff in shown]
    return render_document(
        request, "drafting/version_compare.html", document, "Compare versions",
        older=older, newer=newer, diffs=rows, summary=diffing.summary(diffs), show_all=show_all, **context,
    )  # fmt: skip


def heading(block: dict) -> str:
    """How the compare page names a part: "Commitment 2.3", "Key area 2: …", a section's title."""
    kind, number = block.get("kind"), block.get("number")
    if kind == "commitment":
        return f"Commitment {number}"
    if kind == "key_area":
        return f"Key area {number}: {block.get('title', '')}"
    return block.get("title") or ("Introduction" if kind == "introduction" else "Section")


def _row(diff: diffing.BlockDiff, block: dict, view: str) -> dict:
    fields = []
    for field in diff.fields:
        if view == "side":
            old_html, new_html = diffing.side_by_side_html(field.ops)
            fields.append({"label": field.label, "old_html": old_html, "new_html": new_html})
        else:
            fields.append({"label": field.label, "html": diffing.inline_html(field.ops)})
    return {
        "id": diff.id,
        "status": diff.status,
        "number_old": diff.number_old,
        "heading": heading(block),
        "fields": fields,
    }
