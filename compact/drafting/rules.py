"""Who may do what with a document, and in which stage.

Editors are the partnership's convenors and facilitators: they write the text, cut versions,
decide amendments, moderate comments and run consultation rounds. Participants (editors and
members) comment and propose amendments while the stage allows discussion. Observers read.
From sign-off on (stages that allow neither editing nor discussion) the text is frozen.
Responding to a consultation round depends on the round's audience and dates, not on a role:
see consultation.may_respond."""

import rules

from compact.partnerships.rules import is_organiser, is_participant, is_partnership_member
from compact.processes.models import Process
from compact.processes.rules import stage_allows

from . import stages
from .models import Amendment, AmendmentStatus, Document


def _stage(feature: str):
    """The process stage check, for a process, a document or anything that belongs to one."""
    allows = stage_allows(feature)

    @rules.predicate(name=f"document_stage_allows({feature})")
    def predicate(user, obj) -> bool:
        if isinstance(obj, Process):
            return allows.test(user, obj)
        document = obj if isinstance(obj, Document) else getattr(obj, "document", None)
        return document is not None and allows.test(user, document.process)

    return predicate


@rules.predicate
def is_proposer(user, amendment) -> bool:
    return (
        isinstance(amendment, Amendment)
        and getattr(user, "is_authenticated", False)
        and amendment.proposer_id == user.pk
    )


@rules.predicate
def is_open(user, amendment) -> bool:
    return isinstance(amendment, Amendment) and amendment.status == AmendmentStatus.OPEN


can_edit = _stage(stages.EDIT)
can_discuss = _stage(stages.DISCUSS)
can_consult = _stage(stages.CONSULT)

rules.add_perm("drafting.view_document", is_partnership_member)
rules.add_perm("drafting.manage_tags", is_organiser)
rules.add_perm("drafting.add_document", is_organiser & can_edit)
rules.add_perm("drafting.change_document", is_organiser & can_edit)
rules.add_perm("drafting.link_sources", is_organiser & can_edit)
rules.add_perm("drafting.add_comment", is_participant & can_discuss)
rules.add_perm("drafting.report_comment", is_partnership_member)
rules.add_perm("drafting.moderate_comment", is_organiser)
rules.add_perm("drafting.add_amendment", is_participant & can_discuss)
rules.add_perm("drafting.support_amendment", is_participant & can_discuss & is_open & ~is_proposer)
rules.add_perm("drafting.withdraw_amendment", is_proposer & is_open & can_discuss)
rules.add_perm("drafting.decide_amendment", is_organiser & can_edit & is_open)
rules.add_perm("drafting.run_consultation", is_organiser & can_consult)
rules.add_perm("drafting.view_consultation", is_organiser)
rules.add_perm("drafting.record_outcome", is_organiser)
