"""Counting: hand-worked examples for every method, and properties that hold for any set of ballots."""

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from compact.decisions.tally import (
    ConsentBallot,
    quorum_met,
    tally_consent,
    tally_dots,
    tally_poll,
    tally_ranked,
    tally_scores,
)

BOROUGHS = ["Bexley", "Bromley", "Greenwich", "Lambeth", "Lewisham", "Southwark"]
PROPERTY = settings(max_examples=100, deadline=None, database=None)


def _ballots(spec):
    """[(count, ballot), ...] -> a flat list, so examples read like a results table."""
    return [ballot for count, ballot in spec for _ in range(count)]


def _shuffled(ballots, seed):
    copy = list(ballots)
    random.Random(seed).shuffle(copy)
    return copy


# Quorum ---------------------------------------------------------------------------------------


def test_quorum_needs_at_least_the_quorum_and_always_one_ballot():
    assert quorum_met(voted=5, quorum=5) and quorum_met(voted=6, quorum=5)
    assert not quorum_met(voted=4, quorum=5)
    assert quorum_met(voted=1, quorum=0)
    assert not quorum_met(voted=0, quorum=0)


# Consent --------------------------------------------------------------------------------------


def _consent(*positions, resolved=0, quorum=0):
    ballots = [ConsentBallot(p) for p in positions] + [ConsentBallot("block", block_resolved=True)] * resolved
    return tally_consent(ballots, quorum=quorum)


def test_consent_passes_with_agreement_and_abstentions():
    result = _consent("agree", "agree", "abstain", quorum=3)
    assert result.counts == {"agree": 2, "abstain": 1, "object": 0, "block": 0}
    assert (result.voted, result.quorum_met, result.passed, result.status) == (3, True, True, "passed")


def test_consent_objections_do_not_stop_a_decision():
    result = _consent("object", "object", "agree")
    assert result.passed and result.status == "passed" and result.counts["object"] == 2


def test_consent_one_unresolved_block_stops_it():
    result = _consent("agree", "agree", "agree", "block")
    assert (result.unresolved_blocks, result.passed, result.status) == (1, False, "blocked")


def test_consent_a_resolved_block_no_longer_stops_it():
    result = _consent("agree", "agree", resolved=1)
    assert result.counts["block"] == 1 and result.unresolved_blocks == 0
    assert result.passed and result.status == "passed"


def test_consent_without_quorum_does_not_pass_even_if_everyone_agrees():
    result = _consent("agree", "agree", quorum=3)
    assert (result.quorum_met, result.passed, result.status) == (False, False, "no quorum")


def test_consent_no_quorum_is_reported_before_a_block():
    assert _consent("block", quorum=3).status == "no quorum"


def test_consent_with_no_votes_never_passes():
    result = tally_consent([])
    assert result.counts == {"agree": 0, "abstain": 0, "object": 0, "block": 0}
    assert (result.voted, result.passed, result.status) == (0, False, "no quorum")


def test_consent_a_withdrawn_block_is_simply_no_longer_counted():
    # Ballots are the latest per voter; withdrawing removes the voter's ballot altogether.
    assert _consent("agree", "agree", "block").status == "blocked"
    assert _consent("agree", "agree").status == "passed"


# Simple poll ----------------------------------------------------------------------------------

VENUES = ["Civic centre", "Library", "Online"]


def test_poll_counts_every_option_in_option_order():
    result = tally_poll(_ballots([(3, {"Library"}), (1, {"Online"})]), options=VENUES)
    assert list(result.counts.items()) == [("Civic centre", 0), ("Library", 3), ("Online", 1)]
    assert (result.voted, result.winners, result.winner, result.tied) == (4, ["Library"], "Library", False)


def test_poll_multiple_choice_counts_each_ballot_once_per_option():
    ballots = [["Library", "Online"], frozenset({"Library"}), {"Online", "Library"}, ["Online", "Online"]]
    result = tally_poll(ballots, options=VENUES)
    assert result.counts == {"Civic centre": 0, "Library": 3, "Online": 3}
    assert result.voted == 4 and result.tied and result.winners == ["Library", "Online"]


def test_poll_tie_without_casting_vote_has_no_winner():
    result = tally_poll([{"Library"}, {"Online"}], options=VENUES)
    assert (result.winners, result.tied, result.winner) == (["Library", "Online"], True, None)


def test_poll_tie_settled_by_the_chairs_casting_vote():
    result = tally_poll([{"Library"}, {"Online"}], options=VENUES, casting_choice="Online")
    assert (result.tied, result.winner, result.decided_by_casting_vote) == (True, "Online", True)


def test_poll_casting_vote_for_an_option_not_in_the_tie_is_ignored():
    result = tally_poll([{"Library"}, {"Online"}], options=VENUES, casting_choice="Civic centre")
    assert (result.winner, result.decided_by_casting_vote) == (None, False)


def test_poll_casting_vote_is_not_needed_without_a_tie():
    result = tally_poll([{"Library"}, {"Library"}, {"Online"}], options=VENUES, casting_choice="Online")
    assert (result.winner, result.decided_by_casting_vote) == ("Library", False)


def test_poll_changed_vote_counts_only_the_ballot_it_is_given():
    latest = {"ann": {"Library"}, "bo": {"Online"}, "cy": {"Online"}}
    assert tally_poll(latest.values(), options=VENUES).winner == "Online"
    latest["cy"] = {"Library"}  # Cy changes their mind: only the newest ballot is passed in
    assert tally_poll(latest.values(), options=VENUES).winner == "Library"


def test_poll_quorum_and_no_votes():
    assert not tally_poll([{"Library"}], options=VENUES, quorum=2).quorum_met
    result = tally_poll([], options=VENUES)
    assert (result.voted, result.winners, result.winner, result.tied, result.quorum_met) == (0, [], None, False, False)


# Dot vote -------------------------------------------------------------------------------------

PRIORITIES = ["Carers", "Housing", "Mental health", "Youth"]


def test_dots_totals_ranking_and_winner():
    ballots = [{"Housing": 3, "Youth": 2}, {"Mental health": 5}, {"Housing": 2, "Carers": 1}]
    result = tally_dots(ballots, options=PRIORITIES, quorum=3)
    assert result.totals == {"Carers": 1, "Housing": 5, "Mental health": 5, "Youth": 2}
    assert result.ranking == ["Housing", "Mental health", "Youth", "Carers"]  # equal totals: option order
    assert (result.winners, result.tied, result.winner) == (["Housing", "Mental health"], True, None)
    assert (result.voted, result.dots_cast, result.quorum_met) == (3, 13, True)


def test_dots_tie_settled_by_casting_vote_and_clear_winner():
    ballots = [{"Housing": 3}, {"Youth": 3}]
    assert tally_dots(ballots, options=PRIORITIES, casting_choice="Youth").winner == "Youth"
    result = tally_dots([*ballots, {"Youth": 1}], options=PRIORITIES, quorum=4)
    assert (result.winner, result.tied, result.quorum_met) == ("Youth", False, False)


def test_dots_withdrawal_and_no_votes():
    ballots = {"ann": {"Carers": 4}, "bo": {"Youth": 3}}
    assert tally_dots(ballots.values(), options=PRIORITIES).winner == "Carers"
    del ballots["ann"]  # Ann withdraws her vote
    assert tally_dots(ballots.values(), options=PRIORITIES).winner == "Youth"
    empty = tally_dots([], options=PRIORITIES)
    assert (empty.winners, empty.winner, empty.dots_cast, empty.ranking) == ([], None, 0, PRIORITIES)


# Score vote -----------------------------------------------------------------------------------


def test_scores_means_counts_and_distribution():
    ballots = [{"Carers": 5, "Housing": 2}, {"Carers": 3, "Housing": 2}, {"Carers": 4, "Housing": 5}]
    result = tally_scores(ballots, options=["Carers", "Housing"])
    carers = result.scores["Carers"]
    assert (carers.mean, carers.count, carers.distribution) == (4.0, 3, [0, 0, 0, 1, 1, 1])
    assert result.scores["Housing"].mean == 3.0 and result.scores["Housing"].distribution == [0, 0, 2, 0, 0, 1]
    assert (result.ranking, result.winner, result.tied, result.voted) == (["Carers", "Housing"], "Carers", False, 3)


def test_scores_mean_is_rounded_for_display_only():
    result = tally_scores([{"A": 1}, {"A": 1}, {"A": 0}], options=["A"])
    assert result.scores["A"].mean == 0.67 and result.scores["A"].exact_mean == Fraction(2, 3)


def test_scores_ties_are_exact_and_casting_vote_settles_them():
    # 7/3 and 7/3: equal as fractions, whatever floating point would make of the sums.
    ballots = [{"A": 3, "B": 2}, {"A": 2, "B": 2}, {"A": 2, "B": 3}]
    result = tally_scores(ballots, options=["A", "B"])
    assert (result.winners, result.tied, result.winner) == (["A", "B"], True, None)
    assert tally_scores(ballots, options=["A", "B"], casting_choice="B").winner == "B"


def test_scores_no_votes_and_quorum():
    empty = tally_scores([], options=["A", "B"])
    assert (empty.winners, empty.winner, empty.scores["A"].mean, empty.scores["A"].count) == ([], None, 0.0, 0)
    assert not tally_scores([{"A": 1, "B": 2}], options=["A", "B"], quorum=2).quorum_met


# Ranked choice --------------------------------------------------------------------------------

CITIES = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]


def test_ranked_textbook_example_takes_three_rounds():
    """The Tennessee capital example (100 voters):
    Round 1: Memphis 42, Nashville 26, Chattanooga 15, Knoxville 17. 51 needed. Chattanooga out;
             its 15 go to Knoxville.
    Round 2: Memphis 42, Nashville 26, Knoxville 32. Nashville out; its 26 skip Chattanooga
             (already out) and go to Knoxville.
    Round 3: Memphis 42, Knoxville 58. Knoxville wins."""
    ballots = _ballots(
        [
            (42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
            (26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
            (15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
            (17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
        ]
    )
    result = tally_ranked(ballots, options=CITIES)
    assert [r.counts for r in result.rounds] == [
        {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17},
        {"Memphis": 42, "Nashville": 26, "Knoxville": 32},
        {"Memphis": 42, "Knoxville": 58},
    ]
    assert [r.eliminated for r in result.rounds] == [["Chattanooga"], ["Nashville"], []]
    assert result.rounds[0].note == "Chattanooga had the fewest votes (15), so it was eliminated."
    assert result.rounds[-1].note == "Knoxville has 58 of 100 votes, more than half, so it wins."
    assert (result.winner, result.tied, result.voted, result.majority_needed) == ("Knoxville", False, 100, 51)


def test_ranked_tie_for_fewest_broken_by_the_earlier_round_and_majority_of_continuing_ballots():
    """16 ballots. Round 1: A 7, B 3, C 4, D 2 -> D out (one D ballot goes to B, one to A).
    Round 2: A 8, B 4, C 4. B and C tie; in round 1 B had 3 and C 4, so B goes.
    Round 3: B's three ballots go to C; the D>B ballot is exhausted. A 8, C 7, 15 continuing:
    8 is more than half of 15 (though not of 16), so A wins."""
    ballots = _ballots([(7, ["A"]), (3, ["B", "C"]), (4, ["C", "B"]), (1, ["D", "B"]), (1, ["D", "A"])])
    result = tally_ranked(ballots, options=["A", "B", "C", "D"])
    assert [r.counts for r in result.rounds] == [
        {"A": 7, "B": 3, "C": 4, "D": 2},
        {"A": 8, "B": 4, "C": 4},
        {"A": 8, "C": 7},
    ]
    assert result.rounds[1].eliminated == ["B"]
    assert (
        result.rounds[1].note == "B and C tied on 4 votes; B had fewer votes than C in round 1, so it was eliminated."
    )
    final = result.rounds[-1]
    assert (final.exhausted, final.continuing_ballots, final.majority_needed) == (1, 15, 8)
    assert (result.winner, result.majority_needed) == ("A", 8)


def test_ranked_the_spec_example_note():
    """Round 1: Lambeth 3, Lewisham 2, Bromley 1 -> Bromley out, its ballot to Lewisham.
    Round 2: 3 each; Lewisham had fewer in round 1, so it goes. Lewisham's ballots rank nobody else.
    Round 3: Lambeth is the only option left."""
    ballots = _ballots([(2, ["Lambeth"]), (1, ["Lambeth", "Bromley"]), (2, ["Lewisham"]), (1, ["Bromley", "Lewisham"])])
    result = tally_ranked(ballots, options=["Lambeth", "Lewisham", "Bromley"])
    assert result.rounds[0].counts == {"Lambeth": 3, "Lewisham": 2, "Bromley": 1}
    assert result.rounds[1].counts == {"Lambeth": 3, "Lewisham": 3}
    assert result.rounds[1].note.startswith(
        "Lambeth and Lewisham tied on 3 votes; Lewisham had fewer votes than Lambeth in round 1"
    )
    assert result.winner == "Lambeth" and result.rounds[2].note == "Lambeth is the only option left, so it wins."


def test_ranked_options_tied_in_every_round_are_eliminated_together():
    """Round 1: A 5, B 4, C 1, D 1, E 0. E has the fewest alone and goes first.
    Round 2: C and D tie on 1 and were level in round 1 too, so both go.
    Round 3: C's ballot goes to B, D's to A: A 6, B 5 -> A wins."""
    ballots = _ballots([(5, ["A"]), (4, ["B"]), (1, ["C", "B"]), (1, ["D", "A"])])
    result = tally_ranked(ballots, options=["A", "B", "C", "D", "E"])
    assert result.rounds[0].counts == {"A": 5, "B": 4, "C": 1, "D": 1, "E": 0}  # no first preferences: still 0
    assert [r.eliminated for r in result.rounds] == [["E"], ["C", "D"], []]
    assert result.rounds[1].note == (
        "C and D tied on 1 vote and no earlier round separates them, so they were both eliminated together."
    )
    assert result.rounds[2].counts == {"A": 6, "B": 5} and result.winner == "A"


def test_ranked_earlier_rounds_narrow_a_three_way_tie_then_the_rest_go_together():
    """Round 1: A 10, B 3, C 3, D 4, E 1, F 1 -> E and F tie with no earlier round; both go.
    Round 2: E's ballot to B, F's to C: A 10, B 4, C 4, D 4. In round 1 D had 4 but B and C
    3 each, so D stays and B and C go together. Round 3: A 10, D 4 -> A wins."""
    ballots = _ballots([(10, ["A"]), (3, ["B"]), (3, ["C"]), (4, ["D"]), (1, ["E", "B"]), (1, ["F", "C"])])
    result = tally_ranked(ballots, options=["A", "B", "C", "D", "E", "F"])
    assert [r.eliminated for r in result.rounds] == [["E", "F"], ["B", "C"], []]
    assert result.rounds[0].note == (
        "E and F tied on 1 vote and there is no earlier round to separate them, so they were both eliminated together."
    )
    assert result.rounds[1].note == (
        "B, C and D tied on 4 votes; earlier rounds leave B and C level, so they were both eliminated together."
    )
    assert result.rounds[2].counts == {"A": 10, "D": 4} and result.rounds[2].exhausted == 8 and result.winner == "A"


def test_ranked_unbreakable_final_tie_without_casting_vote():
    ballots = _ballots([(2, ["A", "B"]), (2, ["B", "A"])])
    result = tally_ranked(ballots, options=["A", "B"])
    assert len(result.rounds) == 1 and result.rounds[0].eliminated == []
    assert (result.winner, result.tied, result.tied_options, result.decided_by_casting_vote) == (
        None,
        True,
        ["A", "B"],
        False,
    )
    assert result.rounds[0].note.endswith("so the count ends in a tie. There is no winner.")
    assert tally_ranked(ballots, options=["A", "B"], casting_choice="C").winner is None


def test_ranked_unbreakable_final_tie_decided_by_casting_vote():
    # C goes first; its ballot is exhausted; A and B were level in round 1 too.
    ballots = _ballots([(2, ["A"]), (2, ["B"]), (1, ["C"])])
    result = tally_ranked(ballots, options=["A", "B", "C"], casting_choice="B")
    assert [r.counts for r in result.rounds] == [{"A": 2, "B": 2, "C": 1}, {"A": 2, "B": 2}]
    assert (result.winner, result.tied, result.tied_options, result.decided_by_casting_vote) == (
        "B",
        True,
        ["A", "B"],
        True,
    )
    assert "decided by the chair's casting vote" in result.rounds[-1].note


def test_ranked_exhausted_ballots_leave_the_count():
    """9 ballots. Round 1: A 4, B 3, C 2 -> C out; C's ballots rank nobody else, so they are exhausted.
    Round 2: A 4, B 3, 7 continuing: 4 is more than half of 7, so A wins (4 is not more than half of 9)."""
    ballots = _ballots([(4, ["A"]), (3, ["B"]), (2, ["C"])])
    result = tally_ranked(ballots, options=["A", "B", "C"])
    final = result.rounds[-1]
    assert (final.counts, final.exhausted, final.continuing_ballots, final.majority_needed) == (
        {"A": 4, "B": 3},
        2,
        7,
        4,
    )
    assert result.winner == "A" and result.rounds[0].majority_needed == 5


def test_ranked_withdrawn_option_is_skipped_on_ballots():
    # Greenwich was withdrawn from the options: ballots that ranked it count for their next choice.
    ballots = [["Greenwich", "Lambeth"], ["Lambeth"], ["Bexley"]]
    result = tally_ranked(ballots, options=["Bexley", "Lambeth"])
    assert result.rounds[0].counts == {"Bexley": 1, "Lambeth": 2} and result.winner == "Lambeth"


def test_ranked_changed_votes_and_withdrawn_ballots_use_only_what_is_passed_in():
    latest = {"ann": ["A", "B"], "bo": ["B"], "cy": ["B", "A"]}
    assert tally_ranked(latest.values(), options=["A", "B"]).winner == "B"
    latest["cy"] = ["A"]  # changed vote
    assert tally_ranked(latest.values(), options=["A", "B"]).winner == "A"
    del latest["ann"]  # withdrawn: A 1, B 1, tied
    result = tally_ranked(latest.values(), options=["A", "B"], quorum=3)
    assert (result.voted, result.tied, result.quorum_met) == (2, True, False)


def test_ranked_single_option_and_no_ballots():
    assert tally_ranked([["A"]], options=["A"]).winner == "A"
    result = tally_ranked([], options=["A", "B"])
    assert len(result.rounds) == 1 and result.rounds[0].counts == {"A": 0, "B": 0}
    assert (result.winner, result.tied, result.voted, result.quorum_met) == (None, False, 0, False)
    assert result.rounds[0].note == "No votes were cast."


# Properties -----------------------------------------------------------------------------------

OPTIONS = BOROUGHS[:5]
RANKINGS = st.lists(
    st.permutations(OPTIONS).flatmap(lambda p: st.integers(1, len(p)).map(lambda k: p[:k])), max_size=40
)
CASTING = st.none() | st.sampled_from(OPTIONS)
SEED = st.integers(0, 2**32)


@PROPERTY
@given(ballots=RANKINGS, casting=CASTING, seed=SEED)
def test_ranked_is_independent_of_ballot_order_and_consistent(ballots, casting, seed):
    result = tally_ranked(ballots, options=OPTIONS, casting_choice=casting)
    assert tally_ranked(_shuffled(ballots, seed), options=OPTIONS, casting_choice=casting) == result
    assert tally_ranked([tuple(b) for b in ballots], options=OPTIONS, casting_choice=casting) == result
    assert result.winner is None or result.winner in OPTIONS
    assert result.voted == len(ballots)
    for number, rnd in enumerate(result.rounds, start=1):
        assert rnd.number == number
        assert sum(rnd.counts.values()) + rnd.exhausted == len(ballots)
        assert list(rnd.counts) == [o for o in OPTIONS if o in rnd.counts]
    assert all(r.eliminated for r in result.rounds[:-1]) and result.rounds[-1].eliminated == []
    if ballots and not result.tied:
        assert result.winner is not None  # full or partial rankings: somebody always wins or it is a tie
    if result.tied:
        assert result.tied_options == list(result.rounds[-1].counts)
        assert result.winner == (casting if casting in result.tied_options else None)


DOTS = st.lists(st.dictionaries(st.sampled_from(OPTIONS), st.integers(1, 10), min_size=1), max_size=40)


@PROPERTY
@given(ballots=DOTS, casting=CASTING, seed=SEED)
def test_dots_are_independent_of_ballot_order_and_add_up(ballots, casting, seed):
    result = tally_dots(ballots, options=OPTIONS, casting_choice=casting)
    assert tally_dots(_shuffled(ballots, seed), options=OPTIONS, casting_choice=casting) == result
    assert result.dots_cast == sum(sum(b.values()) for b in ballots) == sum(result.totals.values())
    assert sorted(result.ranking) == sorted(OPTIONS) and result.voted == len(ballots)
    assert result.winner is None or result.winner in result.winners


POLLS = st.lists(st.frozensets(st.sampled_from(OPTIONS), min_size=1), max_size=40)


@PROPERTY
@given(ballots=POLLS, casting=CASTING, seed=SEED)
def test_poll_is_independent_of_ballot_order(ballots, casting, seed):
    result = tally_poll(ballots, options=OPTIONS, casting_choice=casting)
    as_lists = [sorted(b, reverse=True) for b in _shuffled(ballots, seed)]
    assert tally_poll(as_lists, options=OPTIONS, casting_choice=casting) == result
    assert sum(result.counts.values()) == sum(len(b) for b in ballots)
    assert all(result.counts[w] == max(result.counts.values()) for w in result.winners)


SCORE_BALLOTS = st.lists(st.fixed_dictionaries({o: st.integers(0, 5) for o in OPTIONS}), max_size=40)


@PROPERTY
@given(ballots=SCORE_BALLOTS, casting=CASTING, seed=SEED)
def test_scores_are_independent_of_ballot_order(ballots, casting, seed):
    result = tally_scores(ballots, options=OPTIONS, casting_choice=casting)
    assert tally_scores(_shuffled(ballots, seed), options=OPTIONS, casting_choice=casting) == result
    for option, score in result.scores.items():
        assert sum(score.distribution) == score.count == len(ballots)
        if ballots:
            assert score.exact_mean == Fraction(sum(b[option] for b in ballots), len(ballots))


def test_round_notes_use_option_labels_when_given():
    labels = {"1": "Strategic partner", "2": "Funding", "3": "Procurement"}
    result = tally_ranked([["1"], ["2"], ["3"], ["1"]], options=["1", "2", "3"], labels=labels)
    notes = " ".join(r.note for r in result.rounds)
    assert "Funding and Procurement tied on 1 vote" in notes
    assert result.rounds[-1].note == "Strategic partner is the only option left, so it wins."
    assert result.winner == "1"  # results still use option ids
