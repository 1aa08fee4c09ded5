"""Amendments: a participant proposes new wording for one block with a reason; others support
it; the proposer may withdraw it; editors accept it (the wording becomes the block's text and the
next version credits the proposer), mark it partly taken (with the wording they took), or reject
it with a public reason. Accepting wording written against an older text raises EditConflict,
so the editor merges on the same conflict page as two editors would."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compact.core.services import require_perm

from ..models import Amendment, AmendmentStatus, AmendmentSupport, Block, BlockKind, Outcome
from ._common import (
    FROZEN,
    EditConflict,
    clean_text,
    earlier_request,
    full_clean_into,
    lock_block,
    record,
    save_once,
    speaking_for,
)
from .documents import block_update

# Which texts an amendment may change, by kind of block.
AMENDABLE = {
    BlockKind.INTRODUCTION: ("body",),
    BlockKind.SECTION: ("title", "body"),
    BlockKind.KEY_AREA: ("title", "body"),
    BlockKind.COMMITMENT: ("statement", "body"),
}
DECISIONS = {
    "accept": (AmendmentStatus.ACCEPTED, Outcome.CHANGED),
    "partly": (AmendmentStatus.PARTLY, Outcome.PARTLY),
    "reject": (AmendmentStatus.REJECTED, Outcome.NOT_CHANGED),
}
NOT_OPEN = "This amendment has already been decided or withdrawn."
DECIDE_REFUSED = "Only convenors and facilitators decide amendments, while the document is open for changes."


def fields_for(block: Block) -> tuple[str, ...]:
    return AMENDABLE[block.kind]


@transaction.atomic
def amendment_propose(
    *, block: Block, actor, reason: str, base_lock_version: int, title: str | None = None,
    statement: str | None = None, body: str | None = None, on_behalf: bool = False, request_key: str = "",
    round=None,
) -> Amendment:  # fmt: skip
    """Propose new wording. Texts left out (None) are kept as they are. Raises EditConflict when
    the block changed since the person opened it, so they can check their wording still fits."""
    block = lock_block(block)
    document = block.document
    require_perm(actor, "drafting.add_amendment", document, FROZEN)
    request_key = str(request_key or "")[:64]
    if existing := earlier_request(Amendment.objects.filter(proposer=actor), request_key):
        return existing
    if block.removed_at is not None:
        raise ValidationError("This part was removed from the document, so it cannot be amended.")
    proposed = {"title": title, "statement": statement, "body": body}
    if int(base_lock_version) != block.lock_version:
        raise EditConflict(block, proposed | {"lock_version": base_lock_version})
    errors: dict = {}
    amendment = Amendment(
        document=document, block=block, proposer=actor, base_lock_version=block.lock_version, round=round,
        base_title=block.title, base_statement=block.statement, base_body=block.body, request_key=request_key,
    )  # fmt: skip
    for name in ("title", "statement", "body"):
        value = proposed[name] if name in fields_for(block) else None
        text = getattr(block, name) if value is None else clean_text(value, name, errors, one_line=name == "title")
        setattr(amendment, name, text)
    if all(getattr(amendment, name) == getattr(block, name) for name in fields_for(block)):
        errors.setdefault(
            fields_for(block)[0], "Your wording is the same as the current text. Change it, or leave a comment instead."
        )
    if block.kind == BlockKind.COMMITMENT and not amendment.statement:
        errors.setdefault("statement", "Enter the commitment as you would word it")
    amendment.reason = clean_text(reason, "reason", errors)
    if not amendment.reason:
        errors.setdefault("reason", "Say why you propose this change")
    try:
        amendment.on_behalf_of = speaking_for(document, actor, on_behalf)
    except ValidationError as error:
        errors.update(error.message_dict)
    full_clean_into(amendment, errors, whole="reason")
    amendment, created = save_once(amendment, Amendment.objects.filter(proposer=actor), request_key)
    if not created:
        return amendment
    record(document, actor, "drafting.amendment_propose", obj=amendment, changes={"block": block.pk})
    return amendment


@transaction.atomic
def amendment_support(*, amendment: Amendment, actor, supported: bool = True, on_behalf: bool = False) -> Amendment:
    """Add (or take back) the actor's support. Supporting twice counts once."""
    require_perm(actor, "drafting.support_amendment", amendment, "You cannot support this amendment now.")
    if supported and Block.objects.filter(pk=amendment.block_id, removed_at__isnull=False).exists():
        raise ValidationError("This part was removed from the document, so the amendment cannot take new support.")
    if supported:
        organisation = speaking_for(amendment.document, actor, on_behalf)
        AmendmentSupport.objects.update_or_create(
            amendment=amendment, supporter=actor, defaults={"on_behalf_of": organisation}
        )
    else:
        AmendmentSupport.objects.filter(amendment=amendment, supporter=actor).delete()
    record(amendment.document, actor, "drafting.amendment_support", obj=amendment, changes={"supported": supported})
    return amendment


@transaction.atomic
def amendment_withdraw(*, amendment: Amendment, actor) -> Amendment:
    amendment = Amendment.objects.select_for_update().select_related("document__process").get(pk=amendment.pk)
    require_perm(actor, "drafting.withdraw_amendment", amendment, "Only its proposer can withdraw an open amendment.")
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.decided_at, amendment.decided_by = timezone.now(), actor
    amendment.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    record(amendment.document, actor, "drafting.amendment_withdraw", obj=amendment)
    return amendment


@transaction.atomic
def amendment_decide(
    *, amendment: Amendment, actor, decision: str, reason: str = "", lock_version: int | None = None,
    title: str | None = None, statement: str | None = None, body: str | None = None,
) -> Amendment:  # fmt: skip
    """Accept, take partly, or reject. Accepting applies the amendment's wording, or the merged
    wording given (with the block's current `lock_version`) after a conflict; taking partly
    applies the wording the editor gives. Rejecting and taking partly need a reason, shown to
    everyone."""
    amendment = Amendment.objects.select_for_update().select_related("document__process", "block").get(pk=amendment.pk)
    refusal = NOT_OPEN if amendment.status != AmendmentStatus.OPEN else DECIDE_REFUSED
    require_perm(actor, "drafting.decide_amendment", amendment, refusal)
    if amendment.block.removed_at is not None and decision != "reject":
        raise ValidationError(
            "The part this amendment changes was removed from the document. Reject it, giving that reason."
        )
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Choose accept, partly taken or reject"})
    errors: dict = {}
    reason = clean_text(reason, "reason", errors)
    if decision != "accept" and not reason:
        errors["reason"] = "Give the reason: the proposer and everyone reading will see it"
    if errors:
        raise ValidationError(errors)
    if decision != "reject":
        _apply(amendment, actor, decision, lock_version, {"title": title, "statement": statement, "body": body})
    status, outcome = DECISIONS[decision]
    now = timezone.now()
    amendment.status, amendment.decided_by, amendment.decided_at, amendment.decision_reason = status, actor, now, reason
    amendment.outcome, amendment.outcome_note, amendment.outcome_by, amendment.outcome_at = outcome, reason, actor, now
    amendment.save()
    record(amendment.document, actor, f"drafting.amendment_{decision}", obj=amendment, changes={"status": status})
    return amendment


def _apply(amendment: Amendment, actor, decision: str, lock_version: int | None, given: dict) -> None:
    block = lock_block(amendment.block)
    names = fields_for(block)
    merged = lock_version is not None
    if decision == "partly" and not merged:
        raise ValidationError({"body": "Give the wording you are taking, starting from the current text"})
    texts = {name: getattr(amendment, name) for name in names}
    if merged:  # the editor's wording, where given, over the amendment's
        texts |= {name: given[name] for name in names if given[name] is not None}
    start = int(lock_version) if merged else amendment.base_lock_version
    if start != block.lock_version:
        raise EditConflict(block, texts | {"lock_version": start})
    block_update(block=block, actor=actor, lock_version=start, action="drafting.amendment_apply", **texts)
