"""Every write to proposals, votes and outcomes."""

from .meetings import (
    agenda_item_add,
    agenda_item_minutes,
    agenda_item_move,
    attendance_record,
    meeting_create,
    meeting_update,
    paper_add,
)  # fmt: skip
from .outcomes import outcome_record, proposal_close
from .proposals import proposal_create, proposal_withdraw
from .votes import vote_cast, vote_withdraw

__all__ = [
    "agenda_item_add", "agenda_item_minutes", "agenda_item_move", "attendance_record", "meeting_create",
    "meeting_update", "paper_add",
    "outcome_record", "proposal_close", "proposal_create", "proposal_withdraw", "vote_cast", "vote_withdraw",
]  # fmt: skip
