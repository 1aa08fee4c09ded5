"""Checking one person's ballot: what is accepted, how it is normalised, and what the voter is told."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from compact.decisions.ballots import validate_consent, validate_dots, validate_poll, validate_ranking, validate_scores

OPTIONS = ["Carers", "Housing", "Youth"]
FUZZ = settings(max_examples=100, deadline=None, database=None)


def _refused(message, call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert info.value.messages == [message]


# Consent --------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", ["agree", "abstain", "object", "block", " Agree "])
def test_consent_accepts_each_position_and_strips_the_reason(position):
    assert validate_consent(position, "  Because of the budget  ") == (
        position.strip().lower(),
        "Because of the budget",
    )


def test_consent_reason_is_optional_for_agree_and_abstain():
    assert validate_consent("agree", "") == ("agree", "")
    assert validate_consent("abstain", None) == ("abstain", "")


@pytest.mark.parametrize(
    ("position", "message"),
    [("object", "Give a reason for your objection"), ("block", "Give a reason for blocking")],
)
@pytest.mark.parametrize("reason", ["", "   \n\t", None])
def test_consent_objecting_or_blocking_needs_a_reason(position, message, reason):
    _refused(message, validate_consent, position, reason)


def test_consent_reason_has_a_length_limit_after_stripping():
    assert validate_consent("object", "x" * 2000 + "   ")[1] == "x" * 2000
    _refused("Keep your reason to 2,000 characters or fewer", validate_consent, "object", "x" * 2001)


@pytest.mark.parametrize("position", ["maybe", "", None, 3])
def test_consent_refuses_unknown_positions(position):
    _refused("Choose agree, abstain, object or block", validate_consent, position, "")


# Poll -----------------------------------------------------------------------------------------


def test_poll_single_choice():
    assert validate_poll(["Housing"], options=OPTIONS, multiple=False, max_choices=None) == ["Housing"]
    assert validate_poll("Housing", options=OPTIONS, multiple=False, max_choices=None) == ["Housing"]


def test_poll_multiple_choice_removes_duplicates_and_keeps_option_order():
    chosen = validate_poll(["Youth", "Carers", "Youth"], options=OPTIONS, multiple=True, max_choices=None)
    assert chosen == ["Carers", "Youth"]


def test_poll_duplicates_of_one_option_still_count_as_one_choice():
    assert validate_poll(["Youth", "Youth"], options=OPTIONS, multiple=False, max_choices=None) == ["Youth"]


@pytest.mark.parametrize("choices", [[], "", None, ()])
def test_poll_needs_a_choice(choices):
    _refused("Choose an option", validate_poll, choices, options=OPTIONS, multiple=True, max_choices=None)


@pytest.mark.parametrize("choices", [["Transport"], ["Housing", "Transport"], [1], {"a": 1}, 7])
def test_poll_refuses_unknown_options(choices):
    _refused("Choose from the options given", validate_poll, choices, options=OPTIONS, multiple=True, max_choices=None)


def test_poll_single_choice_refuses_two():
    _refused("Choose one option", validate_poll, ["Carers", "Youth"], options=OPTIONS, multiple=False, max_choices=None)


def test_poll_respects_max_choices():
    assert validate_poll(["Carers", "Youth"], options=OPTIONS, multiple=True, max_choices=2) == ["Carers", "Youth"]
    _refused("Choose up to 2 options", validate_poll, OPTIONS, options=OPTIONS, multiple=True, max_choices=2)
    _refused("Choose up to 1 option", validate_poll, OPTIONS[:2], options=OPTIONS, multiple=True, max_choices=1)


# Dots -----------------------------------------------------------------------------------------


def test_dots_drops_zero_entries_and_keeps_option_order():
    allocation = {"Youth": 2, "Carers": 0, "Housing": "3"}  # form fields arrive as text
    assert validate_dots(allocation, options=OPTIONS, budget=5) == {"Housing": 3, "Youth": 2}


@pytest.mark.parametrize("dots", [-1, 1.5, "2.5", "-1", "two", True, None, "", [1]])
def test_dots_must_be_whole_numbers(dots):
    _refused("Dots must be whole numbers, 0 or more", validate_dots, {"Carers": dots}, options=OPTIONS, budget=5)


def test_dots_refuses_unknown_options():
    _refused("Choose from the options given", validate_dots, {"Transport": 1}, options=OPTIONS, budget=5)
    _refused("Choose from the options given", validate_dots, ["Carers"], options=OPTIONS, budget=5)


def test_dots_within_budget():
    assert validate_dots({"Carers": 3, "Youth": 2}, options=OPTIONS, budget=5) == {"Carers": 3, "Youth": 2}
    _refused("You have 5 dots; you placed 6", validate_dots, {"Carers": 4, "Youth": 2}, options=OPTIONS, budget=5)
    _refused("You have 1 dot; you placed 2", validate_dots, {"Carers": 2}, options=OPTIONS, budget=1)


@pytest.mark.parametrize("allocation", [{}, {"Carers": 0, "Youth": "0"}])
def test_dots_needs_at_least_one_dot(allocation):
    _refused("Place at least one dot", validate_dots, allocation, options=OPTIONS, budget=5)


# Ranking --------------------------------------------------------------------------------------


def test_ranking_keeps_the_order_and_allows_partial_rankings():
    assert validate_ranking(["Youth", "Carers"], options=OPTIONS) == ["Youth", "Carers"]
    assert validate_ranking(("Housing",), options=OPTIONS) == ["Housing"]


@pytest.mark.parametrize("ranking", [[], None, set()])
def test_ranking_needs_at_least_one_option(ranking):
    _refused("Rank at least one option", validate_ranking, ranking, options=OPTIONS)


def test_ranking_refuses_duplicates_and_unknown_options():
    _refused("Rank each option only once", validate_ranking, ["Youth", "Carers", "Youth"], options=OPTIONS)
    _refused("Choose from the options given", validate_ranking, ["Youth", "Transport"], options=OPTIONS)


# Scores ---------------------------------------------------------------------------------------


def test_scores_every_option_in_option_order():
    scores = {"Youth": 5, "Carers": 0, "Housing": "3"}
    assert list(validate_scores(scores, options=OPTIONS).items()) == [("Carers", 0), ("Housing", 3), ("Youth", 5)]


@pytest.mark.parametrize(
    "scores",
    [
        {"Carers": 1, "Housing": 2},  # Youth not scored
        {"Carers": 1, "Housing": 2, "Youth": 6},
        {"Carers": -1, "Housing": 2, "Youth": 3},
        {"Carers": 1.5, "Housing": 2, "Youth": 3},
        {"Carers": None, "Housing": 2, "Youth": 3},
        {},
    ],
)
def test_scores_must_cover_every_option_from_0_to_5(scores):
    _refused("Score every option from 0 to 5", validate_scores, scores, options=OPTIONS)


def test_scores_refuses_unknown_options():
    scores = {"Carers": 1, "Housing": 2, "Youth": 3, "Transport": 4}
    _refused("Choose from the options given", validate_scores, scores, options=OPTIONS)


# Fuzzing: any input is either a normalised, valid ballot or a ValidationError ------------------

NAMES = st.sampled_from([*OPTIONS, "Transport", "", " Carers"])
SCALARS = st.none() | st.booleans() | st.integers(-10, 10) | st.floats() | st.text(max_size=12) | NAMES
ANYTHING = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(NAMES, inner, max_size=5))
NAME_LISTS = st.lists(NAMES, max_size=6)
COUNTS = st.dictionaries(NAMES, SCALARS | st.integers(0, 5).map(str), max_size=5)


def _outcome(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except ValidationError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)
        return None


@FUZZ
@given(position=ANYTHING | st.sampled_from(["agree", "object", "block"]), reason=ANYTHING | st.text(max_size=30))
def test_fuzz_consent(position, reason):
    if (ballot := _outcome(validate_consent, position, reason)) is not None:
        assert ballot[0] in {"agree", "abstain", "object", "block"} and ballot[1] == ballot[1].strip()
        assert ballot[0] not in {"object", "block"} or ballot[1]


@FUZZ
@given(choices=ANYTHING | NAME_LISTS, multiple=st.booleans(), max_choices=st.none() | st.integers(1, 3))
def test_fuzz_poll(choices, multiple, max_choices):
    if ballot := _outcome(validate_poll, choices, options=OPTIONS, multiple=multiple, max_choices=max_choices):
        assert ballot == [o for o in OPTIONS if o in ballot] and ballot
        assert len(ballot) == 1 or (multiple and (max_choices is None or len(ballot) <= max_choices))


@FUZZ
@given(allocation=ANYTHING | COUNTS, budget=st.integers(1, 10))
def test_fuzz_dots(allocation, budget):
    if (ballot := _outcome(validate_dots, allocation, options=OPTIONS, budget=budget)) is not None:
        assert set(ballot) <= set(OPTIONS) and 0 < sum(ballot.values()) <= budget
        assert all(type(n) is int and n > 0 for n in ballot.values())


@FUZZ
@given(ranking=ANYTHING | NAME_LISTS)
def test_fuzz_ranking(ranking):
    if (ballot := _outcome(validate_ranking, ranking, options=OPTIONS)) is not None:
        assert ballot and set(ballot) <= set(OPTIONS) and len(set(ballot)) == len(ballot)


@FUZZ
@given(scores=ANYTHING | COUNTS | st.fixed_dictionaries({o: st.integers(-1, 6) for o in OPTIONS}))
def test_fuzz_scores(scores):
    if (ballot := _outcome(validate_scores, scores, options=OPTIONS)) is not None:
        assert list(ballot) == OPTIONS and all(type(n) is int and 0 <= n <= 5 for n in ballot.values())
