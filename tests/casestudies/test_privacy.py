"""A person's case study data in "Your data": contacts, contributor invitations, case studies
they started, consents they recorded, withdrew or gave, and review comments, all exported.
Erasure anonymises the contacts and invitations and unlinks them as author; case studies,
consents and comments stay as the partnership's record, and the audit log is untouched."""

import pytest

from compact.activity.models import AuditEntry
from compact.casestudies import privacy, services
from compact.casestudies.models import CaseStudy, Consent, Contact, Contributor, Person, ReviewComment, Use
from compact.partnerships import privacy as partnership_privacy
from compact.partnerships.privacy import ERASED_NAME, personal_data_export, user_erase

from .conftest import SECTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    """Case studies' personal data as CaseStudiesConfig.ready() registers it."""
    if not any(key == "casestudies" for key, _, _ in partnership_privacy._SOURCES):
        sources = [*partnership_privacy._SOURCES, ("casestudies", privacy.export, privacy.erase)]
        monkeypatch.setattr(partnership_privacy, "_SOURCES", sources)


@pytest.fixture
def story(case_study, cast, charity, partnership):
    """The facilitator (an editor) leaves every kind of trace; everyone else leaves some too."""
    fay, convenor, author = cast["facilitator"], cast["convenor"], cast["author"]
    fay.full_name = "Fay Fielding"
    fay.save(update_fields=["full_name"])
    own = services.case_study_create(partnership=partnership, actor=fay, title="Carers' cafés in Bexley", **SECTIONS)
    linked = services.contact_add(case_study=own, actor=convenor, name="Fay Fielding", email=fay.email, user=fay)
    by_email = services.contact_add(
        case_study=case_study, actor=convenor, name="F. Fielding", email=fay.email.upper(), organisation=charity
    )
    services.contact_add(case_study=own, actor=fay, name="Olu Other", email="olu@example.org")
    invited, _ = services.contributor_invite(
        partnership=partnership, actor=convenor, name="Fay at home", email=fay.email.upper(), organisation=charity
    )
    services.contributor_invite(partnership=partnership, actor=convenor, name="Sam Small", email="sam@example.org")
    # A person named "Fay Fielding" in the case study is not her account: nobody is matched by name.
    namesake = services.person_add(case_study=case_study, actor=author, name="Fay Fielding")

    services.case_study_submit(case_study=case_study, actor=author)
    services.case_study_start_review(case_study=case_study, actor=convenor)
    fay_comment = services.review_comment_add(case_study=case_study, actor=fay, text="Say how many people it reached.")
    services.review_comment_add(case_study=case_study, actor=convenor, text="Lovely quote.")
    recorded = services.consent_give(
        case_study=case_study, actor=fay, featured_organisation=case_study.featured, given_by="Cara Contact",
        uses={Use.INTERNAL, Use.DOCUMENT},
    )  # fmt: skip
    in_her_name = services.consent_give(
        case_study=case_study, actor=convenor, person=namesake, given_by="fay fielding", uses={Use.WEB}
    )
    withdrawn = services.consent_give(
        case_study=case_study, actor=convenor, person=case_study.person, given_by="Priya Patel", uses={Use.WEB}
    )
    services.consent_withdraw(consent=withdrawn, actor=fay)
    return {
        "fay": fay, "own": own, "linked": linked, "by_email": by_email, "invited": invited, "namesake": namesake,
        "comment": fay_comment, "recorded": recorded, "in_her_name": in_her_name, "withdrawn": withdrawn,
    }  # fmt: skip


def test_export_holds_every_kind(story, case_study, registered):
    data = personal_data_export(user=story["fay"])["casestudies"]
    assert data == privacy.export(story["fay"])
    assert sorted((c["case_study"], c["name"], c["linked_to_your_account"]) for c in data["contacts"]) == [
        ("Carers' cafés in Bexley", "Fay Fielding", True),
        ("Link workers in Lewisham", "F. Fielding", False),
    ]
    assert {c["organisation"] for c in data["contacts"]} == {"", "Lewisham Mind"}
    assert all(c["email"] == story["fay"].email.lower() for c in data["contacts"])
    [invitation] = data["contributor_invitations"]
    assert invitation | {"invited": None} == {
        "name": "Fay at home", "email": story["fay"].email.lower(), "organisation": "Lewisham Mind", "invited": None,
        "link_used": False,
    }  # fmt: skip
    [started] = data["case_studies_started"]
    assert (started["title"], started["status"], started["partnership"]) == (
        "Carers' cafés in Bexley", "draft", "South East London",
    )  # fmt: skip
    [recorded] = data["consents_recorded"]
    assert (recorded["subject"], recorded["given_by"], recorded["uses"]) == (
        "Lewisham Mind", "Cara Contact", ["document", "internal"],
    )  # fmt: skip
    [withdrawn] = data["consents_withdrawn"]
    assert withdrawn["subject"] == "Priya Patel" and withdrawn["withdrawn_at"]
    [given] = data["consents_given_in_your_name"]
    assert (given["given_by"], given["uses"], given["case_study"]) == ("fay fielding", ["web"], case_study.title)
    assert [(c["text"], c["requests_changes"]) for c in data["review_comments"]] == [
        ("Say how many people it reached.", False)
    ]
    assert data["review_comments"][0]["written"]


def test_someone_else_sees_only_their_own(story, cast):
    data = privacy.export(cast["contact"])
    assert [c["name"] for c in data["contacts"]] == ["Cara Contact"]
    assert data["case_studies_started"] == data["review_comments"] == data["contributor_invitations"] == []


def test_erasure_anonymises_exactly_their_data_and_keeps_the_record(story, case_study, cast, registered):
    fay = story["fay"]
    audit_before = list(AuditEntry.objects.order_by("pk").values())
    others_contacts = list(Contact.objects.exclude(pk__in=[story["linked"].pk, story["by_email"].pk]).values())
    others_contributors = list(Contributor.objects.exclude(pk=story["invited"].pk).values())
    consents_before = list(Consent.objects.order_by("pk").values())
    comments_before = list(ReviewComment.objects.order_by("pk").values())
    people_before = list(Person.objects.order_by("pk").values())
    author_case_study = CaseStudy.objects.get(pk=case_study.pk)

    user_erase(user=fay)

    for contact in (story["linked"], story["by_email"]):
        contact.refresh_from_db()
        assert (contact.name, contact.user) == (ERASED_NAME, None)
        assert contact.email == f"erased-{fay.pk}-{contact.pk}@erased.invalid"
    invited = Contributor.objects.get(pk=story["invited"].pk)
    assert (invited.name, invited.email) == (ERASED_NAME, f"erased-{fay.pk}-{invited.pk}@erased.invalid")
    assert invited.expires_at <= invited.updated_at  # the unused link no longer works
    own = CaseStudy.objects.get(pk=story["own"].pk)
    assert own.created_by is None and own.title == "Carers' cafés in Bexley"  # the record stays
    assert own.updated_at == story["own"].updated_at

    # Everyone else's data, the consents (her own included), comments and named people: unchanged.
    assert list(Contact.objects.exclude(pk__in=[story["linked"].pk, story["by_email"].pk]).values()) == others_contacts
    assert list(Contributor.objects.exclude(pk=story["invited"].pk).values()) == others_contributors
    assert list(Consent.objects.order_by("pk").values()) == consents_before
    assert list(ReviewComment.objects.order_by("pk").values()) == comments_before
    assert list(Person.objects.order_by("pk").values()) == people_before
    assert CaseStudy.objects.get(pk=case_study.pk).created_by == cast["author"]
    assert CaseStudy.objects.get(pk=case_study.pk).updated_at == author_case_study.updated_at
    # What she recorded and wrote now reads as the anonymised account.
    assert Consent.objects.get(pk=story["recorded"].pk).recorded_by.full_name == ERASED_NAME
    assert ReviewComment.objects.get(pk=story["comment"].pk).author.full_name == ERASED_NAME

    # The audit log is append-only: every earlier entry is as it was; only the erasure is added.
    after = list(AuditEntry.objects.order_by("pk").values())
    assert after[: len(audit_before)] == audit_before
    assert {entry["action"] for entry in after[len(audit_before) :]} == {"user.erase"}


def test_nothing_left_to_export_after_erasure(story, registered):
    fay = story["fay"]
    user_erase(user=fay)
    fay.refresh_from_db()
    data = privacy.export(fay)
    assert data["contacts"] == data["contributor_invitations"] == data["case_studies_started"] == []
    # The record of what the account did stays, under the anonymised account.
    assert len(data["consents_recorded"]) == 1 and len(data["review_comments"]) == 1


def test_erasing_twice_is_harmless(story):
    privacy.erase(story["fay"])
    privacy.erase(story["fay"])
    assert Contact.objects.filter(name=ERASED_NAME).count() == 2
