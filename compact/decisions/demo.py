"""Demo decisions, added while each demo process is in its leadership stage.

South East London's charter group met in June 2026: its meeting, minutes and attendance, and the
votes that adopted the charter's purpose, vision and priorities (one with an objection), so the
process page and the decision log have a real record. Kensington & Chelsea and Westminster's group
is deciding now: a meeting next week and a ranked-choice vote open for a few days.
Everything goes through the services; only the dates of the June record are set afterwards."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from compact.processes.demo import SEL_KEY_AREAS, register_demo_step
from compact.processes.models import StageKind

from . import services
from .models import Attendance, Meeting, Method, Outcome, Proposal, Statement, StatementKind, Vote

SEL_VISION = (
    "People in South East London live longer, healthier lives because the NHS, councils and the "
    "VCSE sector plan, fund and deliver care together, as equal partners, with the communities "
    "that face the worst health."
)
SEL_PURPOSE = (
    "This charter sets out how the NHS, councils and the voluntary, community and social enterprise "
    "sector in South East London will work together to tackle health inequalities, and how each "
    "partner will be held to its commitments."
)
SEL_AREAS = SEL_KEY_AREAS  # the priorities the group adopted are the charter's key areas
SEL_OTHER_AREAS = ["Sharing data and evidence", "Volunteering"]
SEL_AGENDA = [
    # title, minutes, presenter, minutes of the item
    ("Welcome, introductions and apologies", 10, "Amara Okafor",
     "Amara welcomed the group. Chloe Martin sent apologies and voted by email."),
    ("Why a charter: its purpose", 35, "Ben Hughes",
     "Ben set out what the sector wants from the charter. The group agreed the purpose by consent."),
    ("The vision", 30, "Amara Okafor",
     "The vision was agreed. Chloe's objection (carers and Core20 areas) is to be taken into the workshops."),
    ("Choosing the priorities", 35, "Ben Hughes",
     "Members spread five dots each over six areas. The four with the most dots become the key areas."),
    ("Next steps: workshops with the wider sector", 10, "Ben Hughes",
     "The Alliance will run two workshops in July to gather ideas under each key area."),
]  # fmt: skip


def register() -> None:
    register_demo_step(StageKind.LEADERSHIP, leadership_stage)


def leadership_stage(*, process, stage) -> None:
    group = process.partnership.bodies.get(kind="leadership")
    if process.partnership.slug == "south-east-london":
        _sel_record(process, group)
    else:
        _kcw_open_vote(process, group)


def _people(*emails):
    users = {u.email: u for u in get_user_model().objects.filter(email__in=emails)}
    return [users[e] for e in emails]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _decide(proposal: Proposal, chair, ballots: dict, decision: str, rationale: str, review_on: dt.date) -> Outcome:
    for voter, ballot in ballots.items():
        services.vote_cast(proposal=proposal, voter=voter, ballot=ballot)
    services.proposal_close(proposal=proposal, actor=chair)
    return services.outcome_record(
        proposal=proposal, actor=chair, decision=decision, rationale=rationale, review_on=review_on
    )


def _sel_record(process, group) -> None:
    amara, ben, chloe, dev = _people(
        "convenor@example.org", "facilitator@example.org", "member@example.org", "observer@example.org"
    )
    day = dt.date(2026, 6, 10)
    meeting = services.meeting_create(
        body=group, actor=amara, title="First meeting of the charter leadership group",
        starts_at=_at(day, 10), ends_at=_at(day, 12), place="160 Tooley Street, London SE1 2TZ",
        online_link="https://meet.example.org/sel-charter-leadership",
    )  # fmt: skip
    for title, minutes, presenter, notes in SEL_AGENDA:
        item = services.agenda_item_add(
            meeting=meeting, actor=amara, title=title, duration_minutes=minutes, presenter=presenter
        )
        services.agenda_item_minutes(item=item, actor=amara, minutes=notes)
    members = {m.user_id: m.organisation for m in group.body_members.select_related("organisation")}
    services.attendance_record(
        meeting=meeting, actor=amara,
        records=[
            {"user": u, "status": Attendance.Status.APOLOGIES if u == chloe else Attendance.Status.PRESENT,
             "organisation": members.get(u.pk)}
            for u in (amara, ben, chloe, dev)
        ],
    )  # fmt: skip

    common = {"partnership": process.partnership, "body": group, "process": process, "meeting": meeting}
    closes = timezone.now() + dt.timedelta(days=2)
    review = dt.date(2027, 6, 1)
    agree = {"position": "agree"}
    purpose = services.proposal_create(
        actor=ben, title="Adopt the charter's purpose", text="We adopt this purpose for the charter.",
        background="Drafted by the co-chairs from the sector's responses to the ICB's engagement in spring 2026.",
        closes_at=closes, statement_kind=StatementKind.PURPOSE, statement_text=SEL_PURPOSE, **common,
    )  # fmt: skip
    _decide(purpose, ben, {amara: agree, ben: agree, chloe: agree}, "The purpose is adopted.",
            "Everyone agreed; Chloe voted by email before the meeting.", review)  # fmt: skip

    vision = services.proposal_create(
        actor=amara, title="Adopt the charter's vision", text="We adopt this vision for the charter.",
        closes_at=closes, statement_kind=StatementKind.VISION, statement_text=SEL_VISION, **common,
    )  # fmt: skip
    objection = {"position": "object", "reason": "It should name unpaid carers and people living in Core20 areas."}
    _decide(vision, amara, {amara: agree, ben: agree, chloe: objection}, "The vision is adopted.",
            "One objection, which does not block: the workshops will test whether carers and Core20 "
            "areas need naming.", review)  # fmt: skip

    areas = SEL_AREAS + SEL_OTHER_AREAS
    dots = services.proposal_create(
        actor=ben, title="Which areas should the charter's priorities cover?", method=Method.DOTS,
        text="Spread your five dots over the areas the charter should cover first.", options=areas,
        dots_per_voter=5, closes_at=closes, **common,
    )  # fmt: skip
    option = {o.label: str(o.pk) for o in dots.options.all()}

    def spread(*counts):
        return {"dots": {option[a]: n for a, n in zip(areas, counts, strict=True) if n}}

    _decide(dots, ben, {amara: spread(1, 1, 2, 1, 0, 0), ben: spread(2, 2, 1, 0, 0, 0),
                        chloe: spread(1, 2, 0, 1, 1, 0)},
            "The four areas with the most dots become the charter's key areas.",
            "Sharing data and volunteering will be covered within the four areas.", review)  # fmt: skip

    priorities = services.proposal_create(
        actor=amara, title="Adopt the charter's priorities", text="We adopt the four key areas as priorities.",
        closes_at=closes, statement_kind=StatementKind.PRIORITIES,
        statement_text="\n".join(f"{n}. {area}" for n, area in enumerate(SEL_AREAS, start=1)), **common,
    )  # fmt: skip
    _decide(priorities, amara, {amara: agree, ben: agree, chloe: agree}, "The four key areas are adopted.",
            "They follow the dot vote.", review)  # fmt: skip

    _backdate([purpose, vision, dots, priorities], opened=_at(day - dt.timedelta(days=7), 9), closed=_at(day, 12))


def _backdate(proposals: list[Proposal], *, opened: dt.datetime, closed: dt.datetime) -> None:
    """Set the June dates the record would carry had it been made then."""
    ids = [p.pk for p in proposals]
    Proposal.objects.filter(pk__in=ids).update(opens_at=opened, closes_at=closed, created_at=opened, updated_at=closed)
    Vote.objects.filter(proposal_id__in=ids).update(created_at=opened, updated_at=opened)
    Outcome.objects.filter(proposal_id__in=ids).update(created_at=closed, updated_at=closed)
    Statement.objects.filter(adopted_by__proposal_id__in=ids).update(adopted_at=closed)
    Meeting.objects.filter(proposals__in=ids).update(created_at=opened, updated_at=closed)


def _kcw_open_vote(process, group) -> None:
    (fatima,) = _people("kcw.convenor@example.org")
    soon = timezone.localdate() + dt.timedelta(days=7)
    meeting = services.meeting_create(
        body=group, actor=fatima, title="Strategy leadership group: priorities", starts_at=_at(soon, 14),
        ends_at=_at(soon, 15, 30), place="Kensington Town Hall, Hornton Street, London W8 7NX",
    )  # fmt: skip
    for title, minutes in [("Welcome", 10), ("Which priority comes first", 50), ("Planning the workshops", 30)]:
        services.agenda_item_add(meeting=meeting, actor=fatima, title=title, duration_minutes=minutes)
    ranked = services.proposal_create(
        partnership=process.partnership, body=group, process=process, meeting=meeting, actor=fatima,
        title="Which priority should the strategy start with?", method=Method.RANKED,
        text="Rank the four priorities from the one the strategy should tackle first.",
        options=["Mental health and wellbeing", "Children and young people", "Healthy ageing",
                 "Access to services for people facing exclusion"],
        hide_results=True, closes_at=timezone.now() + dt.timedelta(days=5),
    )  # fmt: skip
    labels = [str(o.pk) for o in ranked.options.order_by("position")]
    services.vote_cast(proposal=ranked, voter=fatima, ballot={"ranking": [labels[3], labels[0], labels[1]]})
    # Amara, the group's other member, has not voted yet: her dashboard asks her to.
