"""Every write to proposals, votes and outcomes."""

from .outcomes import outcome_record, proposal_close
from .proposals import proposal_create, proposal_withdraw
from .votes import vote_cast, vote_withdraw

__all__ = [
    "outcome_record", "proposal_close", "proposal_create", "proposal_withdraw", "vote_cast", "vote_withdraw",
]  # fmt: skip
