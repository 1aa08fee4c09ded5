"""Every write to meetings, proposals, votes and outcomes."""

from .meetings import (
    agenda_item_add,
    agenda_item_minutes,
    agenda_item_move,
    agenda_item_remove,
    attendance_record,
    meeting_create,
    meeting_delete,
    meeting_update,
    paper_add,
    paper_remove,
)  # fmt: skip
from .outcomes import outcome_record, proposal_close
from .proposals import proposal_create, proposal_withdraw
from .votes import vote_cast, vote_withdraw

__all__ = [
    "agenda_item_add", "agenda_item_minutes", "agenda_item_move", "agenda_item_remove", "attendance_record",
    "meeting_create", "meeting_delete", "meeting_update", "paper_add", "paper_remove",
    "outcome_record", "proposal_close", "proposal_create", "proposal_withdraw", "vote_cast", "vote_withdraw",
]  # fmt: skip
