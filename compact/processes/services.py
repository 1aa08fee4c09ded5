"""Writes to processes and their stage timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm, unique_slug
from compact.partnerships.models import Partnership

from .models import Process, ProcessKind, Stage, StageKind, StageStatus
from .registry import registry

# The usual order of a co-design process; a process may drop stages it does not need.
DEFAULT_STAGES = [k.value for k in StageKind]
PROCESS_FIELDS = ["title", "kind", "purpose_summary"]


STAGE_REFUSAL = "Your role, or the stage this process is at, does not allow this."


@transaction.atomic
def process_create(
    *,
    partnership: Partnership,
    actor,
    title: str,
    kind: str = ProcessKind.CHARTER,
    purpose_summary: str = "",
    stage_kinds: list[str] | None = None,
) -> Process:
    if not actor.has_perm("partnerships.add_process", partnership):
        raise PermissionDenied("Only a convenor can start a process.")
    stage_kinds = list(stage_kinds if stage_kinds is not None else DEFAULT_STAGES)
    if not stage_kinds:
        raise ValidationError({"stage_kinds": "Choose at least one stage"})
    unknown = set(stage_kinds) - set(StageKind.values)
    if unknown or len(set(stage_kinds)) != len(stage_kinds):
        raise ValidationError({"stage_kinds": "Choose each stage once, from the list"})
    process = Process(
        partnership=partnership,
        kind=kind,
        title=title.strip(),
        purpose_summary=purpose_summary,
        slug=unique_slug(partnership.processes.all(), title, max_length=70, fallback="process"),
        created_by=actor,
    )
    process.full_clean()
    process.save()
    # Keep the usual order whatever order the kinds were ticked in.
    ordered = sorted(stage_kinds, key=DEFAULT_STAGES.index)
    Stage.objects.bulk_create(
        [Stage(process=process, kind=kind, position=i) for i, kind in enumerate(ordered, start=1)]
    )
    audit_record(
        actor=actor,
        action="process.create",
        obj=process,
        partnership_id=partnership.pk,
        changes={"after": snapshot(process, PROCESS_FIELDS) | {"stages": ordered}},
    )
    return process


@transaction.atomic
def process_update(*, process: Process, actor, **fields) -> Process:
    require_perm(actor, "processes.change_process", process, STAGE_REFUSAL)
    before = snapshot(process, PROCESS_FIELDS)
    for name, value in fields.items():
        if name not in PROCESS_FIELDS:
            raise TypeError(f"Unknown process field {name}")
        setattr(process, name, value.strip() if isinstance(value, str) else value)
    # created_by is empty once its author's account is gone (SET_NULL); that must not block edits.
    process.full_clean()
    process.save()
    changes = diff(before, snapshot(process, PROCESS_FIELDS))
    if changes:
        audit_record(
            actor=actor, action="process.update", obj=process, partnership_id=process.partnership_id, changes=changes
        )
    return process


@dataclass(frozen=True)
class StageDates:
    stage_id: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    title: str = ""


def validate_timeline(stages: list[Stage]) -> dict[int, list[str]]:
    """Errors per stage id: end before start, dates out of the timeline's order, overlaps.
    Stages are compared in position order; a stage without dates is not compared."""
    errors: dict[int, list[str]] = {}
    dated = []
    for stage in sorted(stages, key=lambda s: s.position):
        if stage.starts_on and stage.ends_on and stage.ends_on < stage.starts_on:
            errors.setdefault(stage.pk, []).append(f"{stage.display_title} must end on or after the day it starts")
        if bool(stage.starts_on) != bool(stage.ends_on):
            errors.setdefault(stage.pk, []).append(
                f"Enter both a start and an end date for {stage.display_title}, or neither"
            )
        if stage.starts_on and stage.ends_on:
            dated.append(stage)
    for earlier, later in zip(dated, dated[1:], strict=False):
        if later.starts_on <= earlier.ends_on:
            errors.setdefault(later.pk, []).append(
                f"{later.display_title} must start after {earlier.display_title} ends "
                f"({earlier.ends_on:%-d %B %Y}), because stages follow one another"
            )
    return errors


@transaction.atomic
def timeline_update(*, process: Process, actor, dates: list[StageDates]) -> list[Stage]:
    """Set stage dates (and optional titles) together, so the whole timeline is checked at once
    and nothing is half-saved."""
    require_perm(actor, "processes.edit_timeline", process, STAGE_REFUSAL)
    stages = {s.pk: s for s in Stage.objects.select_for_update().filter(process=process)}
    before = {pk: snapshot(s, ["starts_on", "ends_on", "title"]) for pk, s in stages.items()}
    for item in dates:
        stage = stages.get(item.stage_id)
        if stage is None:
            raise ValidationError("A stage in the form does not belong to this process. Reload the page and try again.")
        stage.starts_on, stage.ends_on = item.starts_on, item.ends_on
        stage.title = (item.title or "").strip()
    errors = validate_timeline(list(stages.values()))
    if errors:
        raise ValidationError({f"stage_{pk}": msgs for pk, msgs in errors.items()})
    changes = {}
    for pk, stage in stages.items():
        stage.full_clean()
        change = diff(before[pk], snapshot(stage, ["starts_on", "ends_on", "title"]))
        if change:
            stage.save(update_fields=["starts_on", "ends_on", "title"])
            changes[stage.get_kind_display()] = change
    if changes:
        audit_record(
            actor=actor,
            action="process.timeline_update",
            obj=process,
            partnership_id=process.partnership_id,
            changes=changes,
        )
    return sorted(stages.values(), key=lambda s: s.position)


@transaction.atomic
def stage_start(*, process: Process, actor, stage: Stage) -> Stage:
    """Start a stage. The stage in progress is marked done, and stages in between skipped."""
    require_perm(actor, "processes.advance_stage", process, STAGE_REFUSAL)
    stages = list(Stage.objects.select_for_update().filter(process=process).order_by("position"))
    target = next((s for s in stages if s.pk == stage.pk), None)
    if target is None:
        raise ValidationError("That stage does not belong to this process.")
    if target.status != StageStatus.PLANNED:
        raise ValidationError(f"{target.display_title} has already started.")
    changed = []
    for s in stages:
        if s.position < target.position and s.status in (StageStatus.PLANNED, StageStatus.ACTIVE):
            s.status = StageStatus.DONE if s.status == StageStatus.ACTIVE else StageStatus.SKIPPED
            changed.append(s)
    for s in changed:
        s.save(update_fields=["status"])
    target.status = StageStatus.ACTIVE
    target.save(update_fields=["status"])
    process.__dict__.pop("_current_stage_kind", None)
    audit_record(
        actor=actor,
        action="process.stage_start",
        obj=process,
        partnership_id=process.partnership_id,
        changes={"started": target.display_title, "closed": [s.display_title for s in changed]},
    )
    return target


@transaction.atomic
def stage_finish(*, process: Process, actor, stage: Stage) -> Stage:
    """Finish the stage in progress without starting another (e.g. the last stage)."""
    require_perm(actor, "processes.advance_stage", process, STAGE_REFUSAL)
    stage = Stage.objects.select_for_update().get(pk=stage.pk, process=process)
    if stage.status != StageStatus.ACTIVE:
        raise ValidationError(f"{stage.display_title} is not in progress.")
    stage.status = StageStatus.DONE
    stage.save(update_fields=["status"])
    process.__dict__.pop("_current_stage_kind", None)
    audit_record(
        actor=actor,
        action="process.stage_finish",
        obj=process,
        partnership_id=process.partnership_id,
        changes={"finished": stage.display_title},
    )
    return stage


@transaction.atomic
def process_feature_settings_update(*, process: Process, actor, enabled: set[str]) -> Process:
    """Open features outside the stages that normally allow them."""
    require_perm(actor, "processes.change_settings", process, STAGE_REFUSAL)
    unknown = set(enabled) - set(registry.features)
    if unknown:
        raise ValidationError({"features": f"Unknown features: {', '.join(sorted(unknown))}"})
    before = dict(process.feature_settings or {})
    process.feature_settings = {name: True for name in sorted(enabled)}
    process.save(update_fields=["feature_settings", "updated_at"])
    audit_record(
        actor=actor,
        action="process.settings_update",
        obj=process,
        partnership_id=process.partnership_id,
        changes=diff(before, process.feature_settings) or {"features": sorted(enabled)},
    )
    return process
