"""Facilitators tidy the wall: hide an idea (with a reason, kept in the audit log), fix a typo
(the first wording is kept) and merge duplicates (the merged idea keeps its author and its dot
votes, which count toward the idea it went into). Nothing is deleted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from compact.activity.services import audit_record
from compact.core.services import require_perm

from ..embedding_tasks import embed_later
from ..models import Idea
from ..selectors_live import idea_public
from .events import wall_event
from .ideas import validate_text

MAX_REASON = Idea._meta.get_field("hidden_reason").max_length
MODERATE = "Only a convenor or facilitator can moderate the wall of a live or ended workshop."


def _locked(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().select_related("workshop").get(pk=idea.pk)


def _with_count(idea: Idea) -> Idea:
    idea.merged_count = Idea.objects.filter(merged_into=idea).aggregate(n=Count("pk"))["n"]
    return idea


@transaction.atomic
def idea_hide(*, idea: Idea, actor, reason: str) -> Idea:
    workshop = idea.workshop
    require_perm(actor, "workshops.facilitate", workshop, MODERATE)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Enter why you are hiding this idea"})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"The reason must be {MAX_REASON} characters or fewer"})
    idea = _locked(idea)
    if idea.hidden:
        raise ValidationError({"reason": "This idea is already hidden"})
    idea.hidden, idea.hidden_reason = True, reason
    idea.save(update_fields=["hidden", "hidden_reason"])
    audit_record(
        actor=actor, action="workshop.hide_idea", obj=idea, partnership_id=workshop.partnership_id,
        changes={"reason": reason, "text": idea.text},
    )  # fmt: skip
    wall_event(workshop, "idea_removed", {"id": idea.pk, "prompt": idea.prompt_id})
    return idea


@transaction.atomic
def idea_show(*, idea: Idea, actor) -> Idea:
    """Put a hidden idea back on the wall."""
    workshop = idea.workshop
    require_perm(actor, "workshops.facilitate", workshop, MODERATE)
    idea = _locked(idea)
    if not idea.hidden:
        return idea
    idea.hidden, idea.hidden_reason = False, ""
    idea.save(update_fields=["hidden", "hidden_reason"])
    audit_record(actor=actor, action="workshop.show_idea", obj=idea, partnership_id=workshop.partnership_id)
    if idea.merged_into_id is None:
        wall_event(workshop, "idea", idea_public(_with_count(idea)))
    return idea


@transaction.atomic
def idea_edit(*, idea: Idea, actor, text: str) -> Idea:
    """Fix a typo. The first wording stays in original_text; the wall shows "edited"."""
    workshop = idea.workshop
    require_perm(actor, "workshops.facilitate", workshop, MODERATE)
    text = validate_text(text)
    idea = _locked(idea)
    if text == idea.text:
        return idea
    before = idea.text
    idea.original_text = idea.original_text or before
    idea.text, idea.edited_at = text, timezone.now()
    idea.save(update_fields=["text", "original_text", "edited_at"])
    audit_record(
        actor=actor, action="workshop.edit_idea", obj=idea, partnership_id=workshop.partnership_id,
        changes={"text": [before, text]},
    )  # fmt: skip
    if not idea.hidden and idea.merged_into_id is None:
        wall_event(workshop, "idea", idea_public(_with_count(idea)))
    embed_later(idea.pk)
    return idea


@transaction.atomic
def idea_merge(*, idea: Idea, into: Idea, actor) -> Idea:
    """Merge `idea` (a duplicate) into `into`. Ideas already merged into `idea` move with it,
    so merges never chain. Returns the idea that stays on the wall."""
    workshop = idea.workshop
    require_perm(actor, "workshops.facilitate", workshop, MODERATE)
    if into.workshop_id != idea.workshop_id:
        raise ValidationError({"into": "Choose an idea from this workshop"})
    # Lock both rows in id order so two facilitators merging the same pair cannot deadlock.
    locked = {i.pk: i for i in Idea.objects.select_for_update().filter(pk__in=[idea.pk, into.pk]).order_by("pk")}
    idea, into = locked[idea.pk], locked.get(into.pk)
    if into is None or into.pk == idea.pk:
        raise ValidationError({"into": "Choose a different idea to merge this one into"})
    if into.merged_into_id is not None:
        into = Idea.objects.select_for_update().get(pk=into.merged_into_id)
        if into.pk == idea.pk:
            raise ValidationError({"into": "That idea was merged into this one: choose a different idea"})
    if into.hidden:
        raise ValidationError({"into": "Choose an idea that is on the wall, not a hidden one"})
    if idea.merged_into_id is not None:
        raise ValidationError({"into": "This idea has already been merged"})
    moved = list(Idea.objects.filter(merged_into=idea).values_list("pk", flat=True))
    Idea.objects.filter(merged_into=idea).update(merged_into=into)
    idea.merged_into = into
    idea.save(update_fields=["merged_into"])
    audit_record(
        actor=actor, action="workshop.merge_idea", obj=idea, partnership_id=workshop.partnership_id,
        changes={"into": into.pk, "text": idea.text, "into_text": into.text, "moved": moved},
    )  # fmt: skip
    wall_event(workshop, "idea_merged", {"id": idea.pk, "into": into.pk, "prompt": idea.prompt_id})
    wall_event(workshop, "idea", idea_public(_with_count(into)))
    return into
