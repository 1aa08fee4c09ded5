"""Adding ideas to the wall: by participants (signed in or joined with the code) and by
facilitators "on behalf of" a table (paper notes).

An idea the server accepted is never lost and never doubled: each submission carries an
idempotency key (unique per workshop), so a retry after a dropped connection returns the idea
already saved, also when two copies arrive at once (the unique constraint decides)."""

from __future__ import annotations

import time
import unicodedata
import uuid

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from compact.activity.services import audit_record
from compact.core.services import require_perm

from ..embedding_tasks import embed_later
from ..models import MAX_IDEA_CHARS, Idea, Participant, Prompt, Workshop
from ..rules import accepting_ideas
from ..selectors_live import idea_public
from .events import wall_event
from .participants import NOT_TAKING_IDEAS, participant_for_user

MAX_TABLE_LABEL = Idea._meta.get_field("table_label").max_length
# Flooding: ideas per participant per minute. Facilitators typing up paper notes get more.
RATE_LIMIT = 10
FACILITATOR_RATE_LIMIT = 120
RATE_WINDOW = 60
RATE_LIMITED = "You have added a lot of ideas in the last minute. Wait a minute, then add this one again."


def clean_text(text) -> str:
    """Whitespace runs become one space and control characters go (PostgreSQL refuses NUL).
    Format characters (joiners in emoji, right-to-left marks) stay, but text made only of them
    is empty. The text is kept as text: templates escape it everywhere."""
    text = "".join(
        " " if ch.isspace() else ch
        for ch in str(text or "")
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs", "Co", "Cn")
    )
    text = " ".join(text.split())
    return text if any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text) else ""


def validate_text(text) -> str:
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": "Enter your idea"})
    if len(text) > MAX_IDEA_CHARS:
        raise ValidationError({"text": f"Your idea must be {MAX_IDEA_CHARS} characters or fewer"})
    return text


clock = time.time  # tests fix it, so a count cannot straddle two windows


def rate_limit_ok(key: str, limit: int, window: int = RATE_WINDOW) -> bool:
    """Count one more against `key` in this window of the shared cache (Redis in production):
    False once `limit` is passed."""
    cache_key = f"compact:rate:{key}:{int(clock() // window)}"
    cache.add(cache_key, 0, timeout=window * 2)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window * 2)
        count = 1
    return count <= limit


def _key(idempotency_key) -> uuid.UUID:
    try:
        return idempotency_key if isinstance(idempotency_key, uuid.UUID) else uuid.UUID(str(idempotency_key))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(
            {"idempotency_key": "Something went wrong sending your idea. Reload the page and try again."}
        ) from None


def _same_submitter(idea: Idea, participant: Participant | None, actor) -> bool:
    if participant is not None:
        return idea.participant_id == participant.pk
    return actor is not None and idea.author_id == getattr(actor, "pk", None)


def _existing(workshop: Workshop, key: uuid.UUID, participant, actor) -> Idea | None:
    idea = Idea.objects.filter(workshop=workshop, idempotency_key=key).first()
    if idea is not None and not _same_submitter(idea, participant, actor):
        raise ValidationError(
            {"idempotency_key": "Something went wrong sending your idea. Reload the page and try again."}
        )
    return idea


@transaction.atomic
def idea_submit(
    *, workshop: Workshop, prompt: Prompt, text: str, idempotency_key, participant: Participant | None = None,
    actor=None, table_label: str = "", anonymous: bool = False,
) -> Idea:  # fmt: skip
    """Add an idea to an open prompt. `actor` is the signed-in person (their Participant row is
    made on first use); guests pass their `participant` and no actor. A facilitator may give a
    `table_label` to add a paper note on a table's behalf. Returns the idea, which is the one
    already saved when this submission's key was seen before."""
    key = _key(idempotency_key)
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    if not signed_in and participant is None:
        raise PermissionDenied("Join the workshop with its code before adding ideas.")
    if participant is not None and participant.workshop_id != workshop.pk:
        raise PermissionDenied("Join this workshop with its code before adding ideas.")
    if (
        participant is not None
        and participant.user_id is not None
        and participant.user_id != getattr(actor, "pk", None)
    ):
        raise PermissionDenied("Sign in as yourself to add ideas.")
    table_label = " ".join(str(table_label or "").split())
    if signed_in and participant is None and not table_label:
        participant = participant_for_user(workshop=workshop, user=actor)
    # A retry of a submission the server already accepted: the same idea, whatever happened since.
    if (existing := _existing(workshop, key, participant, actor)) is not None:
        return existing

    if not accepting_ideas(workshop):
        raise ValidationError({"text": NOT_TAKING_IDEAS})
    if table_label:
        if not signed_in:  # a guest (or a hand-made request) cannot speak for a table
            raise ValidationError({"table_label": "Only a facilitator can add ideas for a table."})
        require_perm(actor, "workshops.facilitate", workshop, "Only a facilitator can add ideas for a table.")
    elif signed_in:
        require_perm(
            actor, "workshops.submit_idea", workshop, "Your role in this partnership does not allow adding ideas."
        )
    if prompt.workshop_id != workshop.pk:
        raise ValidationError({"prompt": "Choose a question from this workshop"})
    if prompt.state != Prompt.State.OPEN:
        raise ValidationError(
            {"prompt": f"“{prompt.text}” is not taking ideas now: it has not opened yet or has closed."}
        )
    text = validate_text(text)
    if len(table_label) > MAX_TABLE_LABEL:
        raise ValidationError({"table_label": f"The table name must be {MAX_TABLE_LABEL} characters or fewer"})
    if anonymous and not workshop.allow_anonymous:
        raise ValidationError({"anonymous": "This workshop does not take anonymous ideas"})
    anonymous = bool(anonymous) and not table_label

    who = f"user:{actor.pk}" if signed_in else f"participant:{participant.pk}"
    limit = FACILITATOR_RATE_LIMIT if table_label else RATE_LIMIT
    if not rate_limit_ok(f"workshop-idea:{workshop.pk}:{who}", limit):
        raise ValidationError({"text": RATE_LIMITED})

    idea = Idea(
        workshop=workshop, prompt=prompt, participant=participant, text=text, idempotency_key=key,
        author=actor if signed_in else None, anonymous=anonymous, table_label=table_label,
        after_workshop=workshop.state == Workshop.State.ENDED,
    )  # fmt: skip
    if participant is not None and not anonymous and not table_label:
        idea.author_name = participant.display_name
        idea.organisation_id = participant.organisation_id
        idea.organisation_name = (
            participant.organisation.name if participant.organisation_id else participant.organisation_name
        )[:200]
    try:
        with transaction.atomic():
            idea.save()
    except IntegrityError:
        # The same key arrived twice at once: the other copy won, return it.
        existing = _existing(workshop, key, participant, actor)
        if existing is None:
            raise
        return existing
    audit_record(
        actor=actor, action="workshop.add_idea", obj=idea, partnership_id=workshop.partnership_id,
        changes={"prompt": prompt.pk, "table": table_label, "anonymous": anonymous, "after_workshop": idea.after_workshop},
    )  # fmt: skip
    wall_event(workshop, "idea", idea_public(idea))
    embed_later(idea.pk)
    return idea
