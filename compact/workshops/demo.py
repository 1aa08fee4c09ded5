"""Demo workshops, added while each demo process is at the matching stage.

South East London held its joint workshop in July 2026: registrations (one guest without an
account), ideas under the four key areas from people and tables, themes, a dot vote and a
published write-up. Kensington & Chelsea and Westminster, still in its leadership stage, has a
workshop planned for December with registration open. Everything goes through the services
(run as if today), then the July record gets its July dates."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from compact.geography.models import Area
from compact.organisations.models import Organisation
from compact.processes.demo import register_demo_step
from compact.processes.models import StageKind

from . import services
from .models import Access, Format, Idea, Participant, Registration, WallEvent, Workshop, WriteUp
from .services import access_needs, ideas, participants, registration, themes, voting, writeup

SEL_PROMPTS = [
    # prompt, its ideas: (who, text); who is an email, "Table 1"/"Table 2", or "guest"
    ("What would make the VCSE sector a real strategic partner?", [
        ("member@example.org", "A VCSE seat with a vote on every ICB programme board, not just an invitation"),
        ("Table 1", "Pay people for their time when they sit on NHS boards and panels"),
        ("guest", "Share board papers two weeks before meetings so small groups can prepare"),
        ("convenor@example.org", "Co-chairs from the ICB and the VCSE sector for the partnership board"),
    ]),
    ("What would make funding fairer and more sustainable for small organisations?", [
        ("member@example.org", "Three-year grants as standard, with inflation built in"),
        ("Table 2", "Pay invoices within 30 days: small charities cannot wait three months"),
        ("guest", "Fund core costs, not only projects"),
        ("Table 1", "A small grants fund that a community group can apply to in one page"),
    ]),
    ("What should the ICB and councils change about procurement?", [
        ("member@example.org", "Social value worth at least 20% of the score in every tender"),
        ("Table 2", "Stop asking for three years of audited accounts from small providers"),
        ("guest", "Let consortia of small charities bid together"),
        ("facilitator@example.org", "Publish a pipeline of upcoming contracts a year ahead"),
    ]),
    ("How should contracts be developed and managed?", [
        ("member@example.org", "Agree outcomes with the people who use the service"),
        ("Table 1", "One monitoring form for all NHS and council contracts"),
        ("guest", "Review contracts together every year, not only when something goes wrong"),
    ]),
]  # fmt: skip
SEL_THEMES = {  # theme: the ideas in it (by their first words)
    "A voice with power": ["A VCSE seat", "Co-chairs from", "Pay people for"],
    "Money that lasts": ["Three-year grants", "Fund core costs", "Pay invoices"],
    "Fair tendering": ["Social value", "Stop asking", "Let consortia", "Publish a pipeline"],
}


def register() -> None:
    register_demo_step(StageKind.WORKSHOPS, workshops_stage)
    register_demo_step(StageKind.LEADERSHIP, leadership_stage)


def _user(email):
    return get_user_model().objects.get(email=email)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def workshops_stage(*, process, stage) -> None:
    if process.partnership.slug == "south-east-london":
        _sel_joint_workshop(process, stage)


def leadership_stage(*, process, stage) -> None:
    if process.partnership.slug != "south-east-london":
        _kcw_planned_workshop(process)


def _sel_joint_workshop(process, stage) -> None:
    ben, amara, chloe = (_user(e) for e in ("facilitator@example.org", "convenor@example.org", "member@example.org"))
    tomorrow = timezone.localdate() + dt.timedelta(days=1)  # run as if upcoming, dated July afterwards
    workshop = services.workshop_create(
        process=process, actor=ben, stage=stage, title="Joint workshop: mapping the charter",
        purpose="People from across the sector map what the charter should say under each key area.",
        starts_at=_at(tomorrow, 10), ends_at=_at(tomorrow, 13), format=Format.HYBRID,
        venue="Lewisham Civic Suite, Catford Road, London SE6 4RU",
        online_link="https://meet.example.org/sel-charter-workshop", capacity=40,
        access=[Access.STEP_FREE, Access.HEARING_LOOP, Access.QUIET_ROOM],
        access_notes="Catford and Catford Bridge stations are step-free. The quiet room is Room 3.",
        dots_per_participant=5,
    )  # fmt: skip
    areas = list(process.key_areas.all())
    prompts = [
        services.prompt_add(workshop=workshop, actor=ben, text=text, key_area=area)
        for (text, _), area in zip(SEL_PROMPTS, areas, strict=True)
    ]
    lewisham = Area.objects.get(code="E09000023")
    registration.registration_create_for_member(
        workshop=workshop, actor=chloe, organisation=Organisation.objects.get(org_id="GB-CHC-1199002"),
        borough=lewisham, access_needs="I use a wheelchair.",
    )  # fmt: skip
    registration.registration_create_for_member(workshop=workshop, actor=amara)
    _invitation, token = registration.guest_invite(
        workshop=workshop, actor=ben, email="priya.shah@example.org", name="Priya Shah"
    )
    registration.guest_register(
        token=token, name="Priya Shah", organisation_name="Greenwich Carers Together",
        borough=Area.objects.get(code="E09000011"),
    )  # fmt: skip

    services.workshop_start(workshop=workshop, actor=ben)
    guest, _key = participants.participant_join_guest(
        workshop=workshop, display_name="Priya Shah", organisation_name="Greenwich Carers Together"
    )
    for prompt in prompts:
        services.prompt_open(prompt=prompt, actor=ben)
    for prompt, (_, entries) in zip(prompts, SEL_PROMPTS, strict=True):
        for who, text in entries:
            extra = {"participant": guest} if who == "guest" else {"actor": ben, "table_label": who}
            if "@" in who:
                extra = {"actor": _user(who)}
            ideas.idea_submit(workshop=workshop, prompt=prompt, text=text, idempotency_key=uuid.uuid4(), **extra)
    services.workshop_end(workshop=workshop, actor=ben)

    for name, starts in SEL_THEMES.items():
        theme = themes.theme_create(workshop=workshop, actor=ben, name=name)
        for idea in Idea.objects.filter(workshop=workshop):
            if any(idea.text.startswith(start) for start in starts):
                themes.idea_move_to_theme(idea=idea, actor=ben, theme=theme)

    voting.voting_open(workshop=workshop, actor=ben)
    by_start = {idea.text.split(" ")[0] + " " + idea.text.split(" ")[1]: idea.pk for idea in workshop.ideas.all()}
    for voter, spread in [
        ({"actor": chloe}, {"Pay invoices": 2, "Three-year grants": 2, "A VCSE": 1}),
        ({"actor": amara}, {"Publish a": 2, "Social value": 2, "Co-chairs from": 1}),
        ({"participant": guest}, {"Fund core": 3, "Pay invoices": 2}),
    ]:
        voting.dots_save(workshop=workshop, dots={by_start[k]: n for k, n in spread.items()}, **voter)
    voting.voting_close(workshop=workshop, actor=ben)
    voting.results_reveal(workshop=workshop, actor=ben)
    writeup.write_up_update(
        workshop=workshop, actor=ben,
        summary="People from across South East London, in the room and online, mapped what the charter "
                "should say under each key area. Money that lasts and fair tendering drew the most dots.",
        facilitator_notes="Table notes were typed up on the day. Ideas from the online room are included.",
    )  # fmt: skip
    writeup.write_up_publish(workshop=workshop, actor=ben)
    _date_in_july(workshop, dt.date(2026, 7, 22))


def _date_in_july(workshop: Workshop, day: dt.date) -> None:
    """The record as it would have been written on the day: times within the session."""
    start, end = _at(day, 10), _at(day, 13)
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=start, ends_at=end, created_at=start - dt.timedelta(days=21), updated_at=end
    )
    Registration.objects.filter(workshop=workshop).update(created_at=start - dt.timedelta(days=7))
    Participant.objects.filter(workshop=workshop).update(created_at=start)
    for n, idea in enumerate(Idea.objects.filter(workshop=workshop).order_by("pk")):
        Idea.objects.filter(pk=idea.pk).update(created_at=start + dt.timedelta(minutes=15 + 4 * n))
    WallEvent.objects.filter(workshop=workshop).update(created_at=end)
    WriteUp.objects.filter(workshop=workshop).update(published_at=end + dt.timedelta(days=5))
    # Access needs went a few hours after the workshop, as the purge task would have done.
    access_needs.access_needs_purge(workshop=Workshop.objects.get(pk=workshop.pk))


def _kcw_planned_workshop(process) -> None:
    fatima, amara = _user("kcw.convenor@example.org"), _user("convenor@example.org")
    stage = process.stages.get(kind=StageKind.WORKSHOPS)
    day = stage.starts_on + dt.timedelta(days=3) if stage.starts_on else timezone.localdate() + dt.timedelta(days=14)
    workshop = services.workshop_create(
        process=process, actor=fatima, stage=stage, title="Priorities workshop",
        purpose="Voluntary and community groups from both boroughs say what the strategy should do first.",
        starts_at=_at(day, 14), ends_at=_at(day, 16, 30), format=Format.IN_PERSON,
        venue="Kensington Town Hall, Hornton Street, London W8 7NX", capacity=25,
        access=[Access.STEP_FREE, Access.BSL], allow_anonymous=True,
    )  # fmt: skip
    for text in ["What gets in the way of your organisation working with the NHS?",
                 "What one change would make the biggest difference to the people you support?"]:  # fmt: skip
        services.prompt_add(workshop=workshop, actor=fatima, text=text)
    registration.registration_create_for_member(workshop=workshop, actor=amara)
