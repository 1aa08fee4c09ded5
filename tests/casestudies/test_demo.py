"""The demo's case studies: South East London has one in each state worth seeing, two PLUS
groups and a pending contributor invitation, loaded once, without emailing anyone."""

import pytest
from django.core import mail

from compact.casestudies import consent, demo, services
from compact.casestudies.models import (
    CaseStudy,
    ClinicalArea,
    Consent,
    Contributor,
    PlusGroup,
    ReviewComment,
    Status,
    Use,
    Version,
)
from compact.casestudies.selectors import public_case_studies
from compact.partnerships.models import Partnership
from compact.processes import demo as process_demo
from compact.processes.demo import load_demo
from compact.processes.models import StageKind

pytestmark = pytest.mark.django_db

STORIES = [demo.FOOD_BANK, demo.CARERS_GROUP, demo.NAVIGATORS, demo.YOUTH_DROP_IN, demo.BEFRIENDING]


@pytest.fixture
def loaded(monkeypatch, django_capture_on_commit_callbacks):
    """The whole demo, with the case studies' step as CaseStudiesConfig.ready() registers it."""
    steps = process_demo.DEMO_STEPS.get(StageKind.EVIDENCE, [])
    if demo.evidence_stage not in steps:
        monkeypatch.setitem(process_demo.DEMO_STEPS, StageKind.EVIDENCE, [*steps, demo.evidence_stage])
    with django_capture_on_commit_callbacks(execute=True):
        assert load_demo() is True
    return Partnership.objects.get(slug="south-east-london")


def by_key(partnership, story) -> CaseStudy:
    return CaseStudy.objects.get(partnership=partnership, request_key=story["key"])


def test_one_case_study_in_each_state(loaded):
    states = {story["key"]: by_key(loaded, story).status for story in STORIES}
    assert states == {
        demo.FOOD_BANK["key"]: Status.PUBLISHED, demo.CARERS_GROUP["key"]: Status.PUBLISHED,
        demo.NAVIGATORS["key"]: Status.CONSENT_PENDING, demo.YOUTH_DROP_IN["key"]: Status.IN_REVIEW,
        demo.BEFRIENDING["key"]: Status.DRAFT,
    }  # fmt: skip
    assert CaseStudy.objects.count() == 5
    assert sorted(PlusGroup.objects.filter(partnership=loaded).values_list("name", flat=True)) == [
        "Carers", "People experiencing homelessness",
    ]  # fmt: skip
    assert mail.outbox == []


def test_the_named_one_is_on_the_public_web_with_every_consent(loaded):
    food_bank = by_key(loaded, demo.FOOD_BANK)
    assert (food_bank.published_version, food_bank.published_uses) == (Version.NAMED, {Use.DOCUMENT, Use.WEB})
    assert food_bank.created_by.email == "member@example.org"
    assert consent.gaps(food_bank, {Use.DOCUMENT, Use.WEB}) == []
    assert food_bank.consents.count() == 3  # two organisations and Grace
    # The food network's contact, linked to Chloe's account, recorded its consent herself.
    assert food_bank.consents.get(given_by="Chloe Martin").recorded_by.email == "member@example.org"
    public = public_case_studies(partnership=loaded)
    assert food_bank in public
    assert list(public_case_studies(partnership=loaded, q="blood pressure")) == [food_bank]
    assert set(public) == {food_bank, by_key(loaded, demo.CARERS_GROUP)}  # nothing unpublished


def test_the_anonymised_one_names_nobody_who_has_not_agreed(loaded):
    carers = by_key(loaded, demo.CARERS_GROUP)
    assert carers.published_version == Version.ANONYMISED and carers.published_web
    assert consent.gaps(carers, {Use.WEB})  # Maureen agreed to internal use only
    assert consent.anonymised_problems(carers, {Use.DOCUMENT, Use.WEB}) == {}
    # The public search reads the anonymised version only.
    assert not public_case_studies(partnership=loaded, q="Maureen").exists()
    assert public_case_studies(partnership=loaded, q="peer facilitator").get() == carers


def test_waiting_for_consent_in_review_and_a_draft(loaded):
    navigators = by_key(loaded, demo.NAVIGATORS)
    missing = {gap.subject.name for gap in consent.gaps(navigators, {Use.DOCUMENT})}
    assert missing == {"Guy's and St Thomas' NHS Foundation Trust", "Samira Haidari"}

    drop_in = by_key(loaded, demo.YOUTH_DROP_IN)
    comment = ReviewComment.objects.get(case_study=drop_in)
    assert comment.author.email == "convenor@example.org" and "questionnaire" in comment.text

    draft = by_key(loaded, demo.BEFRIENDING)
    assert draft.created_by.email == "member@example.org" and draft.submitted_at is None
    assert services.submission_problems(draft) == {}  # every section written, ready when she is


def test_every_case_study_is_complete_and_tagged(loaded):
    for story in STORIES:
        cs = by_key(loaded, story)
        assert services.submission_problems(cs) == {}, cs.title
        assert cs.core20 and cs.plus_groups.exists() and cs.key_areas.exists() and cs.places.exists(), cs.title
        assert cs.period_start is not None
        assert set(cs.clinical_areas.values_list("area", flat=True)) <= set(ClinicalArea.values)
        assert cs.featured_organisations.count() == 2, cs.title
        assert cs.contacts.exists()
    assert {p.name for p in by_key(loaded, demo.FOOD_BANK).places.all()} == {"Lewisham"}
    # Dated within the evidence stage, before it ended.
    stage = loaded.processes.get().stages.get(kind=StageKind.EVIDENCE)
    for cs in CaseStudy.objects.all():
        assert stage.starts_on <= cs.created_at.date() <= cs.updated_at.date() <= stage.ends_on
    assert all(c.given_at.date() <= stage.ends_on for c in Consent.objects.all())


def test_a_pending_contributor_invitation(loaded):
    invitation = Contributor.objects.get(partnership=loaded)
    assert (invitation.name, invitation.email) == ("Priya Shah", "priya.shah@example.org")
    assert invitation.organisation.name == "Greenwich Carers Together"
    assert invitation.invited_by.email == "convenor@example.org"
    assert invitation.used_at is None and not invitation.case_studies.exists()


def test_loading_again_adds_nothing(loaded):
    counts = (CaseStudy.objects.count(), PlusGroup.objects.count(), Contributor.objects.count())
    assert load_demo() is False
    process = loaded.processes.get()
    demo.evidence_stage(process=process, stage=process.stages.get(kind=StageKind.EVIDENCE))
    assert (CaseStudy.objects.count(), PlusGroup.objects.count(), Contributor.objects.count()) == counts
