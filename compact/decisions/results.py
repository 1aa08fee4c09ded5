"""The count of a proposal, with its group's rules applied (quorum, decision rule, casting vote).

Callers check `decisions.view_results` first; nothing here decides who may see a result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, is_dataclass
from fractions import Fraction

from compact.partnerships.models import DecisionRule

from . import tally
from .models import Method, Proposal

# Share of the votes (or dots) the winning option needs, by the group's decision rule.
THRESHOLDS = {
    DecisionRule.PLURALITY: None,
    DecisionRule.MAJORITY: (Fraction(1, 2), False),  # more than half
    DecisionRule.TWO_THIRDS: (Fraction(2, 3), True),  # at least two thirds
    DecisionRule.UNANIMOUS: (Fraction(1, 1), True),
}


@dataclass(frozen=True)
class Result:
    method: str
    tally: object  # the tally module's result for the method
    labels: dict[str, str]  # option id -> label
    winner: str | None  # option id, or None (consent, no winner, tie)
    passed: bool
    summary: str  # one plain-English sentence

    def as_record(self) -> dict:
        """A JSON-safe snapshot, stored with the outcome."""
        data = asdict(self.tally) if is_dataclass(self.tally) else {}
        return _jsonable({"method": self.method, "labels": self.labels, "winner": self.winner,
                          "passed": self.passed, "summary": self.summary, "count": data})  # fmt: skip


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Fraction):
        return float(value)
    return value


def _no_quorum(lead: str, voted: int, quorum: int) -> str:
    if voted == 0:
        return f"{lead}: nobody voted."
    return f"{lead}: {voted} of the {quorum} votes needed for a quorum."


def _meets_rule(rule: str, support, total) -> bool:
    threshold = THRESHOLDS.get(rule)
    if threshold is None or not total:
        return bool(total)
    share, inclusive = threshold
    ratio = Fraction(support) / Fraction(total)
    return ratio >= share if inclusive else ratio > share


def proposal_result(proposal: Proposal, *, casting_choice: str | None = None) -> Result:
    # Only the ballots: building a Vote for each of 1,000 ballots doubled the time of a results page.
    ballots = list(proposal.votes.values_list("ballot", flat=True))
    body = proposal.body
    quorum = body.quorum if body else 0
    rule = body.decision_rule if body else DecisionRule.MAJORITY
    casting = casting_choice if (body and body.casting_vote) else None
    labels = {str(o.pk): o.label for o in proposal.options.all()}
    options = list(labels)
    if proposal.method == Method.CONSENT:
        count = tally.tally_consent([tally.ConsentBallot(b["position"]) for b in ballots], quorum=quorum)
        summary = {
            "passed": "Passed: nobody blocked it.",
            "blocked": f"Not passed: {count.unresolved_blocks} block{'s' if count.unresolved_blocks != 1 else ''}.",
            "no quorum": _no_quorum("Not passed", count.voted, quorum),
        }[count.status]
        return Result(proposal.method, count, labels, None, count.passed, summary)
    if proposal.method == Method.POLL:
        count = tally.tally_poll(
            [b["choices"] for b in ballots], options=options, quorum=quorum, casting_choice=casting
        )
        support, total = (count.counts.get(count.winner, 0), count.voted) if count.winner else (0, 0)
    elif proposal.method == Method.DOTS:
        count = tally.tally_dots([b["dots"] for b in ballots], options=options, quorum=quorum, casting_choice=casting)
        support, total = (count.totals.get(count.winner, 0), count.dots_cast) if count.winner else (0, 0)
    elif proposal.method == Method.RANKED:
        count = tally.tally_ranked(
            [b["ranking"] for b in ballots], options=options, quorum=quorum, casting_choice=casting, labels=labels
        )
        support = total = 1 if count.winner else 0  # instant-runoff already needs a majority
        rule = DecisionRule.PLURALITY
    else:
        count = tally.tally_scores(
            [b["scores"] for b in ballots], options=options, quorum=quorum, casting_choice=casting
        )
        support = total = 1 if count.winner else 0  # scores have no share to compare
        rule = DecisionRule.PLURALITY
    return _option_result(proposal, count, labels, rule, support, total, quorum)


def _option_result(proposal, count, labels, rule, support, total, quorum) -> Result:
    if not count.quorum_met:
        return Result(
            proposal.method,
            count,
            labels,
            None,
            False,
            _no_quorum("Not decided", count.voted, quorum),
        )
    if count.winner is None:
        tied = getattr(count, "tied_options", None) or getattr(count, "winners", [])
        if count.tied and tied:
            names = " and ".join(labels.get(o, o) for o in tied)
            return Result(proposal.method, count, labels, None, False, f"Tied between {names}.")
        return Result(proposal.method, count, labels, None, False, "No votes yet.")
    name = labels.get(count.winner, count.winner)
    if not _meets_rule(rule, support, total):
        rule_text = DecisionRule(rule).label.lower()
        return Result(
            proposal.method, count, labels, count.winner, False, f"{name} came first but did not get {rule_text}."
        )
    return Result(proposal.method, count, labels, count.winner, True, f"Chosen: {name}.")
