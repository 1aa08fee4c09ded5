"""What the drafting services share: text cleaning, row locks, the audit entry and the
conflict raised when a block changed since the editor loaded it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compact.activity.services import audit_record
from compact.core.validation import clean_text, full_clean_into  # noqa: F401  (re-exported)
from compact.partnerships.models import Membership

from ..models import Block, Document

FROZEN = (
    "This document can no longer be changed: the process has moved past drafting and consultation. "
    "A convenor can reopen drafting from the process settings."
)

RUN_REFUSED = (
    "Only the partnership's convenors and facilitators run consultation rounds, while the process is at consultation."
)


class EditConflict(Exception):
    """The block changed since the person started editing (its lock_version moved on).
    Carries the block as it is now and the texts the person submitted, so the conflict page
    can show both and nothing typed is lost."""

    def __init__(self, block: Block, submitted: dict):
        super().__init__(f"Block {block.pk} changed since version {submitted.get('lock_version')}")
        self.block = block
        self.submitted = submitted


def lock_block(block: Block) -> Block:
    return Block.objects.select_for_update().select_related("document__process").get(pk=block.pk)


def lock_document(document: Document) -> Document:
    return Document.objects.select_for_update().select_related("process").get(pk=document.pk)


def record(document: Document, actor, action: str, obj=None, changes: dict | None = None) -> None:
    """Audit entry for a drafting change: field names, ids and states, never the text."""
    audit_record(
        actor=actor, action=action, obj=obj or document, partnership_id=document.partnership_id, changes=changes
    )


def speaking_for(document: Document, actor, on_behalf: bool):
    """The organisation `actor` speaks for in this partnership, when they say they write on its
    behalf (their membership names it); None when they write for themselves."""
    if not on_behalf:
        return None
    membership = (
        Membership.objects.filter(partnership_id=document.partnership_id, user=actor)
        .select_related("organisation")
        .first()
    )
    if membership is None or membership.organisation is None:
        raise ValidationError(
            {
                "on_behalf": "Your membership does not name an organisation. Ask a convenor to add it, or write for yourself."
            }
        )
    return membership.organisation


def earlier_request(queryset, request_key: str):
    """What the same form sent before (a double click, a resend), or None."""
    return queryset.filter(request_key=request_key).first() if request_key else None


def save_once(instance, queryset, request_key: str):
    """Save `instance`, unless a request with the same key won the race meanwhile: then return
    what that request saved. Returns (object, created)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        existing = earlier_request(queryset, request_key)
        if existing is None:
            raise
        return existing, False
    return instance, True
