"""Planning a workshop and running its session: details, prompts, going live, opening and
closing prompts, ending, cancelling. Every function checks permission, validates and audits."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm, unique_slug
from compact.processes.models import KeyArea, Process, Stage, StageKind

from ..models import Access, Format, Prompt, Workshop
from .events import wall_event
from .registration import waiting_list_promote

FIELDS = [
    "title", "purpose", "starts_at", "ends_at", "format", "venue", "online_link", "capacity", "access",
    "access_notes", "allow_anonymous", "async_until", "dots_per_participant", "vote_target",
]  # fmt: skip
# No 0/O or 1/I/L: the code is read off a projector and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_DOTS = 20
MAX_PROMPTS = 30


def new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Workshop.objects.filter(join_code=code).exists():
            return code


def normalise_code(raw: str) -> str:
    """What people type: spaces, dashes and lower case are forgiven."""
    return "".join(str(raw or "").split()).replace("-", "").upper()[:20]


def _validate(workshop: Workshop) -> None:
    errors = {}
    for name in ("title", "venue", "purpose", "access_notes"):
        setattr(workshop, name, (getattr(workshop, name) or "").strip())
    if workshop.starts_at and workshop.ends_at and workshop.ends_at <= workshop.starts_at:
        errors["ends_at"] = "The end time must be after the start time"
    if workshop.format in (Format.IN_PERSON, Format.HYBRID) and not workshop.venue:
        errors["venue"] = "Enter where the workshop is"
    if workshop.format in (Format.ONLINE, Format.HYBRID) and not workshop.online_link:
        errors["online_link"] = "Enter the link people use to join online"
    if workshop.capacity is not None and workshop.capacity < 1:
        errors["capacity"] = "Enter a number of places of 1 or more, or leave it blank for no limit"
    unknown = set(workshop.access or []) - set(Access.values)
    if unknown:
        errors["access"] = "Choose access arrangements from the list"
    if not 1 <= (workshop.dots_per_participant or 0) <= MAX_DOTS:
        errors["dots_per_participant"] = f"Give each person between 1 and {MAX_DOTS} dots"
    if workshop.async_until and workshop.ends_at and workshop.async_until <= workshop.ends_at:
        errors["async_until"] = "Ideas online must stay open until after the workshop ends"
    if workshop.stage_id and workshop.stage.process_id != workshop.process_id:
        errors["stage"] = "Choose a stage of this process"
    if errors:
        raise ValidationError(errors)
    workshop.full_clean(exclude=["join_code", "slug", "partnership", "process", "stage"])


@transaction.atomic
def workshop_create(*, process: Process, actor, stage: Stage | None = None, **fields) -> Workshop:
    require_perm(actor, "workshops.add_workshop", process)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown workshop fields {sorted(unknown)}")
    stage = stage or process.stages.filter(kind=StageKind.WORKSHOPS).first()
    if stage is None:
        raise ValidationError(
            {"stage": "This process has no workshops stage: choose the stage the workshop belongs to"}
        )
    workshop = Workshop(partnership_id=process.partnership_id, process=process, stage=stage, created_by=actor, **fields)
    workshop.access = list(dict.fromkeys(workshop.access or []))
    _validate(workshop)
    workshop.slug = unique_slug(process.workshops.all(), workshop.title, fallback="workshop")
    workshop.join_code = new_join_code()
    workshop.save()
    audit_record(
        actor=actor, action="workshop.create", obj=workshop, partnership_id=process.partnership_id,
        changes={"after": snapshot(workshop, ["title", "starts_at", "format", "capacity"])},
    )  # fmt: skip
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, actor, **fields) -> Workshop:
    require_perm(actor, "workshops.change_workshop", workshop)
    before = snapshot(workshop, FIELDS)
    for name, value in fields.items():
        if name not in FIELDS + ["stage"]:
            raise TypeError(f"Unknown workshop field {name}")
        setattr(workshop, name, value)
    _validate(workshop)
    _keep_votes_valid(workshop, before)
    workshop.save()
    if changes := diff(before, snapshot(workshop, FIELDS)):
        audit_record(
            actor=actor, action="workshop.update", obj=workshop, partnership_id=workshop.partnership_id,
            changes=changes,
        )  # fmt: skip
    if "capacity" in changes:  # more places (or none): people waiting get them, and are emailed
        waiting_list_promote(workshop=workshop, actor=actor)
    return workshop


def _keep_votes_valid(workshop: Workshop, before: dict) -> None:
    """Once dots are cast, what they are on and how many each person has cannot shrink under them."""
    if not workshop.dot_votes.exists():
        return
    errors = {}
    if workshop.vote_target != before["vote_target"]:
        errors["vote_target"] = "People have already voted, so what they vote on cannot change"
    if workshop.dots_per_participant < before["dots_per_participant"]:
        errors["dots_per_participant"] = "People have already voted, so each person's dots can only go up"
    if errors:
        raise ValidationError(errors)


def _set_state(workshop: Workshop, actor, perm: str, state: str, action: str, message: str) -> Workshop:
    require_perm(actor, perm, workshop, message)
    before = workshop.state
    workshop.state = state
    workshop.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor, action=action, obj=workshop, partnership_id=workshop.partnership_id,
        changes={"state": [before, state]},
    )  # fmt: skip
    wall_event(workshop, "workshop_state", {"state": state})
    return workshop


@transaction.atomic
def workshop_start(*, workshop: Workshop, actor) -> Workshop:
    """Go live: prompts can be opened and the join code works."""
    return _set_state(
        workshop, actor, "workshops.start_workshop", Workshop.State.LIVE, "workshop.start",
        "Only a convenor or facilitator can start a planned workshop, while the process is at a stage that runs workshops.",
    )  # fmt: skip


@transaction.atomic
def workshop_end(*, workshop: Workshop, actor) -> Workshop:
    """End the session. Open prompts stay open online only if async_until is set."""
    require_perm(actor, "workshops.facilitate", workshop)
    if workshop.state != Workshop.State.LIVE:
        raise ValidationError("Only a live workshop can be ended.")
    if not workshop.async_until:
        for prompt in workshop.prompts.filter(state=Prompt.State.OPEN):
            _prompt_state(prompt, Prompt.State.CLOSED)
    return _set_state(workshop, actor, "workshops.facilitate", Workshop.State.ENDED, "workshop.end", "")


@transaction.atomic
def workshop_cancel(*, workshop: Workshop, actor) -> Workshop:
    if workshop.state != Workshop.State.PLANNED:
        raise ValidationError("Only a workshop that has not started can be cancelled.")
    return _set_state(
        workshop, actor, "workshops.change_workshop", Workshop.State.CANCELLED, "workshop.cancel",
        "Only a convenor or facilitator can cancel a workshop.",
    )  # fmt: skip


# Prompts -------------------------------------------------------------------------------------


def _clean_prompt(workshop: Workshop, text: str, key_area: KeyArea | None) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        raise ValidationError({"text": "Enter the question people will answer"})
    if len(text) > Prompt._meta.get_field("text").max_length:
        raise ValidationError({"text": "The question must be 300 characters or fewer"})
    if key_area is not None and key_area.process_id != workshop.process_id:
        raise ValidationError({"key_area": "Choose a key area of this process"})
    return text


@transaction.atomic
def prompt_add(*, workshop: Workshop, actor, text: str, key_area: KeyArea | None = None) -> Prompt:
    require_perm(actor, "workshops.change_workshop", workshop)
    text = _clean_prompt(workshop, text, key_area)
    Workshop.objects.select_for_update().filter(pk=workshop.pk).first()  # one position at a time
    if workshop.prompts.count() >= MAX_PROMPTS:
        raise ValidationError({"text": f"A workshop can have up to {MAX_PROMPTS} prompts"})
    last = workshop.prompts.aggregate(last=Max("position"))["last"] or 0
    prompt = Prompt.objects.create(workshop=workshop, position=last + 1, text=text, key_area=key_area)
    audit_record(
        actor=actor, action="workshop.add_prompt", obj=workshop, partnership_id=workshop.partnership_id,
        changes={"prompt": text, "key_area": str(key_area or "")},
    )  # fmt: skip
    wall_event(workshop, "prompt", _prompt_data(prompt))
    return prompt


@transaction.atomic
def prompt_update(*, prompt: Prompt, actor, text: str, key_area: KeyArea | None = None) -> Prompt:
    workshop = prompt.workshop
    require_perm(actor, "workshops.change_workshop", workshop)
    before = prompt.text
    prompt.text = _clean_prompt(workshop, text, key_area)
    prompt.key_area = key_area
    prompt.save(update_fields=["text", "key_area"])
    audit_record(
        actor=actor, action="workshop.change_prompt", obj=workshop, partnership_id=workshop.partnership_id,
        changes={"prompt": [before, prompt.text]},
    )  # fmt: skip
    wall_event(workshop, "prompt", _prompt_data(prompt))
    return prompt


def _prompt_data(prompt: Prompt) -> dict:
    return {"id": prompt.pk, "text": prompt.text, "state": prompt.state, "position": prompt.position}


def _prompt_state(prompt: Prompt, state: str) -> None:
    now = timezone.now()
    prompt.state = state
    if state == Prompt.State.OPEN:
        prompt.opened_at, prompt.closed_at = prompt.opened_at or now, None
    else:
        prompt.closed_at = now
    prompt.save(update_fields=["state", "opened_at", "closed_at"])
    wall_event(prompt.workshop, "prompt", _prompt_data(prompt))


@transaction.atomic
def prompt_open(*, prompt: Prompt, actor) -> Prompt:
    """Open a prompt for ideas (several may be open at once, e.g. one per table)."""
    workshop = prompt.workshop
    require_perm(actor, "workshops.facilitate", workshop, "Start the workshop before opening its prompts.")
    _prompt_state(prompt, Prompt.State.OPEN)
    audit_record(actor=actor, action="workshop.open_prompt", obj=workshop, partnership_id=workshop.partnership_id,
                 changes={"prompt": prompt.text})  # fmt: skip
    return prompt


@transaction.atomic
def prompt_close(*, prompt: Prompt, actor) -> Prompt:
    workshop = prompt.workshop
    require_perm(actor, "workshops.facilitate", workshop)
    _prompt_state(prompt, Prompt.State.CLOSED)
    audit_record(actor=actor, action="workshop.close_prompt", obj=workshop, partnership_id=workshop.partnership_id,
                 changes={"prompt": prompt.text})  # fmt: skip
    return prompt
