"""Who may do what to a case study in each state.

Y = allowed, . = refused. Columns: draft, submitted, in review, changes requested, consent
pending, approved, published (on the web and in the document), withdrawn. "author" is the member
who created it; "contact" has an account and is the contact for a featured organisation (not a
member of the partnership); "outsider" is signed in but not a member; "anonymous" is not signed in."""

import pytest

from compact.casestudies.models import Status, Version
from compact.casestudies.rules import contributor_may_edit
from compact.casestudies.services import contributor_invite, contributor_redeem

from .conftest import ALL_STATES, put_in

pytestmark = pytest.mark.django_db

ROLES = ["convenor", "facilitator", "author", "member", "observer", "contact", "outsider", "anonymous"]
EDITORS = {"convenor", "facilitator"}

# fmt: off
EXPECTED = {
    #                                 dr sb rv cr cp ap pb wd
    "casestudies.view_casestudy": {
        "editor": "Y Y Y Y Y Y Y Y", "author": "Y Y Y Y Y Y Y Y", "contact": "Y Y Y Y Y Y Y Y",
        "member": ". . . . . . Y .", "observer": ". . . . . . Y .", "outsider": ". . . . . . Y .",
        "anonymous": ". . . . . . Y .",
    },
    "casestudies.change_casestudy": {"editor": "Y Y Y Y Y Y . .", "author": "Y . . Y . . . ."},
    "casestudies.submit_casestudy": {"editor": "Y . . Y . . . .", "author": "Y . . Y . . . ."},
    "casestudies.start_review":     {"editor": ". Y . . . . . ."},
    "casestudies.review_casestudy": {"editor": ". . Y . . . . ."},
    "casestudies.approve_casestudy": {"editor": ". . . . Y . . ."},
    "casestudies.publish_casestudy": {"editor": ". . . . . Y Y ."},
    "casestudies.unpublish_casestudy": {"editor": ". . . . . . Y ."},
    "casestudies.withdraw_casestudy": {"editor": "Y Y Y Y Y Y Y .", "author": "Y Y Y Y Y Y Y ."},
    "casestudies.anonymise_casestudy": {"editor": ". . Y . Y Y Y ."},
    "casestudies.record_consent": {"editor": "Y Y Y Y Y Y Y .", "contact": "Y Y Y Y Y Y Y ."},
}
NOBODY = ". . . . . . . ."
# fmt: on


def expected(perm: str, role: str, column: int) -> bool:
    grid = EXPECTED[perm]
    row = grid.get("editor" if role in EDITORS else role, NOBODY)
    return row.split()[column] == "Y"


def test_the_grid_names_every_state():
    assert ALL_STATES == [
        "draft", "submitted", "in_review", "changes_requested", "consent_pending", "approved", "published", "withdrawn",
    ]  # fmt: skip


def test_matrix(case_study, cast):
    for column, state in enumerate(ALL_STATES):
        current = put_in(case_study, state)
        for perm in EXPECTED:
            for role in ROLES:
                assert cast[role].has_perm(perm, current) == expected(perm, role, column), (perm, role, state)


def test_published_only_in_the_document_is_not_public(case_study, cast):
    current = put_in(case_study, Status.PUBLISHED)
    type(current).objects.filter(pk=current.pk).update(published_web=False, published_version=Version.NAMED)
    current.refresh_from_db()
    assert not cast["anonymous"].has_perm("casestudies.view_casestudy", current)
    assert not cast["outsider"].has_perm("casestudies.view_casestudy", current)
    assert cast["member"].has_perm("casestudies.view_casestudy", current)


def test_starting_a_case_study_and_managing_tags(partnership, cast):
    for role in ROLES:
        may_add = role in EDITORS | {"author", "member"}
        assert cast[role].has_perm("casestudies.add_casestudy", partnership) == may_add, role
        assert cast[role].has_perm("casestudies.invite_contributor", partnership) == (role in EDITORS), role
        assert cast[role].has_perm("casestudies.manage_tags", partnership) == (role in EDITORS), role


def test_an_author_who_leaves_the_partnership_loses_author_rights(case_study, cast):
    author = cast["author"]
    author.memberships.all().delete()
    author.__dict__.pop("_compact_roles", None)
    assert not author.has_perm("casestudies.change_casestudy", case_study)


def test_a_contact_of_an_organisation_no_longer_featured_loses_access(case_study, cast):
    case_study.featured_organisations.all().delete()
    assert not cast["contact"].has_perm("casestudies.view_casestudy", case_study)
    assert not cast["contact"].has_perm("casestudies.record_consent", case_study)


def test_contributor_edits_only_their_own_case_study_while_a_draft(partnership, cast):
    _, token = contributor_invite(partnership=partnership, actor=cast["convenor"], name="Guest", email="g@example.org")
    own = contributor_redeem(token=token, title="Our story")
    for column, state in enumerate(ALL_STATES):
        current = put_in(own, state)
        assert contributor_may_edit(own.contributor, current) == (state in ("draft", "changes_requested")), state
    _, other_token = contributor_invite(partnership=partnership, actor=cast["convenor"], name="Other", email="o@x.org")
    other = contributor_redeem(token=other_token, title="Another story")
    assert not contributor_may_edit(other.contributor, put_in(own, "draft"))
