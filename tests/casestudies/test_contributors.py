"""Contributors without an account: an invite link used once, before it expires."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compact.casestudies import services
from compact.casestudies.models import CaseStudy, Contributor, Status
from compact.core.tokens import token_hash

pytestmark = pytest.mark.django_db


def invite(partnership, actor):
    return services.contributor_invite(
        partnership=partnership, actor=actor, name=" Sam Guest ", email="Sam@Example.org"
    )


def test_only_editors_invite(partnership, cast):
    for role in ("author", "member", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            invite(partnership, cast[role])


def test_only_the_hash_is_stored_and_the_link_works_once(partnership, cast):
    contributor, token = invite(partnership, cast["facilitator"])
    assert token not in contributor.token_hash and contributor.token_hash == token_hash(token)
    assert (contributor.name, contributor.email) == ("Sam Guest", "sam@example.org")
    cs = services.contributor_redeem(token=token, title="Our lunch club")
    assert (cs.contributor, cs.created_by, cs.status) == (contributor, None, Status.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.contributor_redeem(token=token, title="Again")
    assert "token" in error.value.message_dict
    assert cs.partnership.case_studies.count() == 1


def test_expired_or_unknown_links_do_nothing(partnership, cast):
    contributor, token = invite(partnership, cast["convenor"])
    Contributor.objects.filter(pk=contributor.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for bad in (token, "nonsense", ""):
        with pytest.raises(ValidationError):
            services.contributor_redeem(token=bad, title="Story")


def test_a_contributor_writes_and_submits_their_draft(partnership, cast):
    contributor, token = invite(partnership, cast["convenor"])
    cs = services.contributor_redeem(token=token, title="Lunch club")
    sections = dict(summary="S", challenge="C", solution="So", what_we_did="W", impact="I")
    services.case_study_update(case_study=cs, contributor=contributor, **sections)
    submitted = services.case_study_submit(case_study=cs, contributor=contributor)
    assert submitted.status == Status.SUBMITTED
    assert services.case_study_submit(case_study=cs, contributor=contributor).status == Status.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.case_study_update(case_study=cs, contributor=contributor, impact="Changed after submitting")


def test_a_bad_title_keeps_the_link_usable(partnership, cast):
    _, token = invite(partnership, cast["convenor"])
    with pytest.raises(ValidationError) as error:
        services.contributor_redeem(token=token, title="   ")
    assert "title" in error.value.message_dict
    assert services.contributor_redeem(token=token, title="Fine").title == "Fine"


def test_another_contributor_cannot_submit_or_edit(partnership, cast):
    _, token = invite(partnership, cast["convenor"])
    cs = services.contributor_redeem(token=token, title="Lunch club")
    stranger, _ = services.contributor_invite(
        partnership=partnership, actor=cast["convenor"], name="Other", email="other@example.org"
    )
    with pytest.raises(PermissionDenied):
        services.case_study_update(case_study=cs, contributor=stranger, impact="Not mine")
    CaseStudy.objects.filter(pk=cs.pk).update(status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.case_study_submit(case_study=cs, contributor=stranger)
    with pytest.raises(PermissionDenied):
        services.case_study_update(case_study=cs, actor=None)
