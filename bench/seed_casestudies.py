"""Seed a library of 2,000 case studies in a partnership of its own, with bulk inserts.

An editor (a convenor) and a member; a charter process with eight key areas; twelve London
boroughs; 60 organisations in the directory; six PLUS groups. Each case study has the
practitioners' template filled in (summary, then four sections of 80 to 200 words built from
sentence lists), tags (key areas, places, 1 to 3 featured organisations, PLUS groups, clinical
areas, Core20 on about 40%), and a status: about half are published, by name or anonymised, most
of them on the web. Who features in them (people, quotes, a contact) and the consents recorded
are what the rules need in each state: a case study published by name has a current consent
from every featured organisation and person covering every use it is published for; an
anonymised one names nobody. Search words are planted at known rates: "pharmacy" with a chance of
20% per case study, "tuberculosis" 1% (with this seed: 419 and 30 of the 2,000).

Services are bypassed for speed (no audit entries are written: the library and the case study
pages do not read them). Deterministic: the same seed gives the same library on every run. The
seed returns, beside the objects, a light record of every case study (tags, status, which
search words it contains) so scenarios can work out independently what a page should show."""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from compact.casestudies.models import (
    ANONYMISED_FIELDS,
    TEXT_FIELDS,
    CaseStudy,
    CaseStudyClinicalArea,
    ClinicalArea,
    Consent,
    Contact,
    FeaturedOrganisation,
    Person,
    PlusGroup,
    Quote,
    ReviewComment,
    Status,
    Version,
)
from compact.geography.models import Area
from compact.geography.services import geography_load
from compact.organisations.models import Organisation, OrganisationKind, SizeBand
from compact.organisations.orgid import validate_org_id
from compact.partnerships.models import Membership, Partnership, PartnershipOrganisation, Role
from compact.processes.models import KeyArea, Process, Stage, StageKind, StageStatus

from .seed import ACTIVITIES, AUDIENCES, FIRST, ICB_CODE, LAST, PASSWORD, THEMES, TYPES

SEED = 2029
CASE_STUDIES = 2000
ORGANISATIONS = 60
SLUG = "case-study-library"
COMMON_WORD = "pharmacy"  # planted in ~20% of case studies
RARE_WORD = "tuberculosis"  # planted in ~1%
COMMON_SHARE, RARE_SHARE = 0.20, 0.01
MIN_WORDS, MAX_WORDS = 80, 200  # per section
# Words whose matches the scenarios may check (computed here from the generated text).
SEARCH_WORDS = [COMMON_WORD, RARE_WORD, "carers", "Peckham", "food bank", "link workers"]

BOROUGHS = {  # ONS code -> (name, neighbourhoods); six in South East London, six beyond
    "E09000004": ("Bexley", ["Bexleyheath", "Erith", "Sidcup", "Welling", "Thamesmead"]),
    "E09000006": ("Bromley", ["Orpington", "Beckenham", "Penge", "Chislehurst", "Biggin Hill"]),
    "E09000011": ("Greenwich", ["Woolwich", "Eltham", "Charlton", "Plumstead", "Abbey Wood"]),
    "E09000022": ("Lambeth", ["Brixton", "Streatham", "Clapham", "Stockwell", "Kennington"]),
    "E09000023": ("Lewisham", ["Catford", "Deptford", "Sydenham", "Brockley", "New Cross"]),
    "E09000028": ("Southwark", ["Peckham", "Camberwell", "Bermondsey", "Walworth", "Rotherhithe"]),
    "E09000012": ("Hackney", ["Dalston", "Homerton", "Hackney Wick", "Clapton", "Stoke Newington"]),
    "E09000030": ("Tower Hamlets", ["Bow", "Poplar", "Whitechapel", "Stepney", "Isle of Dogs"]),
    "E09000025": ("Newham", ["Stratford", "Canning Town", "East Ham", "Forest Gate", "Plaistow"]),
    "E09000014": ("Haringey", ["Tottenham", "Wood Green", "Hornsey", "Northumberland Park", "Muswell Hill"]),
    "E09000005": ("Brent", ["Harlesden", "Wembley", "Kilburn", "Willesden", "Neasden"]),
    "E09000008": ("Croydon", ["Thornton Heath", "Norbury", "New Addington", "Selhurst", "Purley"]),
}
BOROUGH_WEIGHTS = [14, 10, 12, 13, 14, 13, 6, 5, 4, 3, 3, 3]  # most work is in South East London
KEY_AREAS = [
    "The VCSE sector as a key strategic partner",
    "Sustainability, capacity and diversity of the sector, including funding",
    "Procurement that does not disadvantage VCSE organisations",
    "Empathetic development and management of contracts",
    "Sharing data and insight",
    "Co-production with communities",
    "Tackling health inequalities together",
    "Workforce and volunteering",
]
PLUS_GROUPS = [
    "People experiencing homelessness",
    "Carers",
    "Refugees and people seeking asylum",
    "Gypsy, Roma and Traveller communities",
    "People with a learning disability",
    "Black and minoritised communities",
]
STATUS_WEIGHTS = {
    Status.DRAFT: 9,
    Status.SUBMITTED: 6,
    Status.IN_REVIEW: 8,
    Status.CHANGES_REQUESTED: 5,
    Status.CONSENT_PENDING: 8,
    Status.APPROVED: 6,
    Status.PUBLISHED: 50,
    Status.WITHDRAWN: 8,
}
NEEDS = [
    "money and debt", "housing", "loneliness", "their mental health", "long-term conditions", "benefits",
    "caring for a relative", "getting to appointments", "food and fuel costs", "diabetes", "high blood pressure",
]  # fmt: skip
SERVICES = [
    "talking therapies", "carers' assessments", "debt advice", "diabetes education", "memory assessments",
    "social prescribing", "sexual health clinics", "smoking cessation", "physiotherapy", "health visiting",
]  # fmt: skip
ROLES = ["volunteer", "carer", "peer supporter", "parent", "project worker", "community champion", "GP"]

CHALLENGE = [
    "Many {audience} in {place} told us they found it hard to get help with {need}.",
    "Waiting times for {service} in {borough} had grown to {weeks} weeks, and people often gave up before they "
    "were seen.",
    "Most of the people we work with had never been asked what would make services easier to use.",
    "Appointments were hard to get, many people work shifts or care for someone, and money worries came first.",
    "Local figures showed that {audience} were far less likely than other residents to be in touch with their GP "
    "practice.",
    "Small groups in {borough} had no regular way to tell the ICB what they were seeing on the ground.",
    "Before the project, about {n} people a month were turned away because there was nowhere to refer them.",
    "People told us that forms, phone menus and letters in English kept them away.",
    "Short-term grants meant staff left just as people had come to trust them.",
    "The nearest service was two buses away, and evening sessions stopped when the funding ended.",
    "{Org} saw the same people coming back every week with problems that had got worse.",
    "Health and care partners knew the gap was there, but nobody owned it.",
    "Referrals from the PCN arrived with little information, so the first meeting was spent filling in forms.",
    "In the most deprived parts of {borough}, people die years earlier than in the borough as a whole.",
    "Volunteers were doing more and more of the work without training, supervision or expenses.",
    "Few people from {place} came to the engagement events the council had held about {theme} services.",
]
SOLUTION = [
    "{Org} worked with {partner} to design {activity} with the people who would use them.",
    "We set up {activity} in {place}, run by people who had used services themselves.",
    "The ICB agreed a three-year grant so that staff could plan beyond the end of the year.",
    "A shared referral form, agreed with GP practices in {borough}, replaced four different ones.",
    "{Person} led the work, with a steering group of {k} residents who met every month.",
    "Sessions ran in the evenings and at weekends, in a community centre people already knew.",
    "Social prescribing link workers spent one morning a week at the sessions.",
    "We paid people for their time when they helped design the service, in cash or vouchers as they preferred.",
    "Interpreters were booked for every session, in the languages people asked for.",
    "{Partner} provided a room, a nurse for one session a month and access to appointment slots.",
    "Everything was written in plain English, and tested with a reading group before it was used.",
    "The service was open to anyone in {borough}, with no need for a referral.",
    "We agreed simple measures with commissioners at the start, so nobody had to fill in long reports.",
    "A VCSE alliance in {borough} brought small groups together to bid as one.",
]
WHAT_WE_DID = [
    "Trained {k} volunteers over {weeks} weeks, with a qualified supervisor on hand.",
    "Ran {activity} every week in {place}.",
    "Visited {k} GP practices to explain what we offer and how to refer.",
    "Set up a phone line, open three evenings a week, answered by trained volunteers.",
    "Held {k} listening events with {audience} before anything was decided.",
    "Met the commissioners every quarter to go through what was and was not working.",
    "Translated leaflets into {k} languages and read them aloud at sessions.",
    "Paid travel costs so that nobody missed a session because of the fare.",
    "Followed up everyone by phone two weeks after their first visit.",
    "Shared anonymised figures with the ICB every month through the data dashboard.",
    "Worked with {partner} to offer health checks at the same sessions.",
    "Recruited a peer worker from {place} who had used the service.",
    "Ran a small grants round for groups led by {audience}.",
]
IMPACT = [
    "In the first year, {n} people used the service, and {k} of them were referred on to specialist help.",
    "{k} people told us they felt less alone, and most said they knew where to go for help.",
    "Waiting times for {service} in {borough} fell from {weeks} weeks to {k} weeks.",
    "Nine volunteers went on to paid work, {k} of them in health and care.",
    "The ICB has funded the work for another two years, and it is now offered across {borough}.",
    "GP practices in {place} report fewer missed appointments among the people we support.",
    "A&E attendances among people we supported fell by a quarter over the year.",
    "People said the best thing was being listened to by someone who understood.",
    "The approach has been taken up by {partner}, who now run it in two more neighbourhoods.",
    "Groups that had never bid for NHS contracts before now deliver {k} of them.",
    "Commissioners changed the service specification so that {audience} are asked before services change.",
    "Of the {n} people who took part, {k} were from the most deprived fifth of neighbourhoods.",
]
COMMON_SENTENCES = [
    "Staff at the local community pharmacy referred {n} people to the sessions in the first {weeks} weeks.",
    "We agreed a simple referral route with a community pharmacy in {place}.",
    "A pharmacy team joined the sessions once a month to review medicines.",
]
RARE_SENTENCES = [
    "A specialist nurse offered tuberculosis screening at {k} of the sessions.",
    "People who had been treated for tuberculosis helped us reach others who were wary of clinics.",
]
SUMMARY = [
    "{Org} and {partner} offered {activity} for {audience} in {place}.",
    "Over {weeks} weeks, {n} people took part, and {k} were helped to see a GP or another service.",
    "People said they felt listened to, and the work is now funded for longer.",
    "The work shows what small groups can do when they are trusted and paid on time.",
]
TITLES = [
    "{Activity} for {audience} in {place}",
    "{Theme} support in {place}: what worked",
    "How {org} reached {audience} in {borough}",
    "{Activity} in {borough} GP practices",
    "Working with {audience} on {theme} in {place}",
]
QUOTES = [
    "People tell us things here that they would never say in a surgery.",
    "I did not know anyone else was going through the same thing. Now I have friends who understand.",
    "Being paid on time meant we could keep our staff and plan ahead.",
    "They asked what would help and then actually did it.",
    "The sessions gave me a reason to leave the house every week.",
    "For the first time the NHS came to us, instead of us having to find it.",
]
COMMENTS = [
    "Could you say more about how people were involved in designing the service?",
    "Please add figures for the impact section if you have them.",
    "The summary is clear. Check that everyone named has agreed to it.",
    "Please spell out the acronyms in the solution section.",
]


@dataclass(frozen=True)
class Record:
    """What the scenarios need to know of one case study to work out what a page should show."""

    pk: int
    title: str
    anonymised_title: str
    status: str
    version: str  # published version, "" unless published
    web: bool
    updated_at: dt.datetime
    key_areas: frozenset[int]
    places: frozenset[str]  # ONS codes
    organisations: frozenset[str]  # org_ids
    plus_groups: frozenset[int]
    clinical_areas: frozenset[str]
    core20: bool
    mine: bool  # the member may see it unpublished (author, or contact of a featured organisation)
    by_member: bool  # the member wrote it (and so reads it as written in the list)
    named_words: frozenset[str]  # SEARCH_WORDS found in the named text (case-insensitive)
    anonymised_words: frozenset[str]  # ... and in the anonymised text
    subjects: int  # featured organisations and people (rows of the consent table)
    person: str  # a person named in it, "" if none


@dataclass
class CaseStudySeed:
    partnership: Partnership
    editor: object  # a convenor: sees every case study, its readability and consent
    member: object  # a member: sees published ones and their own
    key_areas: list[KeyArea]
    plus_groups: list[PlusGroup]
    borough_codes: list[str]
    org_ids: list[str]  # the featured ones, most featured first
    records: list[Record]
    counts: dict = field(default_factory=dict)


@contextmanager
def _given_times(model, *names):
    """Let bulk inserts keep the times we give auto_now/auto_now_add fields."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (now, add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = now, add


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Sentences for one case study, written twice: by name, and anonymised (no organisation or
    person names). Slots are drawn once, so both versions say the same thing."""

    def __init__(self, rng: random.Random, values: dict, names: dict, anonymous: dict):
        self.rng, self.values, self.names, self.anonymous = rng, values, names, anonymous

    def fill(self, template: str) -> tuple[str, str]:
        rng = self.rng
        slots = dict(self.values, n=rng.randint(40, 900), k=rng.randint(2, 30), weeks=rng.randint(6, 52))
        slots["need"], slots["service"] = rng.choice(NEEDS), rng.choice(SERVICES)
        out = []
        for names in (self.names, self.anonymous):
            words = {**slots, **names}
            words |= {k.capitalize(): _capital(v) for k, v in words.items() if isinstance(v, str)}
            out.append(_capital(template.format(**words)))
        return out[0], out[1]

    def _pick(self, pool: list[str], words: int, extra: list[str], start: int, per_line: int = 0):
        """Filled sentences from `pool` (none twice) until about `words` words, never over MAX_WORDS
        with the `extra` ones (counted as filled, by name), and the extra ones filled."""
        extras = [self.fill(t) for t in extra]
        total = start + sum(len(e[0].split()) + per_line for e in extras)
        chosen = []
        for template in self.rng.sample(pool, len(pool)):
            if total >= words:
                break
            filled = self.fill(template)
            size = len(filled[0].split()) + per_line
            if total + size <= MAX_WORDS:
                chosen.append(filled)
                total += size
        return chosen, extras

    def prose(self, pool: list[str], words: int, extra: list[str]) -> tuple[str, str]:
        """Paragraphs of about `words` words from `pool`, with the `extra` sentences placed in them."""
        filled, extras = self._pick(pool, words, extra, 0)
        for sentence in extras:
            filled.insert(self.rng.randint(0, len(filled)), sentence)
        breaks = set(self.rng.sample(range(1, len(filled)), min(len(filled) - 1, self.rng.randint(1, 2))))
        return tuple(_join(version, breaks) for version in zip(*filled, strict=True))

    def items(self, intro: list[str], pool: list[str], words: int, extra: list[str]) -> tuple[str, str]:
        """An opening sentence, then a Markdown list."""
        first = self.fill(self.rng.choice(intro))
        filled, extras = self._pick(pool, words, extra, len(first[0].split()), per_line=1)  # "-" is a word too
        return tuple(
            head + "\n\n" + "\n".join(f"- {line}" for line in lines)
            for head, lines in zip(first, zip(*(filled + extras), strict=True), strict=True)
        )


def _join(sentences, breaks) -> str:
    text = ""
    for i, sentence in enumerate(sentences):
        text += ("\n\n" if i in breaks else " " if i else "") + sentence
    return text


def _org_rows(rng: random.Random) -> list[dict]:
    codes = list(BOROUGHS)
    rows, seen = [], set()
    numbers = rng.sample(range(200000, 299999), ORGANISATIONS)  # 6-digit charity numbers: none in bench.seed
    trusts = ["Guy's and St Thomas' NHS Foundation Trust", "Oxleas NHS Foundation Trust",
              "Homerton Healthcare NHS Foundation Trust", "Croydon Health Services NHS Trust"]  # fmt: skip
    for i, name in enumerate(trusts):
        rows.append(dict(org_id=f"GB-NHS-R{'JZ1VQ'[i]}{'9ABC'[i]}", name=name, kind=OrganisationKind.NHS_TRUST,
                         size=SizeBand.SUPER_MAJOR, places=rng.sample(codes, 3)))  # fmt: skip
    while len(rows) < ORGANISATIONS:
        code = rng.choices(codes, BOROUGH_WEIGHTS)[0]
        place = rng.choice([BOROUGHS[code][0], *BOROUGHS[code][1]])
        name = f"{place} {rng.choice(THEMES)} {rng.choice(TYPES)}".replace("'", "")
        if name in seen:
            continue
        seen.add(name)
        rows.append(dict(org_id=f"GB-CHC-{numbers[len(rows)]}", name=name, kind=OrganisationKind.VCSE,
                         size=rng.choice([SizeBand.MICRO, SizeBand.SMALL, SizeBand.MEDIUM]), places=[code]))  # fmt: skip
    for row in rows:
        validate_org_id(row["org_id"])
    return rows


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


@transaction.atomic
def seed_casestudies(*, total: int = CASE_STUDIES) -> CaseStudySeed:
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    User = get_user_model()

    if not Area.objects.filter(code=ICB_CODE).exists():  # as bench.seed loads it
        geography_load()
    areas = {a.code: a for a in Area.objects.filter(code__in=list(BOROUGHS))}
    codes = list(BOROUGHS)

    partnership = Partnership.objects.create(
        name="London Case Study Library", slug=SLUG, brand_name="Case studies",
        description="Stories of effective practice from VCSE organisations and their health and care partners.",
    )  # fmt: skip
    partnership.places.set(areas.values())
    password = make_password(PASSWORD)
    editor = User.objects.create(email="bench.cs.editor@example.org", full_name="Kemi Adeyemi", password=password)
    member = User.objects.create(email="bench.cs.member@example.org", full_name="Tomasz Nowak", password=password)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in (editor, member)]
    )

    org_rows = _org_rows(rng)
    orgs = Organisation.objects.bulk_create(
        [Organisation(org_id=r["org_id"], name=r["name"], kind=r["kind"], size_band=r["size"]) for r in org_rows]
    )
    Served = Organisation.places_served.through
    Served.objects.bulk_create(
        [Served(organisation_id=o.pk, area_id=areas[c].pk) for o, r in zip(orgs, org_rows, strict=True)
         for c in r["places"]]
    )  # fmt: skip
    PartnershipOrganisation.objects.bulk_create(
        [PartnershipOrganisation(partnership=partnership, organisation=o, joined_on=today - dt.timedelta(days=400))
         for o in orgs]
    )  # fmt: skip
    Membership.objects.bulk_create(
        [Membership(partnership=partnership, user=editor, role=Role.CONVENOR),
         Membership(partnership=partnership, user=member, role=Role.MEMBER, organisation=orgs[10])]
    )  # fmt: skip

    process = Process.objects.create(partnership=partnership, title="London VCSE Health Charter", slug="charter",
                                     purpose_summary="How partners will work together.", created_by=editor)  # fmt: skip
    Stage.objects.bulk_create(
        [Stage(process=process, kind=kind, position=i,
               status=StageStatus.DONE if i < 3 else StageStatus.ACTIVE if i == 3 else StageStatus.PLANNED)
         for i, kind in enumerate(StageKind.values, 1)]
    )  # fmt: skip
    key_areas = KeyArea.objects.bulk_create(
        [KeyArea(process=process, title=t, position=i) for i, t in enumerate(KEY_AREAS, 1)]
    )
    plus_groups = PlusGroup.objects.bulk_create(
        [PlusGroup(partnership=partnership, name=n, description=f"{n} in our boroughs.") for n in PLUS_GROUPS]
    )

    # The case studies, with their text by name and anonymised.
    statuses = list(STATUS_WEIGHTS)
    ages = rng.sample(range(600, 900 * 86400), total)  # seconds before now: distinct, so the order is fixed
    plans, case_studies = [], []
    for age in ages:
        status = rng.choices(statuses, list(STATUS_WEIGHTS.values()))[0]
        place_codes = list(dict.fromkeys(rng.choices(codes, BOROUGH_WEIGHTS, k=rng.choices([1, 2], [75, 25])[0])))
        borough = BOROUGHS[place_codes[0]][0]
        featured = rng.sample(range(len(orgs)), rng.choices([1, 2, 3], [45, 35, 20])[0])
        people = list(dict.fromkeys(_person_name(rng) for _ in range(rng.choices([0, 1, 2], [35, 45, 20])[0])))
        lead = org_rows[featured[0]]["name"]
        partner = org_rows[featured[1]]["name"] if len(featured) > 1 else rng.choice(["the ICB", "the council"])
        values = dict(audience=rng.choice(AUDIENCES), activity=rng.choice(ACTIVITIES), theme=rng.choice(THEMES).lower(),
                      place=rng.choice(BOROUGHS[place_codes[0]][1]), borough=borough)  # fmt: skip
        names = dict(org=lead, partner=partner, person=people[0] if people else "our project lead")
        anonymous = dict(org="a local charity", partner="an NHS partner", person="our project lead")
        writer = _Writer(rng, values, names, anonymous)
        extra: dict[str, list[str]] = {s: [] for s in ("challenge", "solution", "what_we_did", "impact")}
        if rng.random() < COMMON_SHARE:
            extra[rng.choice(list(extra))].append(rng.choice(COMMON_SENTENCES))
        if rng.random() < RARE_SHARE:
            extra[rng.choice(list(extra))].append(rng.choice(RARE_SENTENCES))
        text = {
            "title": writer.fill(rng.choice(TITLES)),
            "summary": tuple(" ".join(p) for p in zip(*[writer.fill(t) for t in SUMMARY[: rng.randint(2, 4)]],
                                                     strict=True)),
            "challenge": writer.prose(CHALLENGE, rng.randint(MIN_WORDS, MAX_WORDS), extra["challenge"]),
            "solution": writer.prose(SOLUTION, rng.randint(MIN_WORDS, MAX_WORDS), extra["solution"]),
            "what_we_did": writer.items(["Over {weeks} weeks we:", "What we did, with {partner}:"], WHAT_WE_DID,
                                        rng.randint(MIN_WORDS, MAX_WORDS), extra["what_we_did"]),
            "impact": writer.prose(IMPACT, rng.randint(MIN_WORDS, MAX_WORDS), extra["impact"]),
        }  # fmt: skip
        published = status == Status.PUBLISHED
        version = (Version.NAMED if rng.random() < 0.7 else Version.ANONYMISED) if published else ""
        anonymised = published and version == Version.ANONYMISED
        if not anonymised:  # written for about half of those an editor has taken up
            anonymised = status in (Status.IN_REVIEW, Status.CONSENT_PENDING, Status.APPROVED, Status.PUBLISHED) and (
                rng.random() < 0.5
            )
        web = published and rng.random() < 0.85
        document = published and (not web or rng.random() < 0.6)
        updated = now - dt.timedelta(seconds=age)
        created = updated - dt.timedelta(days=rng.randint(0, 150), seconds=rng.randint(0, 86399))
        start = dt.date(created.year, created.month, 1) - dt.timedelta(days=rng.randint(0, 700))
        start = start.replace(day=1)
        end = (start + dt.timedelta(days=rng.randint(60, 720))).replace(day=1) if rng.random() < 0.8 else None
        submitted = None if status == Status.DRAFT else created + (updated - created) * rng.uniform(0.2, 0.6)
        by = rng.choices([editor, member, None], [70, 10, 20])[0]
        case_studies.append(
            CaseStudy(
                partnership=partnership, status=status, created_at=created, updated_at=updated,
                **{name: text[name][0] for name in TEXT_FIELDS},
                **({f"anonymised_{name}": text[name][1] for name in TEXT_FIELDS} if anonymised else {}),
                period_start=start, period_end=end, core20=rng.random() < 0.4, created_by=by,
                submitted_at=submitted, published_version=version, published_document=document, published_web=web,
                published_at=updated - (updated - submitted) * rng.uniform(0, 0.3) if published else None,
            )
        )  # fmt: skip
        plans.append(dict(places=place_codes, featured=featured, people=people, member_author=by is member))
    for case_study in case_studies:
        case_study.refresh_search_text()  # the services keep it; bulk_create skips them
    with _given_times(CaseStudy, "created_at", "updated_at"):
        case_studies = CaseStudy.objects.bulk_create(case_studies, batch_size=250)

    # Tags.
    KeyAreas, Places, Plus = (CaseStudy.key_areas.through, CaseStudy.places.through, CaseStudy.plus_groups.through)
    key_rows, place_rows, plus_rows, clinical_rows, featured_rows = [], [], [], [], []
    tags: list[dict] = []
    for cs, plan in zip(case_studies, plans, strict=True):
        kas = rng.sample(key_areas, rng.choices([1, 2, 3], [50, 35, 15])[0])
        groups = rng.sample(plus_groups, rng.choices([0, 1, 2], [50, 38, 12])[0])
        clinical = rng.sample(ClinicalArea.values, rng.choices([0, 1, 2], [60, 30, 10])[0])
        key_rows += [KeyAreas(casestudy_id=cs.pk, keyarea_id=k.pk) for k in kas]
        place_rows += [Places(casestudy_id=cs.pk, area_id=areas[c].pk) for c in plan["places"]]
        plus_rows += [Plus(casestudy_id=cs.pk, plusgroup_id=g.pk) for g in groups]
        clinical_rows += [CaseStudyClinicalArea(case_study_id=cs.pk, area=a) for a in clinical]
        featured_rows += [
            FeaturedOrganisation(case_study_id=cs.pk, organisation_id=orgs[i].pk) for i in plan["featured"]
        ]
        tags.append(dict(key_areas={k.pk for k in kas}, plus={g.pk for g in groups}, clinical=set(clinical)))
    KeyAreas.objects.bulk_create(key_rows, batch_size=1000)
    Places.objects.bulk_create(place_rows, batch_size=1000)
    Plus.objects.bulk_create(plus_rows, batch_size=1000)
    CaseStudyClinicalArea.objects.bulk_create(clinical_rows, batch_size=1000)
    featured_rows = FeaturedOrganisation.objects.bulk_create(featured_rows, batch_size=1000)
    featured_by_cs: dict[int, list[FeaturedOrganisation]] = {}
    for fo in featured_rows:
        featured_by_cs.setdefault(fo.case_study_id, []).append(fo)

    # People, contacts, quotes and review comments.
    person_rows, contact_rows, comment_rows = [], [], []
    member_contact: set[int] = set()
    for i, (cs, plan) in enumerate(zip(case_studies, plans, strict=True)):
        fos = featured_by_cs[cs.pk]
        person_rows += [Person(case_study_id=cs.pk, name=n, organisation_id=rng.choice(fos).organisation_id)
                        for n in plan["people"]]  # fmt: skip
        as_member = cs.status != Status.PUBLISHED and rng.random() < 0.03
        if as_member:
            member_contact.add(cs.pk)
        contact_rows.append(
            Contact(case_study_id=cs.pk, name=member.full_name if as_member else _person_name(rng),
                    email=member.email if as_member else f"contact{i}@example.org",
                    organisation_id=fos[0].organisation_id, user=member if as_member else None)
        )  # fmt: skip
        if cs.status not in (Status.DRAFT, Status.SUBMITTED):
            for j in range(rng.randint(0, 3)):
                asks = cs.status == Status.CHANGES_REQUESTED and j == 0
                comment_rows.append(
                    ReviewComment(case_study_id=cs.pk, author=editor, text=rng.choice(COMMENTS), requests_changes=asks,
                                  created_at=cs.submitted_at + (cs.updated_at - cs.submitted_at) * rng.random())
                )  # fmt: skip
    person_rows = Person.objects.bulk_create(person_rows, batch_size=1000)
    Contact.objects.bulk_create(contact_rows, batch_size=1000)
    with _given_times(ReviewComment, "created_at"):
        ReviewComment.objects.bulk_create(comment_rows, batch_size=1000)
    people_by_cs: dict[int, list[Person]] = {}
    for p in person_rows:
        people_by_cs.setdefault(p.case_study_id, []).append(p)

    quote_rows = []
    for cs in case_studies:
        people = people_by_cs.get(cs.pk, [])
        for position in range(1, rng.choices([0, 1, 2], [40, 45, 15])[0] + 1):
            person = rng.choice(people) if people and rng.random() < 0.7 else None
            role = rng.choice(ROLES)
            quote_rows.append(
                Quote(case_study_id=cs.pk, position=position, text=rng.choice(QUOTES),
                      attribution=f"{person.name}, {role}" if person else f"A {role}",
                      anonymised_attribution=f"A {role} in {rng.choice(list(BOROUGHS.values()))[0]}"
                      if rng.random() < 0.7 else "", person=person)
            )  # fmt: skip
    Quote.objects.bulk_create(quote_rows, batch_size=1000)

    # Consents: what each state needs (and, here and there, a history of replaced or withdrawn ones).
    consent_rows = []

    def give(cs, *, fo=None, person=None, document, web, internal=True, withdrawn=False, expired=False):
        given = cs.submitted_at or cs.created_at
        given += (cs.updated_at - given) * rng.uniform(0.1, 0.9)
        if rng.random() < 0.05:  # given before, then given again: the old one is history
            consent_rows.append(Consent(case_study_id=cs.pk, featured_organisation=fo, person=person,
                                        given_by=person.name if person else _person_name(rng),
                                        given_at=given - dt.timedelta(days=30), for_internal=True, recorded_by=editor,
                                        replaced_at=given))  # fmt: skip
        expires = None
        if expired:
            expires = today - dt.timedelta(days=rng.randint(1, 200))
        elif rng.random() < 0.3:
            expires = today + dt.timedelta(days=rng.randint(30, 700))
        consent_rows.append(
            Consent(case_study_id=cs.pk, featured_organisation=fo, person=person,
                    given_by=person.name if person else _person_name(rng), given_at=given,
                    for_internal=internal or not (document or web), for_document=document, for_web=web,
                    expires_on=expires, recorded_by=editor,
                    withdrawn_at=given + dt.timedelta(days=5) if withdrawn else None,
                    withdrawn_by=editor if withdrawn else None)
        )  # fmt: skip

    for cs in case_studies:
        subjects = [("fo", fo) for fo in featured_by_cs[cs.pk]] + [("person", p) for p in people_by_cs.get(cs.pk, [])]
        for kind, subject in subjects:
            who = {"fo": subject} if kind == "fo" else {"person": subject}
            status = cs.status
            if status == Status.PUBLISHED and cs.published_version == Version.NAMED:
                give(cs, **who, document=cs.published_document or rng.random() < 0.5, web=cs.published_web or
                     rng.random() < 0.5)  # fmt: skip
            elif status == Status.PUBLISHED:  # anonymised: names nobody; some organisations agreed to internal use
                if kind == "fo" and rng.random() < 0.5:
                    give(cs, **who, document=False, web=False)
            elif status == Status.APPROVED:
                give(cs, **who, document=True, web=True)
            elif status == Status.CONSENT_PENDING:
                roll = rng.random()
                if roll < 0.5:
                    give(cs, **who, document=True, web=rng.random() < 0.7)
                elif roll < 0.6:
                    give(cs, **who, document=True, web=True, expired=True)
            elif status in (Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED) and rng.random() < 0.3:
                give(cs, **who, document=True, web=True)
            elif status == Status.WITHDRAWN and rng.random() < 0.5:
                give(cs, **who, document=True, web=True, withdrawn=rng.random() < 0.5)
    Consent.objects.bulk_create(consent_rows, batch_size=1000)

    # What the scenarios check pages against.
    org_id_of = {o.pk: o.org_id for o in orgs}
    records = []
    for cs, plan, tag in zip(case_studies, plans, tags, strict=True):
        named = "\n".join(getattr(cs, f) for f in TEXT_FIELDS).casefold()
        anon = "\n".join(getattr(cs, f) for f in ANONYMISED_FIELDS).casefold()
        people = people_by_cs.get(cs.pk, [])
        records.append(
            Record(
                pk=cs.pk, title=cs.title, anonymised_title=cs.anonymised_title, status=cs.status,
                version=cs.published_version, web=cs.published_web, updated_at=cs.updated_at,
                key_areas=frozenset(tag["key_areas"]), places=frozenset(plan["places"]),
                organisations=frozenset(org_id_of[fo.organisation_id] for fo in featured_by_cs[cs.pk]),
                plus_groups=frozenset(tag["plus"]), clinical_areas=frozenset(tag["clinical"]), core20=cs.core20,
                mine=plan["member_author"] or cs.pk in member_contact,
                by_member=plan["member_author"],
                named_words=frozenset(w for w in SEARCH_WORDS if w.casefold() in named),
                anonymised_words=frozenset(w for w in SEARCH_WORDS if w.casefold() in anon),
                subjects=len(featured_by_cs[cs.pk]) + len(people), person=people[0].name if people else "",
            )
        )  # fmt: skip
    featured_count: dict[str, int] = {}
    for r in records:
        for org_id in r.organisations:
            featured_count[org_id] = featured_count.get(org_id, 0) + 1
    published = [r for r in records if r.status == Status.PUBLISHED]
    counts = {
        "case_studies": len(records),
        "published": len(published),
        "published_on_the_web": sum(r.web for r in published),
        "anonymised": sum(r.version == Version.ANONYMISED for r in published),
        f"with_{COMMON_WORD}": sum(COMMON_WORD in r.named_words for r in records),
        f"with_{RARE_WORD}": sum(RARE_WORD in r.named_words for r in records),
        "featured_organisations": len(featured_rows),
        "people": len(person_rows),
        "quotes": len(quote_rows),
        "consents": len(consent_rows),
        "review_comments": len(comment_rows),
    }
    return CaseStudySeed(
        partnership=partnership, editor=editor, member=member, key_areas=key_areas, plus_groups=plus_groups,
        borough_codes=codes, org_ids=sorted(featured_count, key=lambda o: (-featured_count[o], o)), records=records,
        counts=counts,
    )  # fmt: skip


def casestudies_seed(ctx) -> CaseStudySeed:
    """The library of 2,000 case studies, built once per run."""
    return ctx.seed("casestudies", seed_casestudies)
