"""Who may do what with a case study, and in which state.

Editors are the partnership's convenors and facilitators. The author is the member who created
it (a contributor without an account is checked by `contributor_may_edit`, not by a user
permission). Contacts of a featured organisation who have an account may view the case study
and give or withdraw that organisation's consent. Everyone, signed in or not, may view a case
study published on the public web (the public page shows only the published version)."""

import rules

from compact.partnerships.models import Partnership
from compact.partnerships.rules import is_organiser, is_participant, is_partnership_member

from .models import CaseStudy, Contact, Status

AUTHOR_EDITS = {Status.DRAFT, Status.CHANGES_REQUESTED}
EDITOR_EDITS = {
    Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.CONSENT_PENDING,
    Status.APPROVED,
}  # fmt: skip
ANONYMISE_STATES = {Status.IN_REVIEW, Status.CONSENT_PENDING, Status.APPROVED, Status.PUBLISHED}


def in_status(*states: str):
    allowed = frozenset(states)

    @rules.predicate(name=f"in_status({'|'.join(states)})")
    def predicate(user, case_study) -> bool:
        return isinstance(case_study, CaseStudy) and case_study.status in allowed

    return predicate


@rules.predicate
def is_author(user, case_study) -> bool:
    return (
        isinstance(case_study, CaseStudy)
        and getattr(user, "is_authenticated", False)
        and case_study.created_by_id == user.pk
        and is_partnership_member.test(user, case_study)
    )


@rules.predicate
def is_featured_contact(user, case_study) -> bool:
    """A contact with an account for one of the organisations the case study features."""
    if not isinstance(case_study, CaseStudy) or not getattr(user, "is_authenticated", False):
        return False
    return Contact.objects.filter(
        case_study=case_study,
        user=user,
        organisation__in=case_study.featured_organisations.values("organisation"),
    ).exists()


@rules.predicate
def on_public_web(user, case_study) -> bool:
    return isinstance(case_study, CaseStudy) and case_study.status == Status.PUBLISHED and case_study.published_web


@rules.predicate
def is_partnership(user, obj) -> bool:
    return isinstance(obj, Partnership)


is_editor = is_organiser
is_published = in_status(Status.PUBLISHED)
not_withdrawn = ~in_status(Status.WITHDRAWN)

rules.add_perm("casestudies.add_casestudy", is_partnership & is_participant)
rules.add_perm("casestudies.invite_contributor", is_partnership & is_editor)
rules.add_perm("casestudies.manage_tags", is_partnership & is_editor)
rules.add_perm(
    "casestudies.view_casestudy",
    is_editor | is_author | is_featured_contact | (is_partnership_member & is_published) | on_public_web,
)
rules.add_perm(
    "casestudies.change_casestudy",
    (is_editor & in_status(*EDITOR_EDITS)) | (is_author & in_status(*AUTHOR_EDITS)),
)
rules.add_perm("casestudies.submit_casestudy", (is_editor | is_author) & in_status(*AUTHOR_EDITS))
rules.add_perm("casestudies.start_review", is_editor & in_status(Status.SUBMITTED))
rules.add_perm("casestudies.review_casestudy", is_editor & in_status(Status.IN_REVIEW))
rules.add_perm("casestudies.approve_casestudy", is_editor & in_status(Status.CONSENT_PENDING))
rules.add_perm("casestudies.publish_casestudy", is_editor & in_status(Status.APPROVED, Status.PUBLISHED))
rules.add_perm("casestudies.unpublish_casestudy", is_editor & is_published)
rules.add_perm("casestudies.withdraw_casestudy", (is_editor | is_author) & not_withdrawn)
rules.add_perm("casestudies.anonymise_casestudy", is_editor & in_status(*ANONYMISE_STATES))
rules.add_perm("casestudies.record_consent", (is_editor | is_featured_contact) & not_withdrawn)


def contributor_may_edit(contributor, case_study: CaseStudy) -> bool:
    """A contributor invited by link (no account) edits and submits their own case study while
    it is a draft or has changes requested, like an author."""
    return (
        contributor is not None
        and case_study.contributor_id == contributor.pk
        and contributor.partnership_id == case_study.partnership_id
        and case_study.status in AUTHOR_EDITS
    )
