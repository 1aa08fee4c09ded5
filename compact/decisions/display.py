"""Labels and result rows shown on pages and in exports. Callers check `decisions.view_results`."""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .models import Method, Proposal
from .results import proposal_result

POSITIONS = [("agree", "Agree"), ("abstain", "Abstain"), ("object", "Object"), ("block", "Block")]


def status_label(proposal: Proposal) -> str:
    """'Voting closed' once the closing time has passed, even before anyone closes it by hand."""
    if proposal.status == Proposal.Status.OPEN and proposal.closes_at <= timezone.now():
        return "Voting closed"
    return proposal.get_status_display()


def method_label(proposal: Proposal) -> str:
    return proposal.get_method_display().split(":")[0]


def results_context(proposal: Proposal, result=None) -> dict:
    result = result or proposal_result(proposal)
    count, labels = result.tally, result.labels
    context = {"result": result, "voted": count.voted}
    if proposal.method == Method.CONSENT:
        context["rows"] = [(label, count.counts[key]) for key, label in POSITIONS]
        context["objections"] = selectors.objections_for(proposal)
    elif proposal.method == Method.POLL:
        context["rows"] = [(labels.get(o, o), n) for o, n in count.counts.items()]
    elif proposal.method == Method.DOTS:
        context["rows"] = [(labels.get(o, o), count.totals[o]) for o in count.ranking]
        context["dots_cast"] = count.dots_cast
    elif proposal.method == Method.SCORE:
        context["score_rows"] = [
            (labels.get(o, o), count.scores[o].mean, count.scores[o].count, count.scores[o].distribution)
            for o in count.ranking
        ]
    else:
        context["rounds"] = [
            {
                "number": r.number,
                "rows": [(labels.get(o, o), n) for o, n in r.counts.items()],
                "exhausted": r.exhausted,
                "majority_needed": r.majority_needed,
                "eliminated": [labels.get(o, o) for o in r.eliminated],
                "note": r.note,
            }
            for r in count.rounds
        ]
    return context


def tied_options(proposal: Proposal) -> list[tuple[str, str]]:
    """The options a casting vote may choose between, when the group allows one and the count is tied."""
    if not (proposal.body and proposal.body.casting_vote) or proposal.method == Method.CONSENT:
        return []
    result = proposal_result(proposal)
    count = result.tally
    if not getattr(count, "tied", False):
        return []
    tied = getattr(count, "tied_options", None) or getattr(count, "winners", [])
    return [(o, result.labels.get(o, o)) for o in tied]
