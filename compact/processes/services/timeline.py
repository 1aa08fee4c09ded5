"""Writes to a process's timeline: which stages it has, their dates, and moving between them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm

from ..models import Process, Stage, StageKind, StageStatus
from .process import DEFAULT_STAGES, STAGE_REFUSAL


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
def stages_set(*, process: Process, actor, stage_kinds: list[str]) -> list[Stage]:
    """Choose which stages the process has. New stages are planned, in the usual order. A stage
    that has started (or was done or skipped) stays, and so does everything before the stage in
    progress: the timeline never changes behind where the process has got to."""
    require_perm(actor, "processes.edit_timeline", process, STAGE_REFUSAL)
    wanted = list(dict.fromkeys(stage_kinds))
    if not wanted:
        raise ValidationError({"stage_kinds": "Choose at least one stage"})
    if set(wanted) - set(StageKind.values):
        raise ValidationError({"stage_kinds": "Choose stages from the list"})
    stages = list(Stage.objects.select_for_update().filter(process=process).order_by("position"))
    reached = max((DEFAULT_STAGES.index(s.kind) for s in stages if s.status != StageStatus.PLANNED), default=-1)
    errors = []
    for s in stages:
        if s.kind not in wanted and s.status != StageStatus.PLANNED:
            errors.append(
                f"{s.display_title} has already {'started' if s.status == StageStatus.ACTIVE else 'happened'}, so it stays"
            )
    for kind in set(wanted) - {s.kind for s in stages}:
        if DEFAULT_STAGES.index(kind) < reached:
            errors.append(
                f"{StageKind(kind).label} would come before where the process has got to, so it cannot be added now"
            )
    if errors:
        raise ValidationError({"stage_kinds": errors})
    removed = [s for s in stages if s.kind not in wanted]
    Stage.objects.filter(pk__in=[s.pk for s in removed]).delete()
    added = [Stage(process=process, kind=k, position=0) for k in wanted if k not in {s.kind for s in stages}]
    kept = [s for s in stages if s.kind in wanted] + added
    kept.sort(key=lambda s: DEFAULT_STAGES.index(s.kind))
    # Positions are unique per process: move the kept ones out of the way before renumbering.
    Stage.objects.filter(pk__in=[s.pk for s in kept if s.pk]).update(position=models.F("position") + 1000)
    for position, stage in enumerate(kept, start=1):
        stage.position = position
        if stage.pk:
            stage.save(update_fields=["position"])
        else:
            stage.save()
    process.__dict__.pop("_current_stage_kind", None)
    if removed or added:
        audit_record(
            actor=actor, action="process.stages_set", obj=process, partnership_id=process.partnership_id,
            changes={"added": [s.get_kind_display() for s in added], "removed": [s.display_title for s in removed]},
        )  # fmt: skip
    return kept
