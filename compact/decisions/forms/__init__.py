"""Decision forms: proposals and outcomes (proposals.py), ballots (ballots.py), meetings (meetings.py)."""

from .ballots import ballot_form_for
from .proposals import DecisionLogFilterForm, OutcomeForm, ProposalForm, proposal_initial

__all__ = ["DecisionLogFilterForm", "OutcomeForm", "ProposalForm", "ballot_form_for", "proposal_initial"]
