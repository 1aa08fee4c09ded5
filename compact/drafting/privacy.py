"""What drafting holds about a person, for "Your data", and what erasing them changes.

Exported: comments and replies they wrote, amendments they proposed (with what became of
them), their support for amendments, comments they reported, the consultation invitations sent
to them and their responses (with every answer), the accounts they wrote as an editor of what was
done with feedback ("You said, we did"), their reasons for hiding comments, and the sources they
linked to commitments with their notes ("Where this came from").

On erasure their contributions stay: comments, amendments, supports, reports and answers are the
record of how the text was agreed, like votes and ideas elsewhere. They point to the account,
which the erasure anonymises, so they read "Erased user". What names them beyond that link goes:
a response's name and email are blanked; an invitation sent to them keeps its place in the
round's response rates with a marker in place of the address, unless the round is still to
close and they have not answered, when it is deleted, so its link stops working and no reminder
goes out. The audit log is append-only and is never changed here."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from . import outline
from .models import (
    AGREE_SCALE,
    Amendment,
    AmendmentSupport,
    Answer,
    Block,
    Comment,
    CommentReport,
    Invitation,
    Response,
    SourceLink,
)  # fmt: skip
from .services.sources import KIND_NAMES

SCALE = dict(AGREE_SCALE)


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _organisation(row) -> str:
    return row.on_behalf_of.name if row.on_behalf_of_id else ""


def _labels(document_ids) -> dict[int, str]:
    """How pages name each block of these documents ("Commitment 2.3"), in one query. A removed
    block has no number any more, so it says so."""
    by_document = defaultdict(list)
    fields = ("pk", "document_id", "kind", "parent_id", "position", "removed_at", "title")  # what outline needs
    for block in Block.objects.filter(document_id__in=set(document_ids)).only(*fields):
        by_document[block.document_id].append(block)
    labels = {}
    for blocks in by_document.values():
        for block in blocks:
            labels[block.pk] = f"{block.get_kind_display()} (removed from the document)"
        for entry in outline.flatten(outline.build(blocks)):
            labels[entry.block.pk] = entry.label
    return labels


def _invitations(user):
    match = Q(user=user)
    if user.email:
        match |= Q(email__iexact=user.email)
    return Invitation.objects.filter(match)


def _responses(user):
    match = Q(respondent=user) | Q(invitation__in=_invitations(user))
    if user.email:
        match |= Q(email__iexact=user.email)
    return Response.objects.filter(match)


def _answer(answer: Answer) -> dict:
    return {
        "question": answer.question.text, "scale": SCALE.get(answer.scale, ""), "text": answer.text,
        "outcome": answer.get_outcome_display(), "outcome_note": answer.outcome_note,
    }  # fmt: skip


def _response(response: Response) -> dict:
    return {
        "round": response.round.title, "document": response.round.document.title,
        "submitted": _when(response.submitted_at), "name": response.name, "email": response.email,
        "on_behalf_of": response.speaks_for, "organisation_kind": response.organisation_kind,
        "borough": str(response.borough or ""), "answers": [_answer(a) for a in response.answers.all()],
    }  # fmt: skip


ACCOUNTED = {Comment: "comment", Amendment: "amendment", Answer: "consultation answer"}


def _document_and_block(item) -> tuple:
    if isinstance(item, Answer):
        return item.question.round.document, item.question.block_id
    return item.document, item.block_id


def _outcomes_written(user) -> list[dict]:
    """The editors' accounts this person wrote, on comments, amendments and answers alike."""
    items = [
        *Comment.objects.filter(outcome_by=user).select_related("document"),
        *Amendment.objects.filter(outcome_by=user).select_related("document"),
        *Answer.objects.filter(outcome_by=user).select_related("question__round__document"),
    ]
    labels = _labels(_document_and_block(item)[0].pk for item in items)
    rows = []
    for item in sorted(items, key=lambda item: _when(item.outcome_at) or ""):
        document, block_id = _document_and_block(item)
        part = labels.get(block_id, "The whole document")  # a question may be on no key area
        rows.append(
            {"on": ACCOUNTED[type(item)], "document": document.title, "part": part,
             "outcome": item.get_outcome_display(), "note": item.outcome_note, "written": _when(item.outcome_at)}
        )  # fmt: skip
    return rows


def export(user) -> dict:
    comments = list(Comment.objects.filter(author=user).select_related("document", "on_behalf_of"))
    amendments = list(Amendment.objects.filter(proposer=user).select_related("document", "on_behalf_of"))
    supports = list(
        AmendmentSupport.objects.filter(supporter=user).select_related("amendment__document", "on_behalf_of")
    )
    reports = list(CommentReport.objects.filter(reporter=user).select_related("comment__document"))
    hidden = list(Comment.objects.filter(hidden_by=user).select_related("document"))
    linked = list(SourceLink.objects.filter(added_by=user).select_related("block__document"))
    labels = _labels(
        [c.document_id for c in comments + hidden] + [a.document_id for a in amendments]
        + [s.amendment.document_id for s in supports] + [r.comment.document_id for r in reports]
        + [link.block.document_id for link in linked]
    )  # fmt: skip
    responses = _responses(user).select_related("round__document", "on_behalf_of", "borough")
    return {
        "comments": [
            {"document": c.document.title, "part": labels[c.block_id], "text": c.body, "quote": c.quote,
             "reply": c.parent_id is not None, "written": _when(c.created_at), "on_behalf_of": _organisation(c),
             "hidden_by_the_editors": c.hidden_at is not None}
            for c in comments
        ],
        "amendments": [
            {"document": a.document.title, "part": labels[a.block_id], "heading": a.title, "statement": a.statement,
             "text": a.body, "reason": a.reason, "status": a.get_status_display(),
             "decision_reason": a.decision_reason, "proposed": _when(a.created_at), "on_behalf_of": _organisation(a)}
            for a in amendments
        ],
        "amendments_supported": [
            {"document": s.amendment.document.title, "part": labels[s.amendment.block_id],
             "amendment_reason": s.amendment.reason, "supported": _when(s.created_at), "on_behalf_of": _organisation(s)}
            for s in supports
        ],
        "comments_reported": [
            {"document": r.comment.document.title, "part": labels[r.comment.block_id], "reason": r.reason,
             "reported": _when(r.created_at), "dealt_with": r.dealt_with_at is not None}
            for r in reports
        ],
        "comments_hidden": [
            {"document": c.document.title, "part": labels[c.block_id], "reason": c.hidden_reason,
             "hidden": _when(c.hidden_at)}
            for c in hidden
        ],
        "consultation_invitations": [
            {"round": i.round.title, "email": i.email, "organisation": str(i.organisation or ""),
             "sent": _when(i.sent_at)}
            for i in _invitations(user).select_related("round", "organisation").order_by("created_at", "pk")
        ],
        "consultation_responses": [
            _response(r) for r in responses.prefetch_related("answers__question").order_by("submitted_at", "pk")
        ],
        "outcome_notes_written": _outcomes_written(user),
        "sources_linked": [
            {"document": link.block.document.title, "part": labels[link.block_id], "kind": KIND_NAMES[link.kind],
             "note": link.note, "linked": _when(link.added_at)}
            for link in linked
        ],
    }  # fmt: skip


def _marker(user, pk: int) -> str:
    """Not an address anyone reads (.invalid never resolves), unique per invitation as the
    round's constraint needs, and valid for the email field."""
    return f"erased-{user.pk}-{pk}@erased.invalid"


def erase(user) -> None:
    """Blank what names the person in consultation rows. Runs inside `user_erase`, before the
    account's email is changed, so rows matched by email are found."""
    _responses(user).update(name="", email="")
    now = timezone.now()
    invitations = list(_invitations(user).select_related("round").prefetch_related("responses"))
    pending = [i.pk for i in invitations if i.round.closes_at > now and not i.responses.all()]
    Invitation.objects.filter(pk__in=pending).delete()
    kept = [i for i in invitations if i.pk not in pending]
    for invitation in kept:
        invitation.email, invitation.user, invitation.updated_at = _marker(user, invitation.pk), None, now
    Invitation.objects.bulk_update(kept, ["email", "user", "updated_at"])
