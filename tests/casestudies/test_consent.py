"""Consent: what publication needs, expiry, withdrawal (unpublished everywhere, editors told)
and anonymised publication."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compact.activity.models import AuditEntry
from compact.casestudies import consent as consent_rules
from compact.casestudies import services
from compact.casestudies.models import CaseStudy, Consent, Status, Use, Version

from .conftest import ANONYMISED, give_all_consents, put_in, to_approved

pytestmark = pytest.mark.django_db


def publish(cs, editor, uses=(Use.WEB,), version=Version.NAMED):
    return services.case_study_publish(case_study=cs, actor=editor, uses=set(uses), version=version)


def test_named_publication_needs_every_consent(case_study, cast):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor, consents=False)  # approved on the strength of its anonymised version
    with pytest.raises(ValidationError) as error:
        publish(cs, editor)
    messages = error.value.message_dict["consent"]
    assert any("Lewisham Mind" in m for m in messages) and any("Priya Patel" in m for m in messages)
    services.consent_give(
        case_study=cs, actor=editor, featured_organisation=cs.featured, given_by="Cara Contact", uses={Use.WEB}
    )
    with pytest.raises(ValidationError) as error:  # the person's consent is still missing
        publish(cs, editor)
    assert error.value.message_dict["consent"] == ["No consent has been recorded from Priya Patel"]
    services.consent_give(case_study=cs, actor=editor, person=cs.person, given_by="Priya Patel", uses={Use.WEB})
    assert publish(cs, editor).status == Status.PUBLISHED


def test_consent_must_cover_each_use_published(case_study, cast):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor, consents=False)
    give_all_consents(cs, editor, uses={Use.INTERNAL, Use.DOCUMENT})
    with pytest.raises(ValidationError) as error:
        publish(cs, editor, uses={Use.WEB, Use.DOCUMENT})
    assert "does not cover this use" in error.value.message_dict["consent"][0]
    assert publish(cs, editor, uses={Use.DOCUMENT}).published_uses == {Use.DOCUMENT}


def test_expired_consent_does_not_count(case_study, cast):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor, consents=False)
    give_all_consents(cs, editor, expires_on=timezone.localdate())
    Consent.objects.filter(case_study=cs).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        publish(cs, editor)
    assert "has expired" in error.value.message_dict["consent"][0]


def test_the_expiry_sweep_unpublishes_and_tells_editors(case_study, cast, django_capture_on_commit_callbacks):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor)
    Consent.objects.filter(case_study=cs).update(expires_on=timezone.localdate() + dt.timedelta(days=3))
    publish(cs, editor)
    assert services.consents_expire() == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.consents_expire(today=timezone.localdate() + dt.timedelta(days=4)) == 1
    cs.refresh_from_db()
    assert (cs.status, cs.published_web) == (Status.CONSENT_PENDING, False)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast["convenor"].email, cast["facilitator"].email])


def test_withdrawal_unpublishes_everywhere_and_emails_the_editors(case_study, cast, django_capture_on_commit_callbacks):
    editor = cast["facilitator"]
    cs = to_approved(case_study, editor)
    publish(cs, editor, uses={Use.WEB, Use.DOCUMENT})
    organisation_consent = Consent.objects.get(case_study=cs, featured_organisation=cs.featured, withdrawn_at=None)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(consent=organisation_consent, actor=cast["contact"])
    cs = CaseStudy.objects.get(pk=cs.pk)
    assert (cs.status, cs.published_web, cs.published_document, cs.published_version) == (
        Status.CONSENT_PENDING, False, False, "",
    )  # fmt: skip
    editors = {cast["convenor"].email, cast["facilitator"].email}
    assert {m.to[0] for m in mail.outbox} == editors and len(mail.outbox) == 2
    assert "Lewisham Mind" in mail.outbox[0].body and "taken down" in mail.outbox[0].body
    assert not cast["anonymous"].has_perm("casestudies.view_casestudy", cs)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"casestudy.consent_withdraw", "casestudy.consent_lapsed"} <= actions


def test_withdrawal_before_publication_still_tells_editors(case_study, cast, django_capture_on_commit_callbacks):
    editor = cast["convenor"]
    consents = give_all_consents(case_study, editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(consent=consents[1], actor=editor)
    assert len(mail.outbox) == 2 and "taken down" not in mail.outbox[0].body
    assert CaseStudy.objects.get(pk=case_study.pk).status == Status.DRAFT


def test_anonymised_publication_needs_no_named_consent(case_study, cast):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor, consents=False)
    published = publish(cs, editor, version=Version.ANONYMISED)
    assert (published.status, published.published_version) == (Status.PUBLISHED, Version.ANONYMISED)


def test_anonymised_version_must_not_name_anyone_without_consent(case_study, cast):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor, consents=False)
    services.case_study_anonymise(case_study=cs, actor=editor, anonymised_impact="Priya Patel said it worked.")
    with pytest.raises(ValidationError) as error:
        publish(cs, editor, version=Version.ANONYMISED)
    assert "Priya Patel" in error.value.message_dict["anonymised_impact"][0]
    services.case_study_anonymise(case_study=cs, actor=editor, anonymised_impact="")
    with pytest.raises(ValidationError) as error:
        publish(cs, editor, version=Version.ANONYMISED)
    assert "anonymised_impact" in error.value.message_dict


def test_withdrawn_organisation_consent_never_shows_its_name(case_study, cast, django_capture_on_commit_callbacks):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor)
    services.case_study_anonymise(case_study=cs, actor=editor, anonymised_solution="Lewisham Mind ran the service.")
    publish(cs, editor, version=Version.ANONYMISED)  # the organisation has consented: its name may show
    organisation_consent = Consent.objects.get(case_study=cs, featured_organisation=cs.featured, withdrawn_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(consent=organisation_consent, actor=editor)
    cs.refresh_from_db()
    assert cs.status == Status.CONSENT_PENDING  # its name was showing: taken down
    with pytest.raises(ValidationError):  # nor can it be approved again while the name shows
        services.case_study_approve(case_study=cs, actor=editor)
    forced = put_in(cs, Status.APPROVED)  # and even if it were approved, it could not be published
    with pytest.raises(ValidationError) as error:
        publish(forced, editor, version=Version.ANONYMISED)
    assert "Lewisham Mind" in error.value.message_dict["anonymised_solution"][0]
    put_in(cs, Status.CONSENT_PENDING)
    services.case_study_anonymise(case_study=cs, actor=editor, anonymised_solution=ANONYMISED["anonymised_solution"])
    approved = services.case_study_approve(case_study=cs, actor=editor)
    assert publish(approved, editor, version=Version.ANONYMISED).status == Status.PUBLISHED


def test_anonymised_publication_survives_a_withdrawal_that_does_not_affect_it(
    case_study, cast, django_capture_on_commit_callbacks
):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor)
    publish(cs, editor, version=Version.ANONYMISED)
    person_consent = Consent.objects.get(case_study=cs, person=cs.person, withdrawn_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(consent=person_consent, actor=editor)
    cs.refresh_from_db()
    assert cs.status == Status.PUBLISHED


def test_a_narrower_consent_replaces_the_old_one_and_unpublishes(case_study, cast, django_capture_on_commit_callbacks):
    editor = cast["convenor"]
    cs = to_approved(case_study, editor)
    publish(cs, editor, uses={Use.WEB})
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_give(
            case_study=cs, actor=cast["contact"], featured_organisation=cs.featured, given_by="Cara Contact",
            uses={Use.DOCUMENT},
        )  # fmt: skip
    cs.refresh_from_db()
    assert cs.status == Status.CONSENT_PENDING
    assert Consent.objects.filter(featured_organisation=cs.featured).count() == 2
    assert Consent.objects.filter(featured_organisation=cs.featured, replaced_at__isnull=True).count() == 1


def test_a_contact_records_consent_only_for_their_own_organisation(case_study, cast):
    with pytest.raises(PermissionDenied):
        services.consent_give(case_study=case_study, actor=cast["contact"], person=case_study.person, given_by="X",
                              uses={Use.WEB})  # fmt: skip
    for role in ("member", "observer", "outsider", "author"):
        with pytest.raises(PermissionDenied):
            services.consent_give(
                case_study=case_study, actor=cast[role], featured_organisation=case_study.featured, given_by="X",
                uses={Use.WEB},
            )  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"uses": set()}, "uses"),
        ({"uses": {"billboards"}}, "uses"),
        ({"expires_on": dt.date(2000, 1, 1)}, "expires_on"),
        ({"given_at": timezone.now() + dt.timedelta(days=2)}, "given_at"),
        ({"given_by": "  "}, "given_by"),
        ({"given_by": "Line\nbreak"}, "given_by"),
        ({"featured_organisation": None}, "subject"),
    ],
)
def test_bad_consent_is_refused_with_a_field_key(case_study, cast, kwargs, field):
    values = dict(featured_organisation=case_study.featured, given_by="Cara", uses={Use.WEB}) | kwargs
    with pytest.raises(ValidationError) as error:
        services.consent_give(case_study=case_study, actor=cast["convenor"], **values)
    assert field in error.value.message_dict


def test_a_withdrawn_consent_cannot_be_withdrawn_again(case_study, cast):
    consent = give_all_consents(case_study, cast["convenor"])[0]
    services.consent_withdraw(consent=consent, actor=cast["convenor"])
    with pytest.raises(ValidationError):
        services.consent_withdraw(consent=consent, actor=cast["convenor"])
    assert consent_rules.gaps(case_study, {Use.WEB})[0].reason == "withdrawn"


def test_consent_audit_names_only_who_is_on_record(case_study, cast):
    give_all_consents(case_study, cast["convenor"])
    entry = AuditEntry.objects.filter(action="casestudy.consent_give").order_by("pk").first()
    assert entry.changes["subject"] == "Lewisham Mind"
    assert entry.changes["uses"] == ["document", "internal", "web"]


def test_the_daily_command_runs_the_sweep(case_study, cast, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    editor = cast["convenor"]
    cs = to_approved(case_study, editor)
    publish(cs, editor)
    out = StringIO()
    call_command("expire_case_study_consents", stdout=out)
    assert out.getvalue().strip() == "0 case studies went back to consent pending."
    Consent.objects.filter(case_study=cs).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_case_study_consents", stdout=out)
    assert "1 case study went back to consent pending." in out.getvalue()
    cs.refresh_from_db()
    assert cs.status == Status.CONSENT_PENDING and not cs.published_web
