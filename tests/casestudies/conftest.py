import pytest
from django.contrib.auth.models import AnonymousUser

from compact.casestudies import services
from compact.casestudies.models import CaseStudy, Status, Use, Version
from compact.partnerships.models import Role
from compact.processes.models import KeyArea

from ..factories import AreaFactory, OrganisationFactory, UserFactory, member

SECTIONS = {
    "summary": "A social prescribing service helped people with long-term conditions.",
    "challenge": "People waited months for support.",
    "solution": "Link workers in community centres.",
    "what_we_did": "We trained twelve link workers.",
    "impact": "Waiting times fell by half.",
}
ANONYMISED = {
    "anonymised_title": "A community link worker service",
    "anonymised_summary": "A service helped people with long-term conditions.",
    "anonymised_challenge": "People waited months.",
    "anonymised_solution": "Link workers in community venues.",
    "anonymised_what_we_did": "We trained link workers.",
    "anonymised_impact": "Waiting times fell.",
}
ALL_STATES = [s.value for s in Status]


@pytest.fixture
def cast(partnership, people):
    """Everyone the rules distinguish: editors, the author, members, an organisation contact,
    an outsider and the anonymous public."""
    return {
        "convenor": people[Role.CONVENOR],
        "facilitator": people[Role.FACILITATOR],
        "author": member(partnership, Role.MEMBER, full_name="Ada Author"),
        "member": people[Role.MEMBER],
        "observer": people[Role.OBSERVER],
        "contact": UserFactory(email="contact@lewisham-mind.example", full_name="Cara Contact"),
        "outsider": people["outsider"],
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def charity(db):
    return OrganisationFactory(name="Lewisham Mind", org_id="GB-CHC-1080330")


@pytest.fixture
def key_area(process):
    return KeyArea.objects.create(process=process, title="Sustainability and funding", position=1)


@pytest.fixture
def borough(db):
    return AreaFactory(code="E09000023", name="Lewisham")


@pytest.fixture
def case_study(partnership, cast, charity):
    """A complete case study by the author: one featured organisation (with a contact who has an
    account), one named person, a quote and a described image; no consent yet."""
    author, editor = cast["author"], cast["convenor"]
    cs = services.case_study_create(partnership=partnership, actor=author, title="Link workers in Lewisham", **SECTIONS)
    featured = services.featured_organisation_add(case_study=cs, actor=author, organisation=charity)
    person = services.person_add(case_study=cs, actor=author, name="Priya Patel", organisation=charity)
    services.quote_add(
        case_study=cs, actor=author, text="It changed how we work.", attribution="Priya Patel, link worker",
        person=person, anonymised_attribution="A link worker",
    )  # fmt: skip
    services.contact_add(
        case_study=cs, actor=editor, name="Cara Contact", email=cast["contact"].email, organisation=charity,
        user=cast["contact"],
    )  # fmt: skip
    cs.refresh_from_db()
    cs.featured = featured
    cs.person = person
    return cs


def give_all_consents(case_study, actor, uses=(Use.INTERNAL, Use.DOCUMENT, Use.WEB), expires_on=None):
    consents = [
        services.consent_give(
            case_study=case_study,
            actor=actor,
            featured_organisation=fo,
            given_by="Cara Contact",
            uses=uses,
            expires_on=expires_on,
        )  # fmt: skip
        for fo in case_study.featured_organisations.all()
    ]
    consents += [
        services.consent_give(
            case_study=case_study, actor=actor, person=p, given_by=p.name, uses=uses, expires_on=expires_on
        )
        for p in case_study.people.all()
    ]
    return consents


def to_approved(case_study, editor, *, consents=True):
    services.case_study_submit(case_study=case_study, actor=case_study.created_by or editor)
    services.case_study_start_review(case_study=case_study, actor=editor)
    services.case_study_anonymise(case_study=case_study, actor=editor, **ANONYMISED)
    services.case_study_accept(case_study=case_study, actor=editor)
    if consents:
        give_all_consents(case_study, editor)
    approved = services.case_study_approve(case_study=case_study, actor=editor)
    approved.featured, approved.person = case_study.featured, case_study.person
    return approved


def put_in(case_study: CaseStudy, state: str) -> CaseStudy:
    """Force a state (for the rules matrix): published means on the web and in the document."""
    published = state == Status.PUBLISHED
    CaseStudy.objects.filter(pk=case_study.pk).update(
        status=state, published_version=Version.NAMED if published else "", published_web=published,
        published_document=published,
    )  # fmt: skip
    return CaseStudy.objects.select_related("partnership").get(pk=case_study.pk)


def sync_search(*pks) -> None:
    """Refresh the stored search text of case studies whose text a test changed with update()
    (the services keep it; update() skips them), leaving updated_at alone."""
    for case_study in CaseStudy.objects.filter(pk__in=pks):
        case_study.refresh_search_text()
        CaseStudy.objects.filter(pk=case_study.pk).update(
            search_named=case_study.search_named, search_anonymised=case_study.search_anonymised
        )
