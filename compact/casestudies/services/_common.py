"""Helpers the case study services share: text cleaning, locking, permission for authors with
or without an account, and the audit entry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from compact.activity.services import audit_record
from compact.core.services import require_perm
from compact.core.validation import clean_text, full_clean_into, raise_if  # noqa: F401  (re-exported)

from ..models import CaseStudy
from ..rules import contributor_may_edit

UNSET = object()
EDIT_REFUSED = "You cannot change this case study now: authors edit drafts, editors edit until it is published."


def lock(case_study: CaseStudy) -> CaseStudy:
    return CaseStudy.objects.select_for_update().select_related("partnership").get(pk=case_study.pk)


def require_edit(case_study: CaseStudy, actor, contributor) -> None:
    if contributor is not None:
        if not contributor_may_edit(contributor, case_study):
            raise PermissionDenied(EDIT_REFUSED)
        return
    if actor is None:
        raise PermissionDenied(EDIT_REFUSED)
    require_perm(actor, "casestudies.change_casestudy", case_study, EDIT_REFUSED)


def record(case_study: CaseStudy, actor, action: str, changes: dict | None = None, obj=None) -> None:
    """Audit entry for a case study change. `changes` holds states, field names, uses and the
    names already on the record, never the case study's text."""
    audit_record(
        actor=actor, action=action, obj=obj or case_study, partnership_id=case_study.partnership_id, changes=changes
    )
