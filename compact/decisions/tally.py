"""Counting the leadership group's votes: consent, simple poll, dot vote, score vote and ranked choice.

Pure Python on plain data that ballots.py has already validated, so it can be tested and benchmarked
without a database. Every result is the same whatever order the ballots arrive in: counts are sums,
and anything shown as a list is in the order the options were given (or sorted, ties in that order).

Quorum: a decision needs at least `quorum` ballots, and always at least one -- nothing is decided by
nobody. Results still show the count when quorum is not met; callers check `quorum_met`.

Ties (poll, dot and score votes): every option sharing the top result is in `winners` and `tied` is
True. The chair's casting vote (`casting_choice`) settles the tie only if it is one of the tied options.

Ranked choice (instant-runoff) rules:
1. Each round, every ballot counts for its highest-ranked option still in the count (a "continuing"
   option). A ballot with no continuing option left is "exhausted" and sits out from then on.
2. An option with more than half of the continuing (non-exhausted) ballots wins. If only one option
   is left, it wins.
3. Otherwise the option with the fewest votes is eliminated and its ballots move to their next
   continuing preference. Options nobody ranked first are in the count with 0 votes.
4. If several options tie for fewest, look back at earlier rounds, most recent first: in the latest
   round where their votes differ, the one with fewer votes is eliminated (with three or more, those
   with the fewest stay in the running and we keep looking back until one is left).
5. If they are still tied and eliminating all of them leaves at least one option, they are all
   eliminated together.
6. If the only options left are tied (for example the final two), the count ends in a tie. If the
   chair's casting vote is for one of them, it wins; otherwise there is no winner.
With no ballots there is a single round and no winner.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

POSITIONS = ("agree", "abstain", "object", "block")
SCORES = range(6)


def quorum_met(*, voted: int, quorum: int) -> bool:
    # A quorum of 0 still needs one ballot: an empty vote must never "pass".
    return voted >= max(quorum, 1)


def _settle(winners: list[str], casting_choice: str | None) -> tuple[str | None, bool, bool]:
    """(winner, tied, decided_by_casting_vote) for the options sharing the top result."""
    if len(winners) == 1:
        return winners[0], False, False
    if len(winners) > 1 and casting_choice in winners:
        return casting_choice, True, True
    return None, len(winners) > 1, False


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _votes(n: int) -> str:
    return f"{n} vote" if n == 1 else f"{n} votes"


# Consent --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentBallot:
    position: str
    block_resolved: bool = False


@dataclass(frozen=True)
class ConsentResult:
    counts: dict[str, int]  # all four positions, always present
    voted: int
    unresolved_blocks: int
    quorum_met: bool
    passed: bool
    status: str  # "passed", "blocked" or "no quorum"


def tally_consent(ballots: Iterable[ConsentBallot], *, quorum: int = 0) -> ConsentResult:
    counts = dict.fromkeys(POSITIONS, 0)
    unresolved = 0
    for ballot in ballots:
        counts[ballot.position] += 1
        # A block the group has worked through (e.g. by amending the proposal) no longer stops it.
        unresolved += ballot.position == "block" and not ballot.block_resolved
    voted = sum(counts.values())
    met = quorum_met(voted=voted, quorum=quorum)
    status = "no quorum" if not met else "blocked" if unresolved else "passed"
    return ConsentResult(counts, voted, unresolved, met, status == "passed", status)


# Simple poll and dot vote -------------------------------------------------------------------


@dataclass(frozen=True)
class PollResult:
    counts: dict[str, int]  # every option, in option order
    voted: int
    winners: list[str]
    tied: bool
    winner: str | None
    decided_by_casting_vote: bool
    quorum_met: bool


def _top(totals: dict[str, int] | dict[str, Fraction], eligible: list[str]) -> list[str]:
    best = max((totals[o] for o in eligible), default=None)
    return [o for o in eligible if totals[o] == best]


def tally_poll(
    ballots: Iterable[frozenset[str] | set[str] | list[str]],
    *,
    options: list[str],
    quorum: int = 0,
    casting_choice: str | None = None,
) -> PollResult:
    counts = dict.fromkeys(options, 0)
    voted = 0
    for ballot in ballots:
        voted += 1
        for choice in {ballot} if isinstance(ballot, str) else set(ballot):
            if choice in counts:  # a withdrawn option simply stops counting
                counts[choice] += 1
    winners = _top(counts, [o for o in options if counts[o]])
    winner, tied, casting = _settle(winners, casting_choice)
    return PollResult(counts, voted, winners, tied, winner, casting, quorum_met(voted=voted, quorum=quorum))


@dataclass(frozen=True)
class DotResult:
    totals: dict[str, int]  # every option, in option order
    ranking: list[str]  # by total, highest first; equal totals in option order (display only)
    winners: list[str]
    tied: bool
    winner: str | None
    decided_by_casting_vote: bool
    voted: int
    dots_cast: int
    quorum_met: bool


def tally_dots(
    ballots: Iterable[dict[str, int]],
    *,
    options: list[str],
    quorum: int = 0,
    casting_choice: str | None = None,
) -> DotResult:
    totals = dict.fromkeys(options, 0)
    voted = 0
    for allocation in ballots:
        voted += 1
        for option, dots in allocation.items():
            if option in totals:
                totals[option] += dots
    ranking = sorted(options, key=lambda o: -totals[o])  # a stable sort keeps ties in option order
    winners = _top(totals, [o for o in options if totals[o]])
    winner, tied, casting = _settle(winners, casting_choice)
    met = quorum_met(voted=voted, quorum=quorum)
    return DotResult(totals, ranking, winners, tied, winner, casting, voted, sum(totals.values()), met)


# Score vote ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionScore:
    mean: float  # rounded to 2 dp for display; compare with exact_mean
    count: int
    distribution: list[int]  # how many people gave 0, 1, 2, 3, 4, 5
    exact_mean: Fraction


@dataclass(frozen=True)
class ScoreResult:
    scores: dict[str, OptionScore]  # every option, in option order
    ranking: list[str]  # by mean, highest first; equal means in option order
    winners: list[str]
    tied: bool
    winner: str | None
    decided_by_casting_vote: bool
    voted: int
    quorum_met: bool


def tally_scores(
    ballots: Iterable[dict[str, int]],
    *,
    options: list[str],
    quorum: int = 0,
    casting_choice: str | None = None,
) -> ScoreResult:
    distributions = {o: [0] * len(SCORES) for o in options}
    voted = 0
    for ballot in ballots:
        voted += 1
        for option, score in ballot.items():
            if option in distributions and score in SCORES:
                distributions[option][score] += 1
    scores: dict[str, OptionScore] = {}
    for option, dist in distributions.items():
        count = sum(dist)
        # Fractions, not floats, so that 7/3 and 14/6 tie exactly.
        exact = Fraction(sum(s * n for s, n in zip(SCORES, dist, strict=True)), count) if count else Fraction(0)
        scores[option] = OptionScore(round(float(exact), 2), count, dist, exact)
    means = {o: s.exact_mean for o, s in scores.items()}
    ranking = sorted(options, key=lambda o: -means[o])  # a stable sort keeps ties in option order
    winners = _top(means, [o for o in options if scores[o].count])
    winner, tied, casting = _settle(winners, casting_choice)
    return ScoreResult(scores, ranking, winners, tied, winner, casting, voted, quorum_met(voted=voted, quorum=quorum))


# Ranked choice (instant-runoff) -------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    number: int
    counts: dict[str, int]  # continuing options -> votes, in option order
    exhausted: int  # ballots with no continuing preference left
    continuing_ballots: int
    majority_needed: int  # more than half of the continuing ballots
    eliminated: list[str]  # empty in the final round
    note: str


@dataclass(frozen=True)
class RankedResult:
    rounds: list[Round]
    winner: str | None
    tied: bool  # the count ended in a tie it could not break (even if a casting vote then decided it)
    tied_options: list[str]
    decided_by_casting_vote: bool
    voted: int
    quorum_met: bool
    majority_needed: int  # in the final round


def _clean(prefs: tuple[str, ...], known: frozenset[str]) -> tuple[str, ...]:
    """Drop unknown (e.g. withdrawn) options and repeats, keeping the first mention."""
    distinct = set(prefs)
    if len(distinct) == len(prefs) and distinct <= known:  # the usual, already-valid case: fast
        return prefs
    return tuple(dict.fromkeys(p for p in prefs if p in known))


def _choose(
    tied: list[str], low: int, history: list[dict[str, int]], continuing: list[str], name=str
) -> tuple[list[str], str]:
    """Who to eliminate from the options tied on the fewest votes, and why. Empty list: final tie.
    `name` turns an option into the words the note uses (its label)."""

    def names(opts):
        return _join([name(o) for o in opts])

    if len(tied) == 1:
        return tied, f"{name(tied[0])} had the fewest votes ({low}), so it was eliminated."
    head = f"{names(tied)} tied on {_votes(low)}"
    still, decided_in, rivals = tied, 0, tied
    for number in range(len(history), 0, -1):  # most recent earlier round first
        past = history[number - 1]
        fewest = min(past[o] for o in still)
        narrowed = [o for o in still if past[o] == fewest]
        if len(narrowed) < len(still):
            rivals, still, decided_in = [o for o in still if o not in narrowed], narrowed, number
            if len(still) == 1:
                why = f"{name(still[0])} had fewer votes than {names(rivals)} in round {decided_in}"
                return still, f"{head}; {why}, so it was eliminated."
    level = " and no earlier round separates them" if history else " and there is no earlier round to separate them"
    if len(still) == len(continuing):
        return [], f"{head}{level}, so the count ends in a tie."
    why = level if still == tied else f"; earlier rounds leave {names(still)} level"
    return still, f"{head}{why}, so they were {'both' if len(still) == 2 else 'all'} eliminated together."


def tally_ranked(
    ballots: Iterable[Sequence[str]],
    *,
    options: list[str],
    quorum: int = 0,
    casting_choice: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> RankedResult:
    """`labels` (option -> label) only changes the wording of the round notes."""
    name = (lambda o: labels.get(o, o)) if labels else str  # noqa: E731 - a one-line lookup
    # Identical ballots are counted once with a weight: big electorates have few distinct rankings.
    raw = Counter((b,) if isinstance(b, str) else tuple(b) for b in ballots)
    voted = sum(raw.values())
    names = frozenset(options)
    # Two groups may clean to the same ranking; that is harmless, as counts are sums.
    keys, weights = [_clean(prefs, names) for prefs in raw], list(raw.values())
    # Each group sits in the bucket of the option it currently counts for; eliminating an option only
    # moves that option's groups, so the whole count is linear in the total length of the ballots.
    position = [0] * len(keys)
    bucket: dict[str, list[int]] = {o: [] for o in options}
    exhausted = 0
    for i, prefs in enumerate(keys):
        if prefs:
            bucket[prefs[0]].append(i)
        else:
            exhausted += weights[i]
    counts = {o: sum(weights[i] for i in bucket[o]) for o in options}

    continuing = list(options)
    rounds: list[Round] = []
    history: list[dict[str, int]] = []
    winner: str | None = None
    tied_options: list[str] = []
    casting = False
    while True:
        snapshot = {o: counts[o] for o in continuing}
        live = voted - exhausted
        needed = live // 2 + 1
        eliminated: list[str] = []
        leader = max(continuing, key=snapshot.__getitem__) if continuing else None  # first in option order
        if live == 0:
            note = "No votes were cast." if voted == 0 else "No ballot ranks an option still in the count."
        elif len(continuing) == 1:
            winner, note = leader, f"{name(leader)} is the only option left, so it wins."
        elif 2 * snapshot[leader] > live:
            winner, note = leader, f"{name(leader)} has {snapshot[leader]} of {live} votes, more than half, so it wins."
        else:
            low = min(snapshot.values())
            eliminated, note = _choose([o for o in continuing if snapshot[o] == low], low, history, continuing, name)
            if not eliminated:
                tied_options = list(continuing)
                if casting_choice in tied_options:
                    winner, casting = casting_choice, True
                    note += f" It was decided by the chair's casting vote for {name(winner)}."
                else:
                    note += " There is no winner."
        rounds.append(Round(len(rounds) + 1, snapshot, exhausted, live, needed, eliminated, note))
        if not eliminated:
            break
        history.append(snapshot)
        out = set(eliminated)
        continuing = [o for o in continuing if o not in out]
        alive = set(continuing)
        for option in eliminated:
            for i in bucket.pop(option):
                prefs, p = keys[i], position[i] + 1
                while p < len(prefs) and prefs[p] not in alive:
                    p += 1
                if p < len(prefs):
                    position[i] = p
                    bucket[prefs[p]].append(i)
                    counts[prefs[p]] += weights[i]
                else:
                    exhausted += weights[i]
            del counts[option]
    met = quorum_met(voted=voted, quorum=quorum)
    return RankedResult(
        rounds, winner, bool(tied_options), tied_options, casting, voted, met, rounds[-1].majority_needed
    )
