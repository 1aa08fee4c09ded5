from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from compact.partnerships.models import Partnership
from compact.partnerships.selectors import roles_for_user

from .models import Process, Stage, StageStatus
from .registry import CLOSED, SETUP


def current_stage(process: Process) -> Stage | None:
    """The stage in progress. Uses prefetched stages when the caller loaded them."""
    stages = getattr(process, "_prefetched_objects_cache", {}).get("stages")
    if stages is None:
        stages = list(process.stages.all())
    return next((s for s in stages if s.status == StageStatus.ACTIVE), None)


def current_stage_kind(process: Process) -> str:
    """The kind of the active stage, or SETUP before any stage starts, or CLOSED after."""
    cached = getattr(process, "_current_stage_kind", None)
    if cached is not None:
        return cached
    stage = current_stage(process)
    if stage is not None:
        kind = stage.kind
    else:
        stages = getattr(process, "_prefetched_objects_cache", {}).get("stages")
        if stages is None:
            stages = list(process.stages.all())
        finished = stages and all(s.status in (StageStatus.DONE, StageStatus.SKIPPED) for s in stages)
        # Between stages (one marked done, the next not started) the process stays at the
        # last stage done: it has not gone back to setup.
        done = [s for s in stages if s.status == StageStatus.DONE]
        if finished:
            kind = CLOSED
        elif done:
            kind = max(done, key=lambda s: s.position).kind
        else:
            kind = SETUP
    process._current_stage_kind = kind
    return kind


def processes_for_partnership(*, partnership: Partnership):
    return partnership.processes.prefetch_related("stages").order_by("title")


def processes_for_user(user):
    return (
        Process.objects.filter(partnership_id__in=list(roles_for_user(user)))
        .select_related("partnership")
        .prefetch_related("stages")
        .order_by("partnership__name", "title")
    )


def process_get_for_user(*, partnership: Partnership, slug: str) -> Process:
    """The caller has already resolved the partnership for this user (404 if not a member)."""
    try:
        return (
            Process.objects.select_related("partnership", "created_by")
            .prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position")))
            .get(partnership=partnership, slug=slug)
        )
    except Process.DoesNotExist:
        raise Http404("No such process") from None


def stages_needing_attention(user, *, processes=None, within_days: int = 14) -> list[dict]:
    """'What needs you now' on the dashboard: stages in progress that end soon or are overdue,
    and processes whose timeline has no dates yet, for the people who can act on them."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=within_days)
    roles = roles_for_user(user)
    items = []
    for process in processes if processes is not None else processes_for_user(user):
        role = roles.get(process.partnership_id)
        stages = list(process.stages.all())
        active = next((s for s in stages if s.status == StageStatus.ACTIVE), None)
        if active and active.ends_on and active.ends_on < today:
            items.append(
                {
                    "process": process,
                    "stage": active,
                    "kind": "overdue",
                    "text": f"{active.display_title} was due to end on {active.ends_on:%-d %B %Y}",
                }
            )
        elif active and active.ends_on and active.ends_on <= soon:
            items.append(
                {
                    "process": process,
                    "stage": active,
                    "kind": "ending",
                    "text": f"{active.display_title} ends on {active.ends_on:%-d %B %Y}",
                }
            )
        if role in ("convenor", "facilitator") and stages and not any(s.starts_on for s in stages):
            items.append(
                {"process": process, "stage": None, "kind": "no_dates", "text": "The timeline has no dates yet"}
            )
    return items
