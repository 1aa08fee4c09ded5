"""Seed a large, realistic integrated care system partnership with bulk inserts.

Services are bypassed for speed (one bulk insert per table instead of ~20,000 audited
writes), but the rows are what the services would have written: valid org-ids, one active
stage per process, contiguous stage dates, an audit entry for each write.
Deterministic: the same seed gives the same data on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from compact.activity.models import AuditEntry
from compact.geography.models import Area
from compact.geography.services import geography_load
from compact.organisations.models import Organisation, OrganisationIdentifier, OrganisationKind, SizeBand
from compact.organisations.orgid import validate_org_id
from compact.partnerships.models import (
    Body,
    BodyKind,
    BodyMember,
    Invitation,
    Membership,
    Partnership,
    PartnershipOrganisation,
    Role,
)
from compact.processes.models import Process, ProcessKind, Stage, StageKind, StageStatus

SEED = 2026
PASSWORD = "bench-password-2026"


def _words(text: str, sep: str = ", ") -> list[str]:
    return [w.strip() for w in text.split(sep.strip())]


ICB_CODE = "E54000030"  # NHS South East London ICB
BOROUGHS = {  # ONS code -> (name, GB-LAE code, council name)
    "E09000004": ("Bexley", "BEX", "London Borough of Bexley"),
    "E09000006": ("Bromley", "BRY", "London Borough of Bromley"),
    "E09000011": ("Greenwich", "GRE", "Royal Borough of Greenwich"),
    "E09000022": ("Lambeth", "LBH", "London Borough of Lambeth"),
    "E09000023": ("Lewisham", "LEW", "London Borough of Lewisham"),
    "E09000028": ("Southwark", "SWK", "London Borough of Southwark"),
}
NEIGHBOURHOODS = {
    "E09000004": ["Bexleyheath", "Erith", "Sidcup", "Welling", "Thamesmead", "Crayford"],
    "E09000006": ["Orpington", "Beckenham", "Penge", "Bromley Common", "Chislehurst", "Biggin Hill"],
    "E09000011": ["Woolwich", "Eltham", "Charlton", "Plumstead", "Deptford Creek", "Abbey Wood"],
    "E09000022": ["Brixton", "Streatham", "Clapham", "Stockwell", "Kennington", "Norwood"],
    "E09000023": ["Catford", "Deptford", "Sydenham", "Lee", "Brockley", "New Cross"],
    "E09000028": ["Peckham", "Camberwell", "Bermondsey", "Walworth", "Rotherhithe", "Dulwich"],
}
TRUSTS = [
    ("RJ1", "Guy's and St Thomas' NHS Foundation Trust", ["E09000022", "E09000028"]),
    ("RJZ", "King's College Hospital NHS Foundation Trust", ["E09000022", "E09000028", "E09000006"]),
    ("RV5", "South London and Maudsley NHS Foundation Trust", ["E09000022", "E09000023", "E09000028"]),
    ("RJ2", "Lewisham and Greenwich NHS Trust", ["E09000023", "E09000011"]),
    ("RPG", "Oxleas NHS Foundation Trust", ["E09000004", "E09000006", "E09000011"]),
    ("RRU", "London Ambulance Service NHS Trust", [ICB_CODE]),
]
UNIVERSITIES = [
    ("10002863", "Goldsmiths, University of London", "E09000023"),
    ("10003645", "King's College London", "E09000028"),
    ("10004078", "London South Bank University", "E09000028"),
    ("10007146", "University of Greenwich", "E09000011"),
]
THEMES = _words(
    "Carers, Youth, Food, Refugee, Mental Health, Wellbeing, Community, Older People's, Disability, Arts, "
    "Sports, Housing, Advice, Women's, Family, Parents, Recovery, Befriending, Bereavement, Autism, "
    "Dementia, Sickle Cell, Diabetes, Tenants, Faith, Migrant, LGBTQ+, Domestic Abuse, Music, Gardening, "
    "Cycling, Literacy, Employment, Debt Advice, Homeless, Veterans, Deaf, Sight Loss, Men's Health, Play",
    sep=", ",
)
TYPES = _words(
    "Network, Trust, Project, Association, Forum, Centre, Group, Alliance, Foundation, Collective, "
    "Partnership, Hub, Society, Club, Initiative, Service, Action, Together",
    sep=", ",
)
ADJECTIVES = _words("Bright, New, Open, Better, Growing, United, Shared, Hopeful, Kind, Rising", sep=", ")
LANDMARKS = _words("Park, Library, Common, Lido, Community Garden, Wood, Allotments, Adventure Playground", sep=", ")
AUDIENCES = _words(
    "unpaid carers; young people; families on low incomes; refugees and people seeking asylum; older "
    "people living alone; disabled people; people with long-term conditions; people experiencing "
    "homelessness; Black and minoritised communities; people in recovery",
    sep="; ",
)
ACTIVITIES = _words(
    "peer support groups; advice sessions; a weekly food bank; befriending visits; social prescribing; "
    "outreach in GP surgeries; creative workshops; advocacy; training and volunteering; sports sessions",
    sep="; ",
)
FIRST = _words(
    "Amara, Ben, Chloe, Dev, Fatima, Grace, Hassan, Isla, Jamal, Kemi, Liam, Maya, Nadia, Oliver, Priya, "
    "Qasim, Rosa, Samuel, Tara, Usman, Vera, Wei, Xavier, Yasmin, Zara, Adebayo, Bethany, Callum, "
    "Deborah, Emeka, Fiona, Gabriel, Hannah, Ifeoma, Joseph, Katarzyna, Leon, Mohammed, Niamh, Oluwaseun, "
    "Patrick, Rachel, Siobhan, Tomasz, Ursula, Victor, Winston, Yusuf, Zainab, Aisha",
    sep=", ",
)
LAST = _words(
    "Okafor, Hughes, Martin, Patel, Rahman, Smith, Jones, Williams, Brown, Taylor, Davies, Evans, Wilson, "
    "Thomas, Johnson, Roberts, Walker, Wright, Robinson, Thompson, Adeyemi, Mensah, Kowalski, Nowak, "
    "Chen, Khan, Ahmed, Ali, Begum, Hussain, O'Neill, Murphy, Kelly, Campbell, Stewart, Clarke, Lewis, "
    "Green, Hall, Wood, Asante, Boateng, Da Silva, Fernandes, Kaur, Singh, Nguyen, Osei, Mahmood, Reid",
    sep=", ",
)
PROCESS_TITLES = _words(
    "South East London VCSE Charter; Lambeth Health Inequalities Compact; Southwark Community Health "
    "Strategy; Lewisham Social Prescribing Memorandum; Greenwich Carers Charter; Bexley Voluntary Sector "
    "Compact; Bromley Community Wellbeing Strategy; SEL Mental Health Partnership Charter; Children and "
    "Young People Compact; Healthy Ageing Strategy; Anchor Institutions Memorandum; Commissioning with "
    "the VCSE Charter; Core20PLUS5 Community Strategy; Winter Resilience Memorandum; Food Insecurity "
    "Compact; Sickle Cell Community Charter; Volunteering Strategy; Neighbourhood Health Compact; Digital "
    "Inclusion Memorandum; Refugee and Migrant Health Strategy",
    sep="; ",
)
STAGE_WEEKS = [6, 8, 6, 8, 6, 4, 2, 52]


@dataclass
class CoreSeed:
    partnership: Partnership
    convenor: object  # the User the pages are measured as
    org_ids: list[str]
    process_slugs: list[str]
    borough_codes: list[str]
    search_terms: list[str]
    counts: dict = field(default_factory=dict)


@contextmanager
def given_times(model, field_name: str):
    """Let bulk inserts keep the times we give an auto_now_add field (history spread out)."""
    f = model._meta.get_field(field_name)
    old = f.auto_now_add
    f.auto_now_add = False
    try:
        yield
    finally:
        f.auto_now_add = old


def _unique_numbers(rng: random.Random, lo: int, hi: int, k: int) -> list[int]:
    return rng.sample(range(lo, hi), k)


def _vcse_name(rng: random.Random, borough: str) -> str:
    (bname, _, _) = BOROUGHS[borough]
    place = rng.choice([bname, *NEIGHBOURHOODS[borough]])
    roll = rng.random()
    if roll < 0.55:
        return f"{place} {rng.choice(THEMES)} {rng.choice(TYPES)}"
    if roll < 0.75:
        return f"{rng.choice(ADJECTIVES)} {rng.choice(THEMES)} {rng.choice(TYPES)} {place}"
    if roll < 0.9:
        return f"{rng.choice(THEMES)} {rng.choice(['Matters', 'Support', 'Connect', 'Space'])} in {place}"
    return f"Friends of {place} {rng.choice(LANDMARKS)}"


def _size(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


VCSE_SIZES = {
    SizeBand.MICRO: 40,
    SizeBand.SMALL: 32,
    SizeBand.MEDIUM: 16,
    SizeBand.LARGE: 6,
    SizeBand.MAJOR: 1,
    SizeBand.UNKNOWN: 5,
}


def _organisation_rows(rng: random.Random, total: int) -> list[dict]:
    """(org_id, name, kind, size, places, description, website) for `total` organisations."""
    boroughs = list(BOROUGHS)
    rows = [
        dict(
            org_id="GB-NHS-QKK",
            name="NHS South East London Integrated Care Board",
            kind=OrganisationKind.ICB,
            size=SizeBand.SUPER_MAJOR,
            places=[ICB_CODE],
            website="https://www.selondonics.org",
        )
    ]
    for code, (bname, lae, council) in BOROUGHS.items():
        rows.append(
            dict(
                org_id=f"GB-LAE-{lae}",
                name=council,
                kind=OrganisationKind.LOCAL_AUTHORITY,
                size=SizeBand.SUPER_MAJOR,
                places=[code],
                website=f"https://www.{bname.lower()}.gov.uk",
            )
        )
    for ods, name, places in TRUSTS:
        rows.append(
            dict(
                org_id=f"GB-NHS-{ods}",
                name=name,
                kind=OrganisationKind.NHS_TRUST,
                size=SizeBand.SUPER_MAJOR,
                places=places,
                website="",
            )
        )
    for ukprn, name, place in UNIVERSITIES:
        rows.append(
            dict(
                org_id=f"GB-UKPRN-{ukprn}",
                name=name,
                kind=OrganisationKind.OTHER,
                size=SizeBand.MAJOR,
                places=[place],
                website="",
            )
        )
    # Primary care: GP practices (ODS codes like G85001) and primary care networks (U12345).
    gp_codes = _unique_numbers(rng, 83000, 85999, 140)
    for i, number in enumerate(gp_codes):
        borough = boroughs[i % len(boroughs)]
        place = rng.choice(NEIGHBOURHOODS[borough])
        if i % 5 == 0:
            org_id, name = f"GB-NHS-U{number + 10000}", f"{place} Primary Care Network"
        else:
            org_id = f"GB-NHS-G{number}"
            name = f"{place} {rng.choice(['Medical Centre', 'Surgery', 'Group Practice', 'Health Centre'])}"
        rows.append(
            dict(
                org_id=org_id,
                name=name,
                kind=OrganisationKind.PRIMARY_CARE,
                size=_size(rng, {SizeBand.MEDIUM: 60, SizeBand.LARGE: 40}),
                places=[borough],
                website="",
            )
        )
    # VCSE infrastructure: councils for voluntary service, Healthwatch, the alliance.
    infra_numbers = iter(_unique_numbers(rng, 1000000, 1099999, 20))
    for code, (bname, _, _) in BOROUGHS.items():
        rows.append(
            dict(
                org_id=f"GB-CHC-{next(infra_numbers)}",
                name=f"Community Action {bname}",
                kind=OrganisationKind.VCSE_INFRASTRUCTURE,
                size=SizeBand.MEDIUM,
                places=[code],
                website="",
            )
        )
        rows.append(
            dict(
                org_id=f"GB-COH-{next(infra_numbers) + 7000000:08d}",
                name=f"Healthwatch {bname}",
                kind=OrganisationKind.VCSE_INFRASTRUCTURE,
                size=SizeBand.SMALL,
                places=[code],
                website="",
            )
        )
    rows.append(
        dict(
            org_id=f"GB-CHC-{next(infra_numbers)}",
            name="South East London VCSE Alliance",
            kind=OrganisationKind.VCSE_INFRASTRUCTURE,
            size=SizeBand.SMALL,
            places=[ICB_CODE],
            website="",
        )
    )
    # Other: housing associations and social enterprises registered as companies.
    other_numbers = iter(_unique_numbers(rng, 2000000, 9999999, 60))
    for _ in range(60):
        borough = rng.choice(boroughs)
        place = rng.choice(NEIGHBOURHOODS[borough])
        name = (
            f"{place} {rng.choice(['Housing Association', 'Homes', 'Pharmacy', 'Social Enterprise', 'Leisure Trust'])}"
        )
        rows.append(
            dict(
                org_id=f"GB-COH-{next(other_numbers):08d}",
                name=name,
                kind=OrganisationKind.OTHER,
                size=_size(rng, {SizeBand.MEDIUM: 30, SizeBand.LARGE: 40, SizeBand.MAJOR: 20, SizeBand.UNKNOWN: 10}),
                places=rng.sample(boroughs, rng.randint(1, 2)),
                website="",
            )
        )
    # The rest: VCSE organisations, mostly registered charities (GB-CHC-1xxxxxx), some companies.
    remaining = total - len(rows)
    charity_numbers = iter(_unique_numbers(rng, 1100000, 1999999, remaining))
    seen = {r["name"] for r in rows}
    for _ in range(remaining):
        home = rng.choice(boroughs)
        for _attempt in range(10):
            name = _vcse_name(rng, home)
            if name not in seen:
                break
        seen.add(name)
        places = [home] + rng.sample(
            [b for b in boroughs if b != home], rng.choices([0, 1, 2], weights=[60, 28, 12])[0]
        )
        if rng.random() < 0.03:
            places = [ICB_CODE] + places[:1]
        size = _size(rng, VCSE_SIZES)
        slug = slugify(name)[:40]
        rows.append(
            dict(
                org_id=f"GB-CHC-{next(charity_numbers)}",
                name=name,
                kind=OrganisationKind.VCSE,
                size=size,
                places=places,
                website=f"https://www.{slug}.org.uk" if rng.random() < 0.7 else "",
                description=f"We support {rng.choice(AUDIENCES)} in {BOROUGHS[home][0]} through {rng.choice(ACTIVITIES)}.",
            )
        )
    for row in rows:
        validate_org_id(row["org_id"])
    return rows


def _email(first: str, last: str, i: int) -> str:
    return re.sub(r"[^a-z.]", "", f"{first}.{last}".lower()) + f"{i}@example.org"


def _stage_rows(rng: random.Random, process: Process, today: dt.date) -> tuple[list[Stage], int]:
    weeks = [max(1, w + rng.randint(-2, 2)) for w in STAGE_WEEKS]
    weeks[-1] = STAGE_WEEKS[-1]
    start = today - dt.timedelta(days=rng.randint(-45, 330))
    spans, day = [], start
    for length in weeks:
        end = day + dt.timedelta(weeks=length) - dt.timedelta(days=1)
        spans.append((day, end))
        day = end + dt.timedelta(days=1)
    if today < spans[0][0]:
        active = 0
    else:
        active = next((i for i, (s, e) in enumerate(spans) if s <= today <= e), len(spans) - 1)
        if active > 0 and rng.random() < 0.2:
            active -= 1  # running late: the previous stage is still in progress (overdue)
    stages = []
    for position, (kind, (s, e)) in enumerate(zip(StageKind.values, spans, strict=True), start=1):
        index = position - 1
        if index < active:
            status = StageStatus.SKIPPED if rng.random() < 0.08 else StageStatus.DONE
        elif index == active:
            status = StageStatus.ACTIVE
        else:
            status = StageStatus.PLANNED
        stages.append(Stage(process=process, kind=kind, position=position, starts_on=s, ends_on=e, status=status))
    return stages, active


@transaction.atomic
def seed_core(*, organisations: int = 2000, people: int = 3000, processes: int = 20) -> CoreSeed:
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    User = get_user_model()

    if not Area.objects.filter(code=ICB_CODE).exists():
        geography_load()
    areas = {a.code: a for a in Area.objects.filter(code__in=[ICB_CODE, *BOROUGHS])}

    partnership = Partnership.objects.create(
        name="South East London Integrated Care System",
        slug="south-east-london",
        brand_name="SEL ICS",
        brand_colour="#005a4e",
        description="The integrated care system for Bexley, Bromley, Greenwich, Lambeth, Lewisham and Southwark.",
    )
    partnership.places.set(areas.values())

    # Organisations, their places and other identifiers, and their membership of the partnership.
    rows = _organisation_rows(rng, organisations)
    Organisation.objects.bulk_create(
        [
            Organisation(
                org_id=r["org_id"],
                name=r["name"],
                kind=r["kind"],
                size_band=r["size"],
                website=r.get("website", ""),
                description=r.get("description", ""),
            )
            for r in rows
        ],
        batch_size=500,
    )
    org_pk = dict(Organisation.objects.values_list("org_id", "pk"))
    Through = Organisation.places_served.through
    Through.objects.bulk_create(
        [Through(organisation_id=org_pk[r["org_id"]], area_id=areas[code].pk) for r in rows for code in r["places"]],
        batch_size=1000,
    )
    company_numbers = iter(_unique_numbers(rng, 1000000, 9999999, organisations))
    extra_ids = [
        OrganisationIdentifier(organisation_id=org_pk[r["org_id"]], value=f"GB-COH-{next(company_numbers):08d}")
        for r in rows
        if r["kind"] == OrganisationKind.VCSE and rng.random() < 0.08
    ]
    OrganisationIdentifier.objects.bulk_create(extra_ids, batch_size=1000)
    PartnershipOrganisation.objects.bulk_create(
        [
            PartnershipOrganisation(
                partnership=partnership,
                organisation_id=org_pk[r["org_id"]],
                joined_on=today - dt.timedelta(days=rng.randint(0, 700)),
            )
            for r in rows
        ],
        batch_size=1000,
    )

    # People: one convenor we measure as, then everyone else, all joined by invitation.
    password = make_password(PASSWORD)
    names = [("Amara", "Okafor")] + [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(people - 1)]
    User.objects.bulk_create(
        [
            User(
                email=("bench.convenor@example.org" if i == 0 else _email(f, last, i)),
                full_name=f"{f} {last}",
                password=password,
                date_joined=now - dt.timedelta(days=rng.randint(0, 700)),
            )
            for i, (f, last) in enumerate(names)
        ],
        batch_size=1000,
    )
    users = list(User.objects.order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=1000
    )
    convenor = users[0]
    roles = [Role.CONVENOR] * 6 + [Role.FACILITATOR] * 60 + [Role.OBSERVER] * 240
    roles += [Role.MEMBER] * (len(users) - len(roles))
    rng.shuffle(roles)
    roles[0] = Role.CONVENOR
    vcse_pks = [org_pk[r["org_id"]] for r in rows if r["kind"] == OrganisationKind.VCSE]
    all_pks = list(org_pk.values())
    memberships = []
    for user, role in zip(users, roles, strict=True):
        roll = rng.random()
        org = None if roll < 0.1 else rng.choice(vcse_pks) if roll < 0.75 else rng.choice(all_pks)
        memberships.append(Membership(partnership=partnership, user=user, role=role, organisation_id=org))
    Membership.objects.bulk_create(memberships, batch_size=1000)

    invitations = []
    for m, user in zip(memberships, users, strict=True):
        if user is convenor:
            continue
        sent = user.date_joined - dt.timedelta(days=rng.randint(1, 10))
        invitations.append(
            Invitation(
                partnership=partnership,
                email=user.email,
                role=m.role,
                organisation_id=m.organisation_id,
                token_hash=hashlib.sha256(f"bench-{user.pk}".encode()).hexdigest(),
                invited_by=convenor,
                expires_at=sent + dt.timedelta(days=14),
                accepted_at=user.date_joined,
                accepted_by=user,
            )
        )
    for i in range(40):  # pending invitations not yet accepted
        invitations.append(
            Invitation(
                partnership=partnership,
                email=f"pending{i}@example.org",
                role=Role.MEMBER,
                invited_by=convenor,
                token_hash=hashlib.sha256(f"bench-pending-{i}".encode()).hexdigest(),
                expires_at=now + dt.timedelta(days=rng.randint(1, 14)),
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=1000)

    # Groups.
    bodies = Body.objects.bulk_create(
        [
            Body(
                partnership=partnership,
                name="Charter leadership group",
                kind=BodyKind.LEADERSHIP,
                description="ICB and VCSE co-chairs with sector leaders.",
            ),
            Body(
                partnership=partnership,
                name="Integrated Care Partnership board",
                kind=BodyKind.GOVERNANCE,
                description="Receives draft agreements and signs them off.",
            ),
            Body(partnership=partnership, name="VCSE strategic alliance", kind=BodyKind.OTHER),
            Body(partnership=partnership, name="Health inequalities steering group", kind=BodyKind.LEADERSHIP),
            Body(partnership=partnership, name="Procurement working group", kind=BodyKind.OTHER),
        ]
    )
    bodies = list(Body.objects.filter(partnership=partnership).order_by("pk"))
    body_members = []
    by_user = {m.user_id: m for m in memberships}
    for body, size in zip(bodies, [14, 30, 25, 18, 10], strict=True):
        chosen = [convenor] + rng.sample(users[1:], size - 1)
        body_members += [BodyMember(body=body, user=u, organisation_id=by_user[u.pk].organisation_id) for u in chosen]
    BodyMember.objects.bulk_create(body_members)

    # Processes, eight stages each, one in progress.
    kinds = list(ProcessKind.values)
    Process.objects.bulk_create(
        [
            Process(
                partnership=partnership,
                kind=kinds[i % len(kinds)],
                title=title,
                slug=slugify(title),
                purpose_summary=f"How partners across South East London will work together on {title.lower()}.",
                created_by=convenor,
            )
            for i, title in enumerate(PROCESS_TITLES[:processes])
        ]
    )
    process_list = list(Process.objects.filter(partnership=partnership).order_by("pk"))
    stages, process_active = [], {}
    for process in process_list:
        rows_for_process, active = _stage_rows(rng, process, today)
        stages += rows_for_process
        process_active[process.pk] = rows_for_process[active]
    Stage.objects.bulk_create(stages, batch_size=1000)

    # The audit log, as the services would have written it, spread over the last two years.
    def entry(at, actor, action, obj_type, obj_id, obj_repr, changes=None):
        return AuditEntry(
            at=at,
            actor_id=getattr(actor, "pk", actor),
            action=action,
            object_type=obj_type,
            object_id=str(obj_id),
            object_repr=str(obj_repr)[:300],
            partnership_id=partnership.pk,
            changes=changes or {},
        )

    start = now - dt.timedelta(days=720)
    entries = [entry(start, convenor, "partnership.create", "partnerships.partnership", partnership.pk, partnership)]
    org_by_pk = {org_pk[r["org_id"]]: r for r in rows}
    for pk, r in org_by_pk.items():
        entries.append(
            entry(
                start + dt.timedelta(minutes=rng.randint(0, 700 * 24 * 60)),
                convenor,
                "organisation.create",
                "organisations.organisation",
                pk,
                r["name"],
                {"after": {"org_id": r["org_id"], "name": r["name"], "kind": r["kind"], "size_band": r["size"]}},
            )
        )
    for inv in invitations:
        sent = (inv.accepted_at or now) - dt.timedelta(days=2)
        entries.append(
            entry(
                sent,
                convenor,
                "invitation.create",
                "partnerships.invitation",
                inv.pk,
                f"Invitation for {inv.email}",
                {"email": inv.email, "role": inv.role},
            )
        )
        if inv.accepted_at:
            entries.append(
                entry(
                    inv.accepted_at,
                    inv.accepted_by,
                    "invitation.accept",
                    "partnerships.invitation",
                    inv.pk,
                    f"Invitation for {inv.email}",
                    {"role": inv.role},
                )
            )
    for body in bodies:
        entries.append(
            entry(start + dt.timedelta(days=30), convenor, "body.create", "partnerships.body", body.pk, body.name)
        )
    for bm in body_members:
        entries.append(
            entry(
                start + dt.timedelta(days=rng.randint(31, 600)),
                convenor,
                "body.add_member",
                "partnerships.body",
                bm.body_id,
                bm.body,
                {"member": str(bm.user)},
            )
        )
    for process in process_list:
        created = start + dt.timedelta(days=rng.randint(60, 360))
        entries.append(
            entry(
                created,
                convenor,
                "process.create",
                "processes.process",
                process.pk,
                process,
                {"after": {"title": process.title, "kind": process.kind}},
            )
        )
        entries.append(
            entry(
                created + dt.timedelta(days=3),
                convenor,
                "process.timeline_update",
                "processes.process",
                process.pk,
                process,
                {"Leadership group": {"starts_on": [None, "2026-01-01"]}},
            )
        )
        entries.append(
            entry(
                created + dt.timedelta(days=5),
                convenor,
                "process.stage_start",
                "processes.process",
                process.pk,
                process,
                {"started": process_active[process.pk].display_title, "closed": []},
            )
        )
    entries.sort(key=lambda e: e.at)
    with given_times(AuditEntry, "at"):
        AuditEntry.objects.bulk_create(entries, batch_size=1000)

    org_rows = rows
    some_vcse = [r for r in org_rows if r["kind"] == OrganisationKind.VCSE]
    search_terms = [
        "food",
        "carers",
        "Peckham",
        "youth",
        "mental health",
        "trust",
        "Lewisham",
        "refugee",
        "GB-NHS-RJ",
        some_vcse[10]["org_id"],
        "network",
        "dementia",
        "Brixton",
        "sickle",
        extra_ids[0].value if extra_ids else "GB-COH",
    ]
    # Organisations to open: a spread across the directory, all kinds.
    sample_orgs = [org_rows[i]["org_id"] for i in range(0, len(org_rows), max(1, len(org_rows) // 60))][:60]
    counts = {
        "organisations": Organisation.objects.count(),
        "places_served": Through.objects.count(),
        "identifiers": OrganisationIdentifier.objects.count(),
        "people": User.objects.count(),
        "memberships": Membership.objects.count(),
        "invitations": Invitation.objects.count(),
        "bodies": len(bodies),
        "body_members": len(body_members),
        "processes": len(process_list),
        "stages": Stage.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }
    return CoreSeed(
        partnership=partnership,
        convenor=convenor,
        org_ids=sample_orgs,
        process_slugs=[p.slug for p in process_list],
        borough_codes=list(BOROUGHS),
        search_terms=search_terms,
        counts=counts,
    )


def core_partnership(ctx) -> CoreSeed:
    """The large partnership, built once per run (scenarios of other apps build on it)."""
    return ctx.seed("core", seed_core)
