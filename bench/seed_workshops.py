"""Seed one busy live wall with bulk inserts: 2,000 ideas over four prompts (two open, two
closed), six themes per prompt with most ideas placed in one, and the mix a real session leaves:
paper notes typed up for tables, anonymous ideas, a few hidden (with a reason) and a few merged
into a similar idea. 150 guests and 30 members sent them; each idea has its wall event, as the
service writes. Deterministic: the same seed gives the same wall on every run."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from compact.partnerships.models import Role
from compact.processes.models import StageKind
from compact.workshops.models import Idea, Participant, Prompt, Theme, WallEvent, Workshop
from compact.workshops.selectors_live import attribution

from .seed import ACTIVITIES, AUDIENCES, NEIGHBOURHOODS, THEMES, given_times

SEED = 2028
IDEAS = 2000
PROMPTS = [  # (text, share of the ideas, open)
    ("What should the ICB commit to on procurement?", 0.35, True),
    ("What would make funding fairer for small groups?", 0.30, True),
    ("How should we involve people who rarely take part?", 0.20, False),
    ("What should we measure to know the charter works?", 0.15, False),
]
THEMES_PER_PROMPT = 6
GUESTS = 150
MEMBERS = 30
IDEA_TEMPLATES = [
    "Ring-fence funding for {activity} run by groups in {place}",
    "Pay small groups within 30 days, especially {audience} projects",
    "Co-design {theme} services with {audience}",
    "Longer grants (three years) for {activity}",
    "Hold meetings in {place} in the evening so volunteers can come",
    "Plain English application forms for {theme} grants",
    "Share data on who uses {activity} with the groups that run them",
    "A named contact at the ICB for {theme} organisations in {place}",
    "Count social value when buying services for {audience}",
    "Fund translation so {audience} can take part",
]
REASONS = ["Duplicate of an earlier note", "Names a person", "Off topic"]


@dataclass
class WallSeed:
    workshop: Workshop
    facilitator: object  # signed in for the facilitator's wall
    member: object  # a member who can add ideas (not a facilitator)
    guest_key: str  # a guest's raw key (the cookie is signed from it)
    wall_url: str
    sample_texts: list[str]  # on the wall (the newest)
    busiest: Prompt  # the prompt with the most ideas
    oldest_text: str  # its first idea: not on the wall, on the first page of all its ideas
    counts: dict = field(default_factory=dict)


def _text(rng: random.Random) -> str:
    place = rng.choice(rng.choice(list(NEIGHBOURHOODS.values())))
    return rng.choice(IDEA_TEMPLATES).format(
        activity=rng.choice(ACTIVITIES), place=place, audience=rng.choice(AUDIENCES), theme=rng.choice(THEMES).lower()
    )


@transaction.atomic
def seed_wall() -> WallSeed:
    from tests.factories import PartnershipFactory, ProcessFactory, at_stage, member

    rng = random.Random(SEED)
    suffix = secrets.token_hex(3)
    partnership = PartnershipFactory(name=f"Busy wall {suffix}", slug=f"busy-wall-{suffix}")
    process = at_stage(ProcessFactory(partnership=partnership, slug="charter"), StageKind.WORKSHOPS)
    facilitator = member(partnership, Role.FACILITATOR)
    members = [member(partnership, Role.MEMBER) for _ in range(MEMBERS)]
    start = timezone.now() - dt.timedelta(hours=2)
    workshop = Workshop.objects.create(
        partnership=partnership, process=process, stage=process.stages.get(kind=StageKind.WORKSHOPS),
        title="Shaping the charter", slug="shaping-the-charter", starts_at=start, ends_at=start + dt.timedelta(hours=3),
        state=Workshop.State.LIVE, join_code=secrets.token_hex(3).upper(), created_by=facilitator, allow_anonymous=True,
    )  # fmt: skip
    prompts = [
        Prompt.objects.create(
            workshop=workshop,
            position=i,
            text=text,
            state=Prompt.State.OPEN if is_open else Prompt.State.CLOSED,
            opened_at=start,
        )  # fmt: skip
        for i, (text, _share, is_open) in enumerate(PROMPTS, 1)
    ]
    themes = {
        p.pk: Theme.objects.bulk_create(
            [
                Theme(workshop=workshop, prompt=p, name=f"{t} ({p.position})", position=j, created_by=facilitator)
                for j, t in enumerate(rng.sample(THEMES, THEMES_PER_PROMPT))
            ]
        )  # fmt: skip
        for p in prompts
    }
    guest_key = secrets.token_urlsafe(32)
    guests = Participant.objects.bulk_create(
        [Participant(workshop=workshop, key_hash=hashlib.sha256((guest_key if i == 0 else secrets.token_urlsafe(32))
                     .encode()).hexdigest(), display_name=f"Guest {i}", organisation_name=rng.choice(["", "Age UK Lewisham",
                     "Peckham Food Bank", "Bromley Mind"])) for i in range(GUESTS)]
    )  # fmt: skip
    signed_in = Participant.objects.bulk_create(
        [Participant(workshop=workshop, user=m, display_name=m.full_name) for m in members]
    )
    people = guests + signed_in

    ideas = []
    for p, (_prompt_text, share, _open) in zip(prompts, PROMPTS, strict=True):
        for _ in range(round(IDEAS * share)):
            who = rng.choice(people)
            kind = rng.random()
            table = f"Table {rng.randint(1, 12)}" if kind < 0.10 else ""
            anonymous = 0.10 <= kind < 0.15
            ideas.append(
                Idea(
                    workshop=workshop, prompt=p, participant=None if table else who,
                    author_id=None if table else who.user_id, author_name="" if table or anonymous else who.display_name,
                    organisation_name="" if table or anonymous else who.organisation_name, anonymous=anonymous,
                    table_label=table, text=_text(rng), idempotency_key=uuid.UUID(int=rng.getrandbits(128)),
                    theme=rng.choice(themes[p.pk]) if rng.random() < 0.75 else None,
                    hidden=rng.random() < 0.03, created_at=start + dt.timedelta(seconds=rng.randint(0, 7200)),
                )
            )  # fmt: skip
    ideas.sort(key=lambda i: i.created_at)
    for idea in ideas:
        if idea.hidden:
            idea.hidden_reason = rng.choice(REASONS)
    with given_times(Idea, "created_at"):
        ideas = Idea.objects.bulk_create(ideas, batch_size=500)
    # About 2% merged into an earlier visible idea of the same prompt.
    merged = []
    by_prompt: dict[int, list[Idea]] = {}
    for idea in ideas:
        earlier = by_prompt.setdefault(idea.prompt_id, [])
        if earlier and not idea.hidden and rng.random() < 0.02:
            idea.merged_into = rng.choice(earlier)
            merged.append(idea)
        elif not idea.hidden:
            earlier.append(idea)
    Idea.objects.bulk_update(merged, ["merged_into"], batch_size=500)
    WallEvent.objects.bulk_create(
        [WallEvent(workshop=workshop, kind="idea", data={"id": i.pk, "prompt": i.prompt_id, "text": i.text,
                   "by": attribution(i)}) for i in ideas],
        batch_size=500,
    )  # fmt: skip
    wall_url = f"/p/{partnership.slug}/processes/{process.slug}/workshops/{workshop.slug}/wall/"
    visible = [i for i in ideas if not i.hidden and i.merged_into_id is None]
    first_prompt = [i for i in visible if i.prompt_id == prompts[0].pk]
    return WallSeed(
        workshop=workshop, facilitator=facilitator, member=members[0], guest_key=guest_key, wall_url=wall_url,
        sample_texts=[visible[-1].text], busiest=prompts[0], oldest_text=first_prompt[0].text,
        counts={"ideas": len(ideas), "prompts": len(prompts), "themes": sum(len(t) for t in themes.values()),
                "participants": len(people), "hidden": sum(i.hidden for i in ideas), "merged": len(merged)},
    )  # fmt: skip


def wall_seed(ctx) -> WallSeed:
    return ctx.seed("workshops_wall", seed_wall)
