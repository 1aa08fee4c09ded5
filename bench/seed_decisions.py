"""Seed a year and a half of decisions in the large partnership (bench.seed), with bulk inserts.

A leadership group of 60 (2 co-chairs, 50 members, 8 observers; quorum 10, casting vote on), a
process at its leadership stage, and 200 proposals across the five methods, 150 of them closed
with their outcomes recorded. Ballots are stored in the shapes services.votes._normalise
produces, one vote per person per proposal, and each outcome's result is the real count
(results.proposal_result) as outcome_record would have stored it. One partnership-wide
ranked-choice vote on the process has 1,000 ballots over 12 options: with no group, every
convenor, facilitator and member of the partnership may vote (selectors.eligible_voter_ids).
Deterministic: the same seed gives the same data on every run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from compact.activity.models import AuditEntry
from compact.decisions.models import Method, Outcome, Proposal, ProposalOption, Statement, StatementKind, Vote
from compact.decisions.results import proposal_result
from compact.decisions.selectors import VOTING_ROLES
from compact.partnerships.models import Body, BodyKind, BodyMember, DecisionRule, Membership, Position, Voters
from compact.processes.models import Process, ProcessKind, Stage, StageKind, StageStatus

from .seed import (
    ACTIVITIES,
    AUDIENCES,
    BOROUGHS,
    NEIGHBOURHOODS,
    STAGE_WEEKS,
    THEMES,
    CoreSeed,
    core_partnership,
    given_times,
)

SEED = 2027
PROPOSALS = 200
CLOSED = 150
VOTES = 5_000  # over the ordinary proposals; the big ranked-choice vote adds its own
BIG_BALLOTS = 1_000
BIG_OPTIONS = 12
# Mostly consent decisions and polls, as leadership groups actually decide.
METHOD_MIX = {Method.CONSENT: 90, Method.POLL: 55, Method.DOTS: 18, Method.RANKED: 17, Method.SCORE: 20}
STATEMENTS = [  # (kind, version texts): adopted in turn by passed consent proposals
    (StatementKind.PURPOSE, 3),
    (StatementKind.VISION, 2),
    (StatementKind.PRIORITIES, 2),
]
SEARCH_TERMS = ["carers", "food", "Peckham", "mental health", "funding", "youth", "Lewisham", "dementia"]

VERBS = [
    "Fund",
    "Pilot",
    "Commission",
    "Co-design",
    "Extend",
    "Agree terms for",
    "Set up",
    "Review",
    "Adopt",
    "Scale up",
]
THINGS = [
    "{theme} hub in {place}",
    "{theme} grants round",
    "social prescribing link workers in {place}",
    "{theme} outreach for {audience}",
    "shared data agreement on {theme}",
    "{theme} training for GP practices in {borough}",
    "community funding for {place} groups",
    "{theme} peer support network",
]
CHOICE_QUESTIONS = [
    "Where should the {theme} pilot run first?",
    "Which priority should the {theme} funding go to?",
    "Choose the venues for the {borough} community conversations",
    "Which outcomes should we measure for {theme} work?",
    "Pick the workshop themes for {place}",
    "How should we spend the {theme} underspend?",
]
OPTION_LABELS = [
    "{place} community centre",
    "{theme} peer support in {place}",
    "Outreach to {audience}",
    "Grants for small groups in {borough}",
    "Training for volunteers in {place}",
    "A {theme} advice line",
    "Co-produced {theme} research",
    "Shared space at {place} library",
    "{activity} in {borough}",
    "Transport to appointments in {place}",
    "A {theme} champions network",
    "Translation and interpreting for {audience}",
]
REASONS = [
    "The costs for small groups are not clear yet.",
    "This leaves out people who do not use the internet.",
    "We have not heard from {audience} about this.",
    "The timescale is too short for volunteer-led groups to take part.",
    "It duplicates work already funded in {borough}.",
]


@dataclass
class DecisionsSeed:
    core: CoreSeed
    body: Body
    process: Process
    chair: object  # the convenor, who co-chairs the group: the person the pages are measured as
    closed_by_method: dict[str, list[int]]  # proposals with a recorded outcome, by method
    big_ranked: int  # the 1,000-ballot ranked-choice proposal
    search_terms: list[str]
    pages: int  # pages of the unfiltered decision log
    counts: dict = field(default_factory=dict)


def _fill(rng: random.Random, template: str) -> str:
    code = rng.choice(list(BOROUGHS))
    return template.format(
        theme=rng.choice(THEMES).lower() if not template.startswith("{theme}") else rng.choice(THEMES),
        place=rng.choice(NEIGHBOURHOODS[code]),
        borough=BOROUGHS[code][0],
        audience=rng.choice(AUDIENCES),
        activity=rng.choice(ACTIVITIES).capitalize(),
    )


def _labels(rng: random.Random, n: int) -> list[str]:
    labels: list[str] = []
    while len(labels) < n:
        label = _fill(rng, rng.choice(OPTION_LABELS))
        if label.lower() not in {x.lower() for x in labels}:
            labels.append(label)
    return labels


def _ballot(rng: random.Random, proposal: Proposal, options: list[str], *, blocks: bool) -> tuple[dict, str]:
    """One ballot as services.votes._normalise stores it, and the reason (consent objections)."""
    if proposal.method == Method.CONSENT:
        roll = rng.random()
        position = "agree" if roll < 0.72 else "abstain" if roll < 0.88 else "object"
        if blocks and rng.random() < 0.08:
            position = "block"
        reason = _fill(rng, rng.choice(REASONS)) if position in ("object", "block") else ""
        return {"position": position}, reason
    # Voters lean towards the first few options, as real groups do.
    weights = [1 / (i + 1) for i in range(len(options))]
    if proposal.method == Method.POLL:
        k = rng.randint(1, proposal.max_choices or len(options)) if proposal.multiple else 1
        picked = set()
        while len(picked) < k:
            picked.add(rng.choices(options, weights)[0])
        return {"choices": [o for o in options if o in picked]}, ""
    if proposal.method == Method.DOTS:
        placed = Counter(rng.choices(options, weights, k=rng.randint(1, proposal.dots_per_voter)))
        return {"dots": {o: placed[o] for o in options if placed[o]}}, ""
    if proposal.method == Method.RANKED:
        ranking: list[str] = []
        for _ in range(rng.randint(1, len(options))):
            choice = rng.choices(options, weights)[0]
            if choice not in ranking:
                ranking.append(choice)
        return {"ranking": ranking}, ""
    return {"scores": {o: min(5, max(0, round(rng.gauss(4 - i * 0.25, 1.3)))) for i, o in enumerate(options)}}, ""


def _turnouts(rng: random.Random, proposals: list[Proposal], voters: int, total: int, floor: int) -> list[int]:
    """Votes per proposal summing to `total`: most meet the quorum, a few do not. Proposals that
    adopt a statement get at least `floor` votes (they passed); drafts get none."""
    lows = [0 if p.status == Proposal.Status.DRAFT else floor if p.statement_kind else 1 for p in proposals]
    wanted = [0 if low == 0 else rng.randint(4, voters) for low in lows]
    scale = total / sum(wanted)
    counts = [min(voters, max(low, round(w * scale))) for w, low in zip(wanted, lows, strict=True)]
    i = 0
    while sum(counts) != total:  # nudge to the exact total, within each proposal's bounds
        j, step = i % len(counts), 1 if sum(counts) < total else -1
        if lows[j] and lows[j] <= counts[j] + step <= voters:
            counts[j] += step
        i += 1
    return counts


@transaction.atomic
def seed_decisions(core: CoreSeed) -> DecisionsSeed:
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    partnership, chair = core.partnership, core.convenor
    roles = dict(Membership.objects.filter(partnership=partnership).values_list("user_id", "role"))
    orgs = dict(Membership.objects.filter(partnership=partnership).values_list("user_id", "organisation_id"))
    can_vote = sorted(u for u, r in roles.items() if r in VOTING_ROLES and u != chair.pk)
    others = sorted(u for u in roles if u != chair.pk)

    # The group and its terms of reference: chairs and members vote, observers do not.
    body = Body.objects.create(
        partnership=partnership,
        name="Charter co-production group",
        kind=BodyKind.LEADERSHIP,
        description="VCSE and NHS co-chairs with fifty members from across the six boroughs.",
        quorum=10,
        decision_rule=DecisionRule.MAJORITY,
        casting_vote=True,
        voters=Voters.BODY,
    )
    voting = [chair.pk] + rng.sample(can_vote, 51)
    observers = rng.sample([u for u in others if u not in set(voting)], 8)
    positions = [Position.CO_CHAIR] * 2 + [Position.MEMBER] * 50
    BodyMember.objects.bulk_create(
        [
            BodyMember(
                body=body,
                user_id=u,
                organisation_id=orgs[u],
                position=pos,
                starts_on=today - dt.timedelta(days=rng.randint(420, 600)),
            )
            for u, pos in [*zip(voting, positions, strict=True), *((o, Position.OBSERVER) for o in observers)]
        ]
    )

    # A process at its leadership stage (the stage that opens proposals), the later stages planned.
    title = "Community Voice and Decisions Charter"
    process = Process.objects.create(
        partnership=partnership,
        kind=ProcessKind.CHARTER,
        title=title,
        slug=slugify(title),
        purpose_summary="How the VCSE and the NHS in South East London decide together, and in the open.",
        created_by=chair,
    )
    stages, day = [], today - dt.timedelta(days=450)
    for position, (kind, weeks) in enumerate(zip(StageKind.values, STAGE_WEEKS, strict=True), start=1):
        weeks = 70 if kind == StageKind.LEADERSHIP else weeks
        end = day + dt.timedelta(weeks=weeks, days=-1)
        status = StageStatus.ACTIVE if kind == StageKind.LEADERSHIP else StageStatus.PLANNED
        stages.append(Stage(process=process, kind=kind, position=position, starts_on=day, ends_on=end, status=status))
        day = end + dt.timedelta(days=1)
    Stage.objects.bulk_create(stages)

    # The proposals, oldest first: the first 150 closed, then open ones, a few withdrawn or drafts.
    methods = [m for m, n in METHOD_MIX.items() for _ in range(n)]
    rng.shuffle(methods)
    big_at = max(i for i, m in enumerate(methods[:CLOSED]) if m == Method.RANKED)  # a recent closed vote
    statement_slots = iter(kind for kind, versions in STATEMENTS for _ in range(versions))
    statement_kinds: dict[int, str] = {}
    consent_closed = [i for i, m in enumerate(methods[:CLOSED]) if m == Method.CONSENT]
    for i in rng.sample(consent_closed, sum(v for _, v in STATEMENTS)):
        statement_kinds[i] = ""
    for i in sorted(statement_kinds):
        statement_kinds[i] = next(statement_slots)
    statuses = [Proposal.Status.CLOSED] * CLOSED + [Proposal.Status.OPEN] * 38
    statuses += [Proposal.Status.WITHDRAWN] * 8 + [Proposal.Status.DRAFT] * 4
    span = dt.timedelta(days=430)
    proposals, option_labels = [], []
    for i, (method, status) in enumerate(zip(methods, statuses, strict=True)):
        created = now - span + span * i / PROPOSALS + dt.timedelta(minutes=rng.randint(0, 600))
        if status == Proposal.Status.OPEN:
            created = now - dt.timedelta(hours=rng.randint(2, 60))
        closes = created + dt.timedelta(hours=rng.choice([48, 72, 168]))
        kind = statement_kinds.get(i, "")
        if i == big_at:
            name = "Rank the charter's priorities for the next three years"
        elif kind:
            name = f"Adopt a new {StatementKind(kind).label.lower()}"
        elif method == Method.CONSENT:
            name = f"{rng.choice(VERBS)} {_fill(rng, rng.choice(THINGS))}"
        else:
            name = _fill(rng, rng.choice(CHOICE_QUESTIONS))
        n_options = BIG_OPTIONS if i == big_at else 0 if method == Method.CONSENT else rng.randint(3, 12)
        multiple = method == Method.POLL and rng.random() < 0.35
        with_process = i == big_at or bool(kind) or rng.random() < 0.35
        proposals.append(
            Proposal(
                partnership=partnership,
                body=None if i == big_at else body,
                process=process if with_process else None,
                title=name[:200],
                text=f"We propose to {name[0].lower()}{name[1:]}. This would help {rng.choice(AUDIENCES)} "
                f"through {rng.choice(ACTIVITIES)}, with a report back to the group in six months.",
                background="Discussed at the last meeting of the group." if rng.random() < 0.5 else "",
                method=method,
                multiple=multiple,
                max_choices=min(3, n_options) if multiple and rng.random() < 0.5 else None,
                dots_per_voter=rng.choice([3, 5, 10]) if method == Method.DOTS else 5,
                hide_results=rng.random() < 0.15,
                status=status,
                opens_at=None if status == Proposal.Status.DRAFT else created,
                closes_at=closes,
                statement_kind=kind,
                statement_text=(
                    f"Version {sum(1 for j in statement_kinds if j <= i and statement_kinds[j] == kind)}: "
                    f"Together we will {rng.choice(ACTIVITIES)} with {rng.choice(AUDIENCES)}, and decide in the open."
                    if kind
                    else ""
                ),
                created_by_id=chair.pk if rng.random() < 0.5 else rng.choice(voting[:2]),
                created_at=created,
            )
        )
        option_labels.append(_labels(rng, n_options))
    with given_times(Proposal, "created_at"):
        Proposal.objects.bulk_create(proposals)
    ProposalOption.objects.bulk_create(
        [
            ProposalOption(proposal=p, position=n, label=label)
            for p, labels in zip(proposals, option_labels, strict=True)
            for n, label in enumerate(labels, start=1)
        ],
        batch_size=1000,
    )
    option_ids: dict[int, list[str]] = {}
    for proposal_id, pk in ProposalOption.objects.filter(proposal__in=proposals).values_list("proposal_id", "pk"):
        option_ids.setdefault(proposal_id, []).append(str(pk))  # options come in position order

    # Votes: the group's 52 voters on its proposals, the partnership's participants on the big one.
    ordinary = [p for i, p in enumerate(proposals) if i != big_at]
    votes = []
    turnouts = _turnouts(rng, ordinary, len(voting), VOTES, floor=body.quorum + 5)
    for proposal, turnout in zip(ordinary, turnouts, strict=True):
        blocks = not proposal.statement_kind and rng.random() < 0.15
        for voter in rng.sample(voting, turnout):
            ballot, reason = _ballot(rng, proposal, option_ids.get(proposal.pk, []), blocks=blocks)
            at = proposal.created_at + (proposal.closes_at - proposal.created_at) * rng.random() * 0.9
            votes.append(Vote(proposal=proposal, voter_id=voter, ballot=ballot, reason=reason, created_at=at))
    big = proposals[big_at]
    for voter in rng.sample([chair.pk, *can_vote], BIG_BALLOTS):
        ballot, _ = _ballot(rng, big, option_ids[big.pk], blocks=False)
        at = big.created_at + (big.closes_at - big.created_at) * rng.random() * 0.9
        votes.append(Vote(proposal=big, voter_id=voter, ballot=ballot, created_at=at))
    with given_times(Vote, "created_at"):
        Vote.objects.bulk_create(votes, batch_size=1000)

    # Outcomes of the closed proposals, with the count as it stood at closing.
    outcomes, statements = [], []
    closed = [p for p in Proposal.objects.filter(pk__in=[p.pk for p in proposals[:CLOSED]]).select_related("body")]
    versions: Counter = Counter()
    for proposal in sorted(closed, key=lambda p: p.created_at):
        result = proposal_result(proposal)
        outcome = Outcome(
            proposal=proposal,
            passed=result.passed,
            decision=(f"Agreed: {proposal.title[0].lower()}{proposal.title[1:]}." if result.passed else "Not agreed.")
            + " "
            + result.summary,
            rationale="The group discussed the objections raised and agreed a review." if rng.random() < 0.3 else "",
            review_on=(proposal.closes_at + dt.timedelta(days=180)).date() if rng.random() < 0.25 else None,
            result=result.as_record(),
            recorded_by_id=chair.pk,
            created_at=proposal.closes_at + dt.timedelta(hours=rng.randint(1, 48)),
        )
        outcomes.append(outcome)
        if proposal.statement_kind and result.passed:
            versions[proposal.statement_kind] += 1
            statements.append(
                Statement(
                    process=process,
                    kind=proposal.statement_kind,
                    version=versions[proposal.statement_kind],
                    text=proposal.statement_text,
                    adopted_by=outcome,
                )
            )
    with given_times(Outcome, "created_at"):
        Outcome.objects.bulk_create(outcomes)
    Statement.objects.bulk_create(statements)

    # The audit entries the services would have written (never the ballots themselves).
    def entry(at, actor_id, action, proposal, changes=None):
        return AuditEntry(
            at=at,
            actor_id=actor_id,
            action=action,
            object_type="decisions.proposal",
            object_id=str(proposal.pk),
            object_repr=proposal.title[:300],
            partnership_id=partnership.pk,
            changes=changes or {},
        )

    entries = [entry(p.created_at, p.created_by_id, "proposal.open", p) for p in proposals if p.opens_at]
    entries += [entry(v.created_at, v.voter_id, "vote.cast", v.proposal) for v in votes]
    entries += [
        entry(o.created_at, chair.pk, "proposal.outcome", o.proposal, {"passed": o.passed, "decision": o.decision})
        for o in outcomes
    ]
    entries.sort(key=lambda e: e.at)
    with given_times(AuditEntry, "at"):
        AuditEntry.objects.bulk_create(entries, batch_size=1000)

    closed_by_method: dict[str, list[int]] = {}
    for o in outcomes:
        closed_by_method.setdefault(o.proposal.method, []).append(o.proposal.pk)
    return DecisionsSeed(
        core=core,
        body=body,
        process=process,
        chair=chair,
        closed_by_method=closed_by_method,
        big_ranked=big.pk,
        search_terms=SEARCH_TERMS,
        pages=-(-len(proposals) // 50),
        counts={
            "proposals": len(proposals),
            "options": sum(len(o) for o in option_labels),
            "votes": len(votes),
            "outcomes": len(outcomes),
            "statements": len(statements),
            "body_members": len(voting) + len(observers),
            "audit_entries": len(entries),
        },
    )


def decisions_seed(ctx) -> DecisionsSeed:
    """The large partnership (built first if no other scenario has), then its decisions."""
    core = core_partnership(ctx)
    return ctx.seed("decisions", lambda: seed_decisions(core))
