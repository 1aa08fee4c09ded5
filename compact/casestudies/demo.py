"""Demo case studies, added when South East London's "Evidence and case studies" stage starts.

Two PLUS groups and five case studies of VCSE work across the boroughs, one in each state worth
seeing: published on the web by name (every organisation and person consented), published
anonymised (a carer agreed to internal use only), waiting for consent, in review with an
editor's comment, and a member's draft. Amara has also invited a small charity's contact to
write one by link (not yet used; nobody is emailed). Everything goes through the services
(run as if today); the case studies then get dates within the stage. The organisations and
people are the demo's own; the stories and figures are illustrative."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from compact.geography.models import Area
from compact.organisations.models import Organisation
from compact.processes.demo import SEL_KEY_AREAS, register_demo_step
from compact.processes.models import StageKind

from . import services
from .models import CaseStudy, ClinicalArea, Consent, PlusGroup, ReviewComment, Status, Use, Version

SLUG = "south-east-london"
HOMELESSNESS = "People experiencing homelessness"
CARERS = "Carers"
PLUS_GROUPS = {
    HOMELESSNESS: "People sleeping rough or living in hostels, hotels or other temporary accommodation, "
    "including people seeking asylum placed in hotels.",
    CARERS: "Unpaid carers of any age, including young carers, looking after a family member or friend.",
}
STRATEGIC, SUSTAINABILITY, PROCUREMENT, CONTRACTS = SEL_KEY_AREAS
ALL_USES = {Use.INTERNAL, Use.DOCUMENT, Use.WEB}
PUBLIC = {Use.DOCUMENT, Use.WEB}

FOOD_BANK = {
    "key": "demo-food-bank-blood-pressure",
    "author": "member@example.org",
    "title": "Blood pressure checks at Lewisham food banks",
    "summary": (
        "Volunteers at three Lewisham food banks offered free blood pressure checks while people waited for "
        "their food. In a year, 640 people were checked and 112 with a high reading were booked in with a GP "
        "practice or community pharmacy."
    ),
    "challenge": (
        "Many people who use food banks in Lewisham have high blood pressure and do not know it. They are less "
        "likely to have regular check-ups: appointments are hard to get, many work shifts or care for someone, "
        "and money worries come first.\n\n"
        "Undiagnosed high blood pressure is most common in the borough's most deprived neighbourhoods, the same "
        "streets our food banks serve. Left untreated, it leads to strokes and heart attacks."
    ),
    "solution": (
        "Lewisham Community Food Network worked with NHS South East London's hypertension programme to train "
        "food bank volunteers to take blood pressure readings with approved machines, explain what the numbers "
        "mean, and book a follow-up there and then.\n\n"
        "People could always say no, and their food never depended on it."
    ),
    "what_we_did": (
        "- Trained 18 volunteers over two Saturday mornings, with a community pharmacist on hand for the first "
        "month.\n"
        "- Set up a private corner with two chairs and a screen at food banks in Catford, Deptford and Downham.\n"
        "- Offered a check to everyone waiting, in English and in five other languages our volunteers speak.\n"
        "- Booked follow-ups directly with GP practices and community pharmacies, using one referral form agreed "
        "with the ICB.\n"
        "- Phoned people two weeks later to check the appointment had happened."
    ),
    "impact": (
        "Between October 2025 and September 2026, 640 people had a blood pressure check. 112 had a high "
        "reading and were booked for a follow-up; 87 of them went, and 41 have started treatment. Two people "
        "with very high readings went to urgent care the same day.\n\n"
        "Nine volunteers now help at GP practices' health days too, and the ICB has funded the checks for "
        "another two years."
    ),
    "period": (dt.date(2025, 10, 1), dt.date(2026, 9, 1)),
    "plus_groups": [HOMELESSNESS],
    "clinical_areas": [ClinicalArea.HYPERTENSION],
    "key_areas": [STRATEGIC, SUSTAINABILITY],
    "places": ["E09000023"],
    "organisations": ["GB-CHC-1199002", "GB-NHS-QKK"],
    "person": "Grace Adeyemi",
    "quote": (
        "People tell us things at the food bank they would never say in a surgery. A blood pressure check is a way in.",
        "Grace Adeyemi, volunteer coordinator, Lewisham Community Food Network",
        "A volunteer coordinator at a food bank",
    ),
    "contacts": [("Chloe Martin", "member@example.org", "GB-CHC-1199002")],
    "dates": {"created": 2, "submitted": 9, "consent": 24, "published": 30},
}

CARERS_GROUP = {
    "key": "demo-carers-peer-support",
    "author": "facilitator@example.org",
    "title": "Greenwich Carers Together: peer support for carers of people with severe mental illness",
    "summary": (
        "Unpaid carers of people living with severe mental illness met every fortnight with a peer facilitator "
        "who has cared for a family member herself. Carers said they felt less alone, knew their rights and "
        "could speak up at care reviews."
    ),
    "challenge": (
        "Carers of people with psychosis, bipolar disorder or severe depression in Greenwich and Bexley told us "
        "they felt shut out. They were often not told about changes to care, did not know they could ask for a "
        "carer's assessment, and had nobody to talk to who understood. Many had given up work.\n\n"
        "Few used existing carers' services, which they felt were built around caring for older people."
    ),
    "solution": (
        "Greenwich Carers Together set up a peer support group with South London and Maudsley's community "
        "mental health teams. Maureen Clarke, who cared for her son for twelve years, was trained and paid as "
        "its peer facilitator. A mental health nurse joins once a month to answer questions."
    ),
    "what_we_did": (
        "- Met every other Tuesday evening at a community centre in Woolwich, with an online option for carers "
        "who cannot leave the person they care for.\n"
        "- Ran a six-week course on the Mental Health Act, confidentiality and preparing for a care review.\n"
        "- Helped 23 carers ask the council for a carer's assessment.\n"
        "- Agreed with the community mental health teams that carers are invited to care reviews unless the "
        "person they care for says no."
    ),
    "impact": (
        "41 carers joined in the first year and 30 still come regularly. After twelve months, 27 of 30 said "
        "they felt less isolated and 24 felt more confident talking to professionals. Eleven carers who had "
        "given up work have gone back part time or started training.\n\n"
        "The trust now includes the group in the information pack every new carer receives."
    ),
    "anonymised": {
        "anonymised_title": "Peer support for carers of people with severe mental illness",
        "anonymised_summary": (
            "Unpaid carers of people living with severe mental illness met every fortnight with a peer "
            "facilitator who has cared for a family member herself. Carers said they felt less alone, knew "
            "their rights and could speak up at care reviews."
        ),
        "anonymised_challenge": (
            "Carers of people with psychosis, bipolar disorder or severe depression told us they felt shut out. "
            "They were often not told about changes to care, did not know they could ask for a carer's "
            "assessment, and had nobody to talk to who understood. Many had given up work."
        ),
        "anonymised_solution": (
            "A carers' charity set up a peer support group with the local NHS mental health trust's community "
            "teams. A carer with long experience of caring for a family member was trained and paid as its "
            "peer facilitator. A mental health nurse joins once a month to answer questions."
        ),
        "anonymised_what_we_did": (
            "- Met every other week at a community centre, with an online option.\n"
            "- Ran a six-week course on the Mental Health Act, confidentiality and preparing for a care review.\n"
            "- Helped 23 carers ask the council for a carer's assessment.\n"
            "- Agreed with the mental health teams that carers are invited to care reviews unless the person "
            "they care for says no."
        ),
        "anonymised_impact": (
            "41 carers joined in the first year and 30 still come regularly. After twelve months, 27 of 30 said "
            "they felt less isolated and 24 felt more confident talking to professionals. The trust now tells "
            "every new carer about the group."
        ),
    },
    "period": (dt.date(2025, 9, 1), dt.date(2026, 8, 1)),
    "plus_groups": [CARERS],
    "clinical_areas": [ClinicalArea.SMI],
    "key_areas": [STRATEGIC, CONTRACTS],
    "places": ["E09000011", "E09000004"],
    "organisations": ["GB-CHC-1199003", "GB-NHS-RV5"],
    "person": "Maureen Clarke",
    "quote": (
        "For years I thought I was the only one. Now there are thirty of us who understand.",
        "Maureen Clarke, peer facilitator",
        "A carer and peer facilitator",
    ),
    "contacts": [("Joanne Mensah", "joanne.mensah@example.org", "GB-CHC-1199003")],
    "dates": {"created": 4, "submitted": 12, "consent": 26, "published": 33},
}

NAVIGATORS = {
    "key": "demo-refugee-health-navigators",
    "author": "convenor@example.org",
    "title": "Health navigators for refugees and people seeking asylum in Southwark",
    "summary": (
        "Navigators who speak Arabic, Dari, Tigrinya and Spanish helped refugees and people seeking asylum "
        "living in Southwark hotels and hostels to register with a GP and take up cancer screening."
    ),
    "challenge": (
        "People seeking asylum placed in hotels in Southwark often could not register with a GP. They were "
        "asked for proof of address or ID they did not have, and many did not know primary care is free for "
        "them.\n\n"
        "Women in particular were missing cervical and breast screening, and symptoms went unchecked until "
        "people arrived at A&E."
    ),
    "solution": (
        "Southwark Refugee Health Project recruited health navigators from the communities it serves and worked "
        "with Guy's and St Thomas' screening and early diagnosis teams. Navigators visit hotels and hostels "
        "every week, help people register, go with them to a first appointment when needed, and explain "
        "screening in people's own language."
    ),
    "what_we_did": (
        "- Recruited and trained six part-time navigators, four of whom came to the UK as refugees.\n"
        "- Held weekly drop-ins at four hotels and two hostels, agreed with the council's housing team.\n"
        "- Gave every GP practice a one-page reminder that nobody needs proof of address or ID to register.\n"
        "- Ran women-only screening information sessions with a nurse from the trust, with childcare on site."
    ),
    "impact": (
        "In nine months, 380 people registered with a GP. 96 women who had never been screened booked cervical "
        "screening, and 14 people were referred urgently with possible cancer symptoms; three early cancers "
        "were found and treated.\n\n"
        "GP practices in the borough now refuse far fewer registrations."
    ),
    "period": (dt.date(2025, 11, 1), dt.date(2026, 7, 1)),
    "plus_groups": [HOMELESSNESS],
    "clinical_areas": [ClinicalArea.CANCER],
    "key_areas": [STRATEGIC, PROCUREMENT],
    "places": ["E09000028"],
    "organisations": ["GB-CHC-1199004", "GB-NHS-RJ1"],
    "person": "Samira Haidari",
    "quote": (
        "When someone hears their own language at the door, they stop being afraid of the doctor.",
        "Samira Haidari, health navigator",
        "A health navigator",
    ),
    "contacts": [("Tomás Herrera", "tomas.herrera@example.org", "GB-CHC-1199004")],
    "dates": {"created": 10, "submitted": 18, "consent": 31},
}

YOUTH_DROP_IN = {
    "key": "demo-youth-mental-health-drop-in",
    "author": "facilitator@example.org",
    "title": "A Friday drop-in for young people's mental health in Lambeth",
    "summary": (
        "A weekly Friday evening drop-in at a Brixton youth centre gives 13 to 18 year olds somewhere to talk "
        "to a youth worker and a mental health practitioner, with no referral, waiting list or appointment."
    ),
    "challenge": (
        "Young people in Lambeth waited many months for children's mental health services, and many never got "
        "as far as a referral. Young Black boys in particular told youth workers they would not go to a clinic, "
        "and too often reached services only in a crisis."
    ),
    "solution": (
        "Lambeth's youth service and South London and Maudsley's children and young people's team opened a "
        "joint drop-in at a youth centre young people already use. A youth worker and a mental health "
        "practitioner staff it together, and offer follow-up sessions to anyone who wants them."
    ),
    "what_we_did": (
        "- Opened every Friday from 5pm to 8pm, with food, music and no forms before a first chat.\n"
        "- Designed the space and chose its name with twelve young people, who were paid for their time.\n"
        "- Offered up to six follow-up sessions, and a warm handover to specialist services when needed.\n"
        "- Trained youth workers across the borough to spot early signs of psychosis and self-harm."
    ),
    "impact": (
        "Over ten months, 214 young people came at least once and 96 had follow-up sessions. Two in three had "
        "never been in touch with mental health services. Wellbeing scores rose by a third on average over six "
        "sessions.\n\n"
        "Nineteen were young carers, and were put in touch with the borough's young carers service."
    ),
    "period": (dt.date(2025, 11, 1), dt.date(2026, 8, 1)),
    "plus_groups": [CARERS],
    "clinical_areas": [ClinicalArea.CYP_MENTAL_HEALTH],
    "key_areas": [STRATEGIC],
    "places": ["E09000022"],
    "organisations": ["GB-LAE-LBH", "GB-NHS-RV5"],
    "person": "Kwame Asante",
    "quote": (
        "They come for the food and the music. Then one week they stay behind and tell you what's really going on.",
        "Kwame Asante, youth worker",
        "A youth worker",
    ),
    "contacts": [("Kwame Asante", "kwame.asante@example.org", "GB-LAE-LBH")],
    "comment": (
        "Thank you, Ben: this is a strong story. Could you say which questionnaire the wellbeing scores come "
        "from, and check with the trust that we can use the figure on crisis referrals? Then I'll accept it."
    ),
    "dates": {"created": 15, "submitted": 36, "comment": 40},
}

BEFRIENDING = {
    "key": "demo-bromley-befriending",
    "author": "member@example.org",
    "title": "Befriending calls for older people in Bromley",
    "summary": (
        "Volunteers phone older people who live alone in Bromley once a week for a chat, and help them get to "
        "health checks, lunch clubs and their flu and COVID jabs."
    ),
    "challenge": (
        "Many older people in Bromley live alone, some without seeing anyone for days. Loneliness makes people "
        "less likely to look after their health: people told us they had missed jabs and check-ups because "
        "they had nobody to go with. Several care for a husband or wife and cannot easily leave the house."
    ),
    "solution": (
        "The borough's befriending scheme, supported by South East London VCSE Alliance, matches each older "
        "person with a volunteer who phones at the same time every week. Volunteers know what is on locally "
        "and can book transport to appointments."
    ),
    "what_we_did": (
        "- Recruited 40 volunteers, many of them recently retired, and trained them in listening and "
        "safeguarding.\n"
        "- Took referrals from GP practices, social prescribers and families, and from people themselves.\n"
        "- Reminded people living with COPD about their flu jab and pulmonary rehabilitation classes."
    ),
    "impact": (
        "So far 120 people have a weekly call. We are still collecting figures on jabs and check-ups, and will "
        "add them here."
    ),
    "period": (dt.date(2026, 1, 1), None),
    "plus_groups": [CARERS],
    "clinical_areas": [ClinicalArea.RESPIRATORY],
    "key_areas": [SUSTAINABILITY],
    "places": ["E09000006"],
    "organisations": ["GB-LAE-BRY", "GB-CHC-1199001"],
    "contacts": [("Chloe Martin", "member@example.org", None)],
    "dates": {"created": 38},
}


def register() -> None:
    register_demo_step(StageKind.EVIDENCE, evidence_stage)


def evidence_stage(*, process, stage) -> None:
    if process.partnership.slug != SLUG:
        return
    partnership = process.partnership
    if CaseStudy.objects.filter(partnership=partnership, request_key__startswith="demo-").exists():
        return  # already loaded
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith="@example.org")}
    amara, ben = users["convenor@example.org"], users["facilitator@example.org"]
    groups = {
        name: PlusGroup.objects.filter(partnership=partnership, name=name).first()
        or services.plus_group_create(partnership=partnership, actor=amara, name=name, description=description)
        for name, description in PLUS_GROUPS.items()
    }
    # The stage as saved: the caller's copy may predate the timeline's dates.
    start = process.stages.get(pk=stage.pk).starts_on or timezone.localdate() - dt.timedelta(days=42)
    ctx = {"process": process, "users": users, "groups": groups, "start": start}

    food_bank = _write(FOOD_BANK, ctx)
    _through_review(food_bank, editor=amara)
    featured = {fo.organisation.org_id: fo for fo in food_bank.featured_organisations.select_related("organisation")}
    chloe = users["member@example.org"]  # the food network's contact gives its consent herself
    _consent(food_bank, chloe, featured=featured["GB-CHC-1199002"], given_by="Chloe Martin", uses=ALL_USES)
    _consent(food_bank, amara, featured=featured["GB-NHS-QKK"], given_by="Helen Osei", uses=ALL_USES)
    _consent(food_bank, amara, person=food_bank.people.get(), given_by="Grace Adeyemi", uses=ALL_USES)
    _publish(food_bank, amara, Version.NAMED)

    carers = _write(CARERS_GROUP, ctx)
    _through_review(carers, editor=amara, anonymised=CARERS_GROUP["anonymised"])
    for fo in carers.featured_organisations.select_related("organisation"):
        given_by = {"GB-CHC-1199003": "Joanne Mensah"}.get(fo.organisation.org_id, "Dr Simon Achebe")
        _consent(carers, ben, featured=fo, given_by=given_by, uses=ALL_USES)
    # Maureen agreed to be named within the partnership only, so the anonymised version is published.
    _consent(carers, ben, person=carers.people.get(), given_by="Maureen Clarke", uses={Use.INTERNAL})
    _publish(carers, amara, Version.ANONYMISED)

    navigators = _write(NAVIGATORS, ctx)
    _through_review(navigators, editor=ben)
    project = navigators.featured_organisations.get(organisation__org_id="GB-CHC-1199004")
    _consent(navigators, ben, featured=project, given_by="Tomás Herrera", uses=ALL_USES)
    # Still waiting for the trust and for Samira.

    drop_in = _write(YOUTH_DROP_IN, ctx)
    services.case_study_submit(case_study=drop_in, actor=ben)
    services.case_study_start_review(case_study=drop_in, actor=amara)
    services.review_comment_add(case_study=drop_in, actor=amara, text=YOUTH_DROP_IN["comment"])

    _write(BEFRIENDING, ctx)  # Chloe's draft

    services.contributor_invite(
        partnership=partnership, actor=amara, name="Priya Shah", email="priya.shah@example.org",
        organisation=Organisation.objects.filter(org_id="GB-CHC-1199003").first(),
    )  # fmt: skip

    for story in (FOOD_BANK, CARERS_GROUP, NAVIGATORS, YOUTH_DROP_IN, BEFRIENDING):
        _backdate(CaseStudy.objects.get(partnership=partnership, request_key=story["key"]), story["dates"], ctx)


def _write(story: dict, ctx: dict) -> CaseStudy:
    """The author writes it and tags it; an editor links a contact to their account."""
    process, users, groups = ctx["process"], ctx["users"], ctx["groups"]
    author, amara = users[story["author"]], users["convenor@example.org"]
    texts = {name: story[name] for name in ("title", "summary", "challenge", "solution", "what_we_did", "impact")}
    cs = services.case_study_create(partnership=process.partnership, actor=author, request_key=story["key"], **texts)
    key_areas = {k.title: k for k in process.key_areas.all()}
    services.case_study_update(
        case_study=cs, actor=author, period_start=story["period"][0], period_end=story["period"][1], core20=True,
        plus_groups=[groups[name] for name in story["plus_groups"]], clinical_areas=list(story["clinical_areas"]),
        key_areas=[key_areas[title] for title in story["key_areas"] if title in key_areas],
        places=list(Area.objects.filter(code__in=story["places"])),
    )  # fmt: skip
    organisations = {o.org_id: o for o in Organisation.objects.filter(org_id__in=story["organisations"])}
    for org_id in story["organisations"]:
        services.featured_organisation_add(case_study=cs, actor=author, organisation=organisations[org_id])
    if story.get("person"):
        person = services.person_add(
            case_study=cs, actor=author, name=story["person"], organisation=organisations[story["organisations"][0]]
        )
        text, attribution, anonymised = story["quote"]
        services.quote_add(
            case_study=cs, actor=author, text=text, attribution=attribution, person=person,
            anonymised_attribution=anonymised,
        )  # fmt: skip
    for name, email, org_id in story["contacts"]:
        organisation = Organisation.objects.filter(org_id=org_id).first() if org_id else None
        # A featured organisation's contact with an account may give its consent: only an
        # editor links a contact to an account.
        user = users.get(email) if organisation else None
        services.contact_add(
            case_study=cs, actor=amara if user else author, name=name, email=email, organisation=organisation,
            user=user,
        )  # fmt: skip
    return cs


def _through_review(cs: CaseStudy, *, editor, anonymised: dict | None = None) -> None:
    services.case_study_submit(case_study=cs, actor=cs.created_by)
    services.case_study_start_review(case_study=cs, actor=editor)
    if anonymised:
        services.case_study_anonymise(case_study=cs, actor=editor, **anonymised)
    services.case_study_accept(case_study=cs, actor=editor)


def _consent(cs: CaseStudy, actor, *, given_by: str, uses, featured=None, person=None) -> None:
    services.consent_give(
        case_study=cs, actor=actor, featured_organisation=featured, person=person, given_by=given_by, uses=uses
    )


def _publish(cs: CaseStudy, editor, version: str) -> None:
    services.case_study_approve(case_study=cs, actor=editor)
    services.case_study_publish(case_study=cs, actor=editor, uses=PUBLIC, version=version)


def _at(ctx: dict, days: int, hour: int = 11) -> dt.datetime:
    day = ctx["start"] + dt.timedelta(days=days)
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), timezone.now())


def _backdate(cs: CaseStudy, dates: dict, ctx: dict) -> None:
    """The dates the record would carry had it been written during the stage."""
    last = max(dates.values())
    fields = {"created_at": _at(ctx, dates["created"], 10), "updated_at": _at(ctx, last, 16)}
    if "submitted" in dates:
        fields["submitted_at"] = _at(ctx, dates["submitted"])
    if cs.status == Status.PUBLISHED:
        fields["published_at"] = _at(ctx, dates["published"], 15)
    CaseStudy.objects.filter(pk=cs.pk).update(**fields)
    if "consent" in dates:
        Consent.objects.filter(case_study=cs).update(given_at=_at(ctx, dates["consent"]))
    if "comment" in dates:
        ReviewComment.objects.filter(case_study=cs).update(created_at=_at(ctx, dates["comment"], 14))
