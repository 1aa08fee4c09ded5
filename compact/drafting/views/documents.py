"""The document page (read by every member; editors see their controls), the partnership's list
of documents, creating one, cutting a version and the Markdown preview."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from compact.core.forms import post_data
from compact.core.richtext import markdown_to_html
from compact.core.validation import save_if_valid
from compact.partnerships.navigation import REFUSED, get_partnership, render_in
from compact.processes.models import Process

from .. import outline, services
from ..forms.editing import DocumentForm, VersionForm
from ..models import BODY_MAX, Document
from ..selectors import document_outline, versions_for, with_tags
from ..selectors_sources import attach_sources
from .common import ACTIVE, document_for, document_url, render_document


@login_required
def document_list(request, slug):
    partnership = get_partnership(request, slug)
    documents = (
        Document.objects.filter(partnership=partnership).select_related("process").order_by("process__title", "title")
    )
    # Stages prefetched: the permission reads each process's current stage.
    processes = Process.objects.filter(partnership=partnership).prefetch_related("stages")
    processes = [p for p in processes if request.user.has_perm("drafting.add_document", p)]
    return render_in(
        request, "drafting/document_list.html", partnership, ACTIVE, "Documents",
        documents=documents, addable=processes,
    )  # fmt: skip


@login_required
def document_create(request, slug, process_slug):
    partnership = get_partnership(request, slug)
    process = get_object_or_404(Process, partnership=partnership, slug=process_slug)
    if not request.user.has_perm("drafting.add_document", process):
        raise PermissionDenied(REFUSED)
    form = DocumentForm(post_data(request), initial={"title": process.title})
    request_key = request.POST.get("request_key") or uuid.uuid4().hex
    document = save_if_valid(
        request, form,
        lambda data: services.document_create(process=process, actor=request.user, request_key=request_key, **data),
    )  # fmt: skip
    if document:
        messages.success(
            request, "The document is ready. Start with the introduction, or add commitments under each key area."
        )
        return redirect(document_url(document))
    return render_in(
        request, "drafting/document_form.html", partnership, ACTIVE, f"Start the document for {process.title}",
        form=form, request_key=request_key, cancel_url=process_url(process),
    )  # fmt: skip


def process_url(process) -> str:
    return reverse("process_detail", args=[process.partnership.slug, process.slug])


@login_required
def document_detail(request, slug, pk):
    document = document_for(request, slug, pk)
    user = request.user
    entries, part = outline.one_key_area(document_outline(document), request.GET.get("part", ""))
    with_tags(entries)
    attach_sources(document, entries, user)  # "Where this came from" for every commitment shown
    return render_document(
        request, "drafting/document_detail.html", document, document.title,
        entries=entries, part=part, versions=list(versions_for(document)[:5]),
        can_edit=user.has_perm("drafting.change_document", document),
        can_comment=user.has_perm("drafting.add_comment", document),
        can_amend=user.has_perm("drafting.add_amendment", document),
        can_link=user.has_perm("drafting.link_sources", document),
        block_path=reverse("document_detail", args=[slug, document.pk]) + "blocks/",
    )  # fmt: skip


@login_required
def version_cut(request, slug, pk):
    document = document_for(request, slug, pk, "drafting.change_document")
    form = VersionForm(post_data(request))
    version = save_if_valid(
        request, form, lambda data: services.version_cut(document=document, actor=request.user, **data)
    )
    if version:
        messages.success(request, f"Version {version.number}, “{version.name}”, is saved. It will not change.")
        return redirect("version_detail", slug, document.pk, version.number)
    return render_document(
        request, "drafting/version_form.html", document, "Save a version", form=form, cancel_url=document_url(document)
    )


@login_required
@require_POST
def markdown_preview(request, slug, pk):
    """The sanitised HTML a Markdown text will show as (for the live preview beside a text box)."""
    document_for(request, slug, pk)
    text = request.POST.get("text", "")[: BODY_MAX + 1]
    return TemplateResponse(request, "drafting/partials/preview.html", {"html": markdown_to_html(text)})
