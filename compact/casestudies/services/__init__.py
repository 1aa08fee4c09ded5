"""Every write to case studies: text and tags, featured people and organisations, media, the
review workflow, consent, and contributors invited by link."""

from .casestudies import case_study_anonymise, case_study_create, case_study_update, plus_group_create
from .consents import consent_give, consent_withdraw, consents_expire
from .content import (
    contact_add,
    featured_organisation_add,
    featured_organisation_remove,
    media_add,
    media_describe,
    media_remove,
    person_add,
    quote_add,
)  # fmt: skip
from .contributors import contributor_invite, contributor_redeem
from .workflow import (
    case_study_accept,
    case_study_approve,
    case_study_publish,
    case_study_request_changes,
    case_study_start_review,
    case_study_submit,
    case_study_unpublish,
    case_study_withdraw,
    review_comment_add,
    submission_problems,
)  # fmt: skip

__all__ = [
    "case_study_accept", "case_study_anonymise", "case_study_approve", "case_study_create", "case_study_publish",
    "case_study_request_changes", "case_study_start_review", "case_study_submit", "case_study_unpublish",
    "case_study_update", "case_study_withdraw", "consent_give", "consent_withdraw", "consents_expire", "contact_add",
    "contributor_invite", "contributor_redeem", "featured_organisation_add", "featured_organisation_remove",
    "media_add", "media_describe", "media_remove", "person_add", "plus_group_create", "quote_add",
    "review_comment_add", "submission_problems",
]  # fmt: skip
