"""Helpers the case study services share: text cleaning, locking, permission for authors with
or without an account, and the audit entry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.services import audit_record
from compact.core.services import require_perm
from compact.core.validators import no_control_characters, single_line

from ..models import CaseStudy
from ..rules import contributor_may_edit

UNSET = object()
EDIT_REFUSED = "You cannot change this case study now: authors edit drafts, editors edit until it is published."


def clean_text(value, field: str, errors: dict, *, one_line: bool = False) -> str:
    """Strip surrounding whitespace and refuse control characters (line breaks too, for one-line
    fields). The error goes under the field's key; lengths are checked by full_clean."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    try:
        (single_line if one_line else no_control_characters)(text)
    except ValidationError as error:
        errors.setdefault(field, error.messages[0])
    return text


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


def full_clean_into(instance, errors: dict, whole: str = "name") -> None:
    """Run the model's checks on the fields without an error yet, add theirs (one message per
    field; errors about several fields go under `whole`), and raise if there are any."""
    try:
        instance.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field if field != "__all__" else whole, messages[0])
    raise_if(errors)


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def record(case_study: CaseStudy, actor, action: str, changes: dict | None = None, obj=None) -> None:
    """Audit entry for a case study change. `changes` holds states, field names, uses and the
    names already on the record, never the case study's text."""
    audit_record(
        actor=actor, action=action, obj=obj or case_study, partnership_id=case_study.partnership_id, changes=changes
    )
