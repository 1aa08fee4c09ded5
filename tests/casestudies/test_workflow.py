"""The workflow services: each transition by every role, in its own state and in every other,
double submissions, the conditions each step checks, and what the audit log keeps."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.casestudies import services
from compact.casestudies.models import CaseStudy, MediaKind, ReviewComment, Status, Use, Version

from ..factories import png_upload
from .conftest import ALL_STATES, ANONYMISED, SECTIONS, give_all_consents, put_in

pytestmark = pytest.mark.django_db

ROLES = ["convenor", "facilitator", "author", "member", "observer", "contact", "outsider", "anonymous"]
EDITORS = {"convenor", "facilitator"}


def _publish(cs, actor):
    return services.case_study_publish(case_study=cs, actor=actor, uses={Use.WEB}, version=Version.NAMED)


# transition: (service call, the states it starts from, the state it leads to, who may)
TRANSITIONS = {
    "submit": (lambda cs, a: services.case_study_submit(case_study=cs, actor=a), {"draft", "changes_requested"},
               "submitted", EDITORS | {"author"}),
    "start_review": (lambda cs, a: services.case_study_start_review(case_study=cs, actor=a), {"submitted"}, "in_review",
                     EDITORS),
    "request_changes": (lambda cs, a: services.case_study_request_changes(case_study=cs, actor=a, comment="Add data"),
                        {"in_review"}, "changes_requested", EDITORS),
    "accept": (lambda cs, a: services.case_study_accept(case_study=cs, actor=a), {"in_review"}, "consent_pending",
               EDITORS),
    "approve": (lambda cs, a: services.case_study_approve(case_study=cs, actor=a), {"consent_pending"}, "approved",
                EDITORS),
    "publish": (_publish, {"approved", "published"}, "published", EDITORS),
    "unpublish": (lambda cs, a: services.case_study_unpublish(case_study=cs, actor=a), {"published"}, "approved",
                  EDITORS),
    "withdraw": (lambda cs, a: services.case_study_withdraw(case_study=cs, actor=a), set(ALL_STATES) - {"withdrawn"}, "withdrawn",
                 EDITORS | {"author"}),
}  # fmt: skip


@pytest.fixture
def ready(case_study, cast):
    """A complete case study with every consent and an anonymised version, so that only role and
    state decide whether a transition goes ahead."""
    give_all_consents(case_study, cast["convenor"])
    CaseStudy.objects.filter(pk=case_study.pk).update(**ANONYMISED)
    return case_study


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_by_role_and_state(ready, cast, name):
    call, source, target, allowed = TRANSITIONS[name]
    for role in ROLES:
        for state in ALL_STATES:
            current = put_in(ready, state)
            if state in source and role in allowed:
                assert call(current, cast[role]).status == target, (name, role, state)
                assert CaseStudy.objects.get(pk=ready.pk).status == target
            elif state == target and name in ("submit", "withdraw") and role in allowed | {"contact"}:
                # Submitting or withdrawing again changes nothing, for anyone who may see it.
                assert call(current, cast[role]).status == target, (name, role, state)
            else:
                with pytest.raises((PermissionDenied, ValidationError)):
                    call(current, cast[role])
                assert CaseStudy.objects.get(pk=ready.pk).status == state, (name, role, state)


def test_submitting_twice_makes_one_submission(case_study, cast):
    author = cast["author"]
    services.case_study_submit(case_study=case_study, actor=author)
    again = services.case_study_submit(case_study=case_study, actor=author)
    assert again.status == Status.SUBMITTED
    assert AuditEntry.objects.filter(action="casestudy.submit", object_id=str(case_study.pk)).count() == 1


def test_creating_twice_with_the_same_form_key_makes_one_case_study(partnership, cast):
    make = dict(partnership=partnership, actor=cast["member"], title="Food bank", request_key="form-123")
    first = services.case_study_create(**make)
    second = services.case_study_create(**make)
    assert first.pk == second.pk
    assert CaseStudy.objects.filter(partnership=partnership).count() == 1


def test_an_incomplete_case_study_cannot_be_submitted(partnership, cast):
    cs = services.case_study_create(partnership=partnership, actor=cast["member"], title="Just a title")
    with pytest.raises(ValidationError) as error:
        services.case_study_submit(case_study=cs, actor=cast["member"])
    assert {"summary", "challenge", "solution", "what_we_did", "impact"} <= set(error.value.message_dict)


@pytest.mark.parametrize("missing", ["alt_text", "credit"])
def test_an_image_without_alt_text_or_credit_blocks_submission(case_study, cast, missing):
    described = {"alt_text": "Link workers at a table", "credit": "Photo: Lewisham Mind"} | {missing: ""}
    image = services.media_add(case_study=case_study, actor=cast["author"], file=png_upload("team.png"), **described)
    with pytest.raises(ValidationError) as error:
        services.case_study_submit(case_study=case_study, actor=cast["author"])
    assert "team.png" in error.value.message_dict["media"][0]
    services.media_describe(media=image, actor=cast["author"], alt_text="Link workers", credit="Photo: Lewisham Mind")
    assert services.case_study_submit(case_study=case_study, actor=cast["author"]).status == Status.SUBMITTED


def test_attachments_need_no_alt_text(case_study, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    services.media_add(case_study=case_study, actor=cast["author"], file=pdf, kind=MediaKind.ATTACHMENT)
    assert services.case_study_submit(case_study=case_study, actor=cast["author"]).status == Status.SUBMITTED


def test_changes_requested_go_back_to_the_author(case_study, cast):
    editor, author = cast["facilitator"], cast["author"]
    services.case_study_submit(case_study=case_study, actor=author)
    services.case_study_start_review(case_study=case_study, actor=editor)
    services.review_comment_add(case_study=case_study, actor=editor, text="Lovely start.")
    with pytest.raises(ValidationError) as error:
        services.case_study_request_changes(case_study=case_study, actor=editor, comment="   ")
    assert "comment" in error.value.message_dict
    services.case_study_request_changes(case_study=case_study, actor=editor, comment="Add the numbers.")
    assert list(ReviewComment.objects.values_list("requests_changes", flat=True)) == [False, True]
    services.case_study_update(case_study=case_study, actor=author, impact="Waiting times fell from 12 to 6 weeks.")
    assert services.case_study_submit(case_study=case_study, actor=author).status == Status.SUBMITTED


def test_approval_needs_consent_or_an_anonymised_version(case_study, cast):
    editor = cast["convenor"]
    current = put_in(case_study, Status.CONSENT_PENDING)
    with pytest.raises(ValidationError) as error:
        services.case_study_approve(case_study=current, actor=editor)
    assert "consent" in error.value.message_dict
    services.case_study_anonymise(case_study=current, actor=editor, **ANONYMISED)
    assert services.case_study_approve(case_study=current, actor=editor).status == Status.APPROVED


def test_publication_uses_must_be_public_ones(case_study, cast):
    give_all_consents(case_study, cast["convenor"])
    current = put_in(case_study, Status.APPROVED)
    for uses in (set(), {Use.INTERNAL}, {"everywhere"}):
        with pytest.raises(ValidationError) as error:
            services.case_study_publish(case_study=current, actor=cast["convenor"], uses=uses)
        assert "uses" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_study_publish(case_study=current, actor=cast["convenor"], uses={Use.WEB}, version="secret")
    assert "version" in error.value.message_dict


def test_withdrawing_unpublishes(case_study, cast):
    give_all_consents(case_study, cast["convenor"])
    current = put_in(case_study, Status.APPROVED)
    services.case_study_publish(case_study=current, actor=cast["convenor"], uses={Use.WEB, Use.DOCUMENT})
    withdrawn = services.case_study_withdraw(case_study=current, actor=cast["author"])
    assert (withdrawn.status, withdrawn.published_web, withdrawn.published_document) == ("withdrawn", False, False)


def test_state_changes_are_audited_without_the_text(case_study, cast):
    editor = cast["convenor"]
    services.case_study_update(case_study=case_study, actor=cast["author"], challenge="A secret detail about Ann.")
    services.case_study_submit(case_study=case_study, actor=cast["author"])
    services.case_study_start_review(case_study=case_study, actor=editor)
    services.case_study_request_changes(case_study=case_study, actor=editor, comment="Private remark about Ann.")
    entries = AuditEntry.objects.filter(partnership_id=case_study.partnership_id, action__startswith="casestudy.")
    actions = list(entries.order_by("pk").values_list("action", flat=True))
    assert actions[-4:] == [
        "casestudy.update",
        "casestudy.submit",
        "casestudy.start_review",
        "casestudy.request_changes",
    ]
    assert entries.get(action="casestudy.update").changes == {"fields": ["challenge"]}
    assert entries.get(action="casestudy.submit").changes == {"status": ["draft", "submitted"]}
    assert not any("Ann" in str(e.changes) for e in entries)


def test_tags_must_belong_to_the_partnership(case_study, cast, key_area):
    from compact.processes.models import KeyArea

    from ..factories import PartnershipFactory, ProcessFactory

    elsewhere = KeyArea.objects.create(process=ProcessFactory(partnership=PartnershipFactory()), title="X", position=1)
    with pytest.raises(ValidationError) as error:
        services.case_study_update(case_study=case_study, actor=cast["author"], key_areas=[key_area, elsewhere])
    assert "key_areas" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.case_study_update(case_study=case_study, actor=cast["author"], clinical_areas=["adult_gout"])
    assert "clinical_areas" in error.value.message_dict


def test_period_must_be_in_order(case_study, cast):
    import datetime as dt

    with pytest.raises(ValidationError) as error:
        services.case_study_update(
            case_study=case_study,
            actor=cast["author"],
            period_start=dt.date(2025, 6, 1),
            period_end=dt.date(2025, 1, 1),
        )
    assert "period_end" in error.value.message_dict


def test_only_an_editor_links_a_contact_to_an_account(case_study, cast):
    with pytest.raises(ValidationError) as error:
        services.contact_add(
            case_study=case_study, actor=cast["author"], name="Sam", email=cast["outsider"].email, user=cast["outsider"]
        )
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.contact_add(
            case_study=case_study, actor=cast["convenor"], name="Sam", email="other@x.org", user=cast["outsider"]
        )
    assert "user" in error.value.message_dict


def test_sections_from_the_fixture_are_kept(case_study):
    assert {k: getattr(case_study, k) for k in SECTIONS} == SECTIONS


def test_removing_an_organisation_or_a_file_is_audited(case_study, cast):
    media = services.media_add(
        case_study=case_study, actor=cast["author"], file=png_upload("team.png"), alt_text="Team", credit="Us"
    )
    services.media_remove(media=media, actor=cast["author"])
    services.featured_organisation_remove(featured=case_study.featured, actor=cast["author"])
    assert not case_study.media.exists() and not case_study.featured_organisations.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"casestudy.media_remove", "casestudy.organisation_remove"} <= actions
    with pytest.raises(PermissionDenied):
        services.featured_organisation_add(
            case_study=case_study, actor=cast["member"], organisation=case_study.featured.organisation
        )
