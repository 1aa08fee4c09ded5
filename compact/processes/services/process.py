"""Writes to processes: create, change details, stage settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compact.activity.services import audit_record, diff, snapshot
from compact.core.services import require_perm, unique_slug
from compact.partnerships.models import Partnership

from ..models import Process, ProcessKind, Stage, StageKind
from ..registry import registry

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
