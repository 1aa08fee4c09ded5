"""What drafting pages share: finding the document for the person asking (404 for anyone
outside the partnership, 403 for a member whose role or the stage does not allow `perm`), and
rendering inside the partnership's pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from compact.partnerships.navigation import get_partnership, render_in

from ..models import Block, Document
from ..selectors import document_get_for_user

ACTIVE = "documents"
STAGE_REFUSED = (
    "You cannot do this now. Editors write and members comment while the document is being drafted or "
    "consulted on; after that the text is frozen."
)


def document_for(request, slug, pk, perm: str | None = None, refused: str = STAGE_REFUSED) -> Document:
    """The document, checking `perm` on it if given (`refused` says why not)."""
    document = document_get_for_user(pk=pk, user=request.user)
    partnership = get_partnership(request, slug)
    if document.partnership_id != partnership.pk:
        raise Http404("No such document")
    if perm and not request.user.has_perm(perm, document):
        raise PermissionDenied(refused)
    return document


def render_document(request, template: str, document: Document, title: str, status: int = 200, **context):
    response = render_in(request, template, document.partnership, ACTIVE, title, document=document, **context)
    response.status_code = status
    return response


def document_url(document: Document, block: Block | None = None) -> str:
    url = reverse("document_detail", args=[document.partnership.slug, document.pk])
    return f"{url}#block-{block.pk}" if block is not None else url


def block_url(name: str, block: Block) -> str:
    return reverse(name, args=[block.document.partnership.slug, block.document_id, block.pk])
