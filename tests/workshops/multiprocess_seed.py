"""Seed for tests/workshops/test_multiprocess.py, run in a subprocess against the test's own
PostgreSQL database (never the test process's one):

    DJANGO_SETTINGS_MODULE=config.settings.e2e DATABASE_URL=... python -m tests.workshops.multiprocess_seed

A partnership, a process at its workshops stage, a facilitator and a member (who signs in), a
live workshop with one open prompt and one idea already on the wall (so that a client connecting
with ?since=0 gets one catch-up event: once it has it, its stream has joined the channel-layer
group). Prints JSON."""

from __future__ import annotations

import json
import uuid


def seed() -> dict:
    import datetime as dt

    from django.utils import timezone

    from compact.core.tasks import quietly
    from compact.partnerships.models import Role
    from compact.processes.models import StageKind
    from compact.workshops import services
    from compact.workshops.models import Prompt
    from compact.workshops.services.ideas import idea_submit
    from tests.factories import PASSWORD, PartnershipFactory, ProcessFactory, at_stage, member

    partnership = PartnershipFactory(name="Multiprocess partnership", slug="multiprocess")
    process = at_stage(ProcessFactory(partnership=partnership, slug="charter"), StageKind.WORKSHOPS)
    facilitator = member(partnership, Role.FACILITATOR, email="facilitator@example.org")
    follower = member(partnership, Role.MEMBER, email="member@example.org", full_name="Mo Member")
    start = timezone.now() - dt.timedelta(minutes=5)
    workshop = services.workshop_create(
        process=process, actor=facilitator, title="Two servers", purpose="Ideas across processes.",
        starts_at=start, ends_at=start + dt.timedelta(hours=3), venue="Loopback",
    )  # fmt: skip
    prompt = services.prompt_add(workshop=workshop, actor=facilitator, text="What should we do first?")
    services.workshop_start(workshop=workshop, actor=facilitator)
    services.prompt_open(prompt=prompt, actor=facilitator)
    workshop.refresh_from_db()
    prompt = Prompt.objects.get(pk=prompt.pk)
    with quietly():  # no embedding task: loading the language model takes seconds
        first = idea_submit(
            workshop=workshop, prompt=prompt, text="Seeded idea before any client connected",
            idempotency_key=uuid.uuid4(), actor=facilitator, table_label="Table 1",
        )  # fmt: skip
    return {
        "workshop_id": workshop.pk,
        "join_code": workshop.join_code,
        "prompt_id": prompt.pk,
        "seeded_idea": first.text,
        "facilitator": facilitator.email,
        "member": follower.email,
        "password": PASSWORD,
        "wall_path": f"/p/{partnership.slug}/processes/{process.slug}/workshops/{workshop.slug}/wall/",
    }


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(seed()))
