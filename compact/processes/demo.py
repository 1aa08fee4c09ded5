"""Demo data: the two reference processes (DESIGN.md §1), built through the services so
the audit log reads as it would in real use. NHS and council identifiers are real; the
VCSE organisations' charity numbers are illustrative, not their registered numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction

from compact.core.tasks import quietly
from compact.geography.models import Area
from compact.geography.services import geography_load
from compact.organisations.models import Organisation
from compact.partnerships import services as ps
from compact.partnerships.models import Partnership, Position, Role

from . import services
from .models import ProcessKind

DEMO_PASSWORD = "compact-demo-2026"

# Higher apps add their demo data for a stage (e.g. decisions for the leadership stage) from
# AppConfig.ready(); each step runs while its stage is in progress, as it would in real use.
DEMO_STEPS: dict[str, list[Callable]] = {}


def register_demo_step(stage_kind: str, step: Callable) -> None:
    """step(process=..., stage=...) runs for each demo process when that stage starts."""
    DEMO_STEPS.setdefault(stage_kind, []).append(step)


PEOPLE = [
    # email, name, what they can try
    (
        "convenor@example.org",
        "Amara Okafor",
        "Convenor and leadership group co-chair in South East London; member in Kensington & Chelsea and Westminster",
    ),
    ("facilitator@example.org", "Ben Hughes", "Facilitator and leadership group co-chair in South East London"),
    ("member@example.org", "Chloe Martin", "Member in South East London, for a VCSE organisation"),
    ("observer@example.org", "Dev Patel", "Observer in South East London and its leadership group"),
    ("kcw.convenor@example.org", "Fatima Rahman", "Convenor of Kensington & Chelsea and Westminster"),
]

SEL_ORGS = [
    ("GB-NHS-QKK", "NHS South East London Integrated Care Board", "icb", "super_major", ["E54000030"]),
    ("GB-CHC-1199001", "South East London VCSE Alliance", "vcse_infrastructure", "small", ["E54000030"]),
    ("GB-LAE-BEX", "London Borough of Bexley", "local_authority", "super_major", ["E09000004"]),
    ("GB-LAE-BRY", "London Borough of Bromley", "local_authority", "super_major", ["E09000006"]),
    ("GB-LAE-GRE", "Royal Borough of Greenwich", "local_authority", "super_major", ["E09000011"]),
    ("GB-LAE-LBH", "London Borough of Lambeth", "local_authority", "super_major", ["E09000022"]),
    ("GB-LAE-LEW", "London Borough of Lewisham", "local_authority", "super_major", ["E09000023"]),
    ("GB-LAE-SWK", "London Borough of Southwark", "local_authority", "super_major", ["E09000028"]),
    ("GB-NHS-RJ1", "Guy's and St Thomas' NHS Foundation Trust", "nhs_trust", "super_major", ["E09000022", "E09000028"]),
    (
        "GB-NHS-RJZ",
        "King's College Hospital NHS Foundation Trust",
        "nhs_trust",
        "super_major",
        ["E09000022", "E09000028"],
    ),
    (
        "GB-NHS-RV5",
        "South London and Maudsley NHS Foundation Trust",
        "nhs_trust",
        "super_major",
        ["E09000022", "E09000023", "E09000028"],
    ),
    ("GB-CHC-1199002", "Lewisham Community Food Network", "vcse", "micro", ["E09000023"]),
    ("GB-CHC-1199003", "Greenwich Carers Together", "vcse", "small", ["E09000011"]),
    ("GB-CHC-1199004", "Southwark Refugee Health Project", "vcse", "medium", ["E09000028"]),
]

KCW_ORGS = [
    ("GB-LAE-KEC", "Royal Borough of Kensington and Chelsea", "local_authority", "super_major", ["E09000020"]),
    ("GB-LAE-WSM", "Westminster City Council", "local_authority", "super_major", ["E09000033"]),
    ("GB-CHC-1199005", "Kensington & Chelsea Social Council", "vcse_infrastructure", "medium", ["E09000020"]),
    ("GB-CHC-1199006", "One Westminster", "vcse_infrastructure", "medium", ["E09000033"]),
]

SEL_KEY_AREAS = [
    "The VCSE sector as a key strategic partner",
    "Sustainability, capacity and diversity of the sector, including funding",
    "Procurement that does not disadvantage VCSE organisations",
    "Empathetic development and management of contracts",
]

SEL_PURPOSE = """A charter setting out how the NHS, councils and the voluntary, community and social enterprise (VCSE) sector in South East London work together to tackle health inequalities.

Its commitments sit under four key areas:

1. The VCSE sector as a key strategic partner
2. Sustainability, capacity and diversity of the sector, including funding
3. Procurement that does not disadvantage VCSE organisations
4. Empathetic development and management of contracts
"""

KCW_PURPOSE = """A strategy for how voluntary and community sector organisations in Kensington and Chelsea and Westminster work with the NHS and councils on health and care, agreed by a leadership group and shaped by workshops and case studies of effective practice."""


def _user(email, name):
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _orgs(partnership, actor, rows):
    for org_id, name, kind, size, places in rows:
        org = Organisation.objects.filter(org_id=org_id).first()
        areas = list(Area.objects.filter(code__in=places))
        if org is None:
            ps.partnership_organisation_create(
                partnership=partnership,
                actor=actor,
                org_id=org_id,
                name=name,
                kind=kind,
                size_band=size,
                places=areas,
            )
        elif not partnership.member_links.filter(organisation=org).exists():
            ps.partnership_add_organisation(partnership=partnership, actor=actor, organisation=org)


def _timeline(process, actor, start: dt.date, weeks: list[int], active_index: int):
    stages = list(process.stages.order_by("position"))
    dates, day = [], start
    for stage, length in zip(stages, weeks, strict=True):
        end = day + dt.timedelta(weeks=length) - dt.timedelta(days=1)
        dates.append(services.StageDates(stage.pk, day, end))
        day = end + dt.timedelta(days=1)
    services.timeline_update(process=process, actor=actor, dates=dates)
    for stage in stages[: active_index + 1]:  # each earlier stage is done, in turn
        services.stage_start(process=process, actor=actor, stage=stage)
        for step in DEMO_STEPS.get(stage.kind, []):
            step(process=process, stage=stage)


def load_demo() -> bool:
    """Create the demo once. Returns False when it is already there. Nobody is emailed."""
    if Partnership.objects.filter(slug="south-east-london").exists():
        return False
    with quietly(), transaction.atomic():
        _load()
    return True


def _load() -> None:
    if not Area.objects.filter(code="E54000030").exists():
        geography_load()
    people = {email: _user(email, name) for email, name, _ in PEOPLE}
    amara, ben, chloe, dev, fatima = people.values()

    sel = ps.partnership_create(
        actor=amara,
        name="South East London",
        brand_name="SEL ICS",
        brand_colour="#005a4e",
        description="The integrated care system for Bexley, Bromley, Greenwich, Lambeth, Lewisham and Southwark.",
        places=list(
            Area.objects.filter(
                code__in=["E54000030", "E09000004", "E09000006", "E09000011", "E09000022", "E09000023", "E09000028"]
            )
        ),
    )
    _orgs(sel, amara, SEL_ORGS)
    alliance = Organisation.objects.get(org_id="GB-CHC-1199001")
    icb = Organisation.objects.get(org_id="GB-NHS-QKK")
    for user, role, org in [
        (ben, Role.FACILITATOR, alliance),
        (chloe, Role.MEMBER, Organisation.objects.get(org_id="GB-CHC-1199002")),
        (dev, Role.OBSERVER, icb),
    ]:
        _invite_and_accept(sel, amara, user, role, org)
    leadership = ps.body_create(
        partnership=sel,
        actor=amara,
        name="Charter leadership group",
        kind="leadership",
        description="ICB and VCSE co-chairs with sector leaders. Agrees the charter's purpose, vision and priorities.",
        quorum=3,
        decision_rule="plurality",
        casting_vote=True,
        voting_hours=48,
    )
    for user, org, position in [
        (amara, icb, Position.CO_CHAIR),
        (ben, alliance, Position.CO_CHAIR),
        (chloe, None, Position.MEMBER),
        (dev, icb, Position.OBSERVER),
    ]:
        ps.body_add_member(
            body=leadership, actor=amara, user=user, organisation=org, position=position, starts_on=dt.date(2026, 6, 1)
        )
    ps.body_create(
        partnership=sel,
        actor=amara,
        name="Integrated Care Partnership",
        kind="governance",
        description="Receives the draft charter and signs it off.",
    )
    charter = services.process_create(
        partnership=sel,
        actor=amara,
        title="South East London VCSE Charter",
        kind=ProcessKind.CHARTER,
        purpose_summary=SEL_PURPOSE,
    )
    for area in SEL_KEY_AREAS:
        services.key_area_add(process=charter, actor=amara, title=area)
    _timeline(charter, amara, dt.date(2026, 6, 1), [6, 8, 6, 8, 6, 4, 2, 52], active_index=3)

    kcw = ps.partnership_create(
        actor=fatima,
        name="Kensington & Chelsea and Westminster",
        brand_name="K&C and Westminster",
        brand_colour="#4c2c92",
        description="Voluntary and community sector partners in health and care across two boroughs.",
        places=list(Area.objects.filter(code__in=["E09000020", "E09000033"])),
    )
    _orgs(kcw, fatima, KCW_ORGS)
    _invite_and_accept(kcw, fatima, amara, Role.MEMBER, None)
    kcw_group = ps.body_create(
        partnership=kcw, actor=fatima, name="Strategy leadership group", kind="leadership", quorum=2
    )
    ps.body_add_member(
        body=kcw_group,
        actor=fatima,
        user=fatima,
        organisation=Organisation.objects.get(org_id="GB-CHC-1199005"),
        position=Position.CO_CHAIR,
    )
    ps.body_add_member(body=kcw_group, actor=fatima, user=amara, position=Position.MEMBER)
    strategy = services.process_create(
        partnership=kcw,
        actor=fatima,
        title="VCS Health and Care Strategy",
        kind=ProcessKind.STRATEGY,
        purpose_summary=KCW_PURPOSE,
    )
    _timeline(strategy, fatima, dt.date(2026, 10, 5), [8, 8, 8, 10, 6, 4, 4, 52], active_index=0)


def _invite_and_accept(partnership, actor, user, role, org):
    _inv, token = ps.invitation_create(
        partnership=partnership, actor=actor, email=user.email, role=role, organisation=org
    )
    ps.invitation_accept(token=token, user=user)
