"""Finding a commented passage again after its text is edited: kept through edits around it and
small fixes inside it, lost (None) when its words are gone, and never an error."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from compact.drafting.anchoring import Anchor, capture, locate, quote_in
from compact.drafting.models import CONTEXT_CHARS

PROPERTY = settings(max_examples=100, deadline=None)
TEXT = (
    "The partners will pay invoices from small charities within 30 days of receipt. "
    "We will meet every quarter to review progress, and publish the minutes."
)


def anchor_on(text, quote):
    start = text.index(quote)
    return capture(text, start, start + len(quote))


def found(text, anchor, hint=None):
    span = locate(text, anchor, hint)
    return None if span is None else text[span[0] : span[1]]


# --- capture and quote_in -------------------------------------------------------------------


def test_capture_keeps_the_words_around_the_passage():
    anchor = anchor_on(TEXT, "within 30 days")
    assert anchor.quote == "within 30 days"
    assert anchor.prefix == TEXT[: TEXT.index("within")][-CONTEXT_CHARS:]
    assert len(anchor.prefix) == len(anchor.suffix) == CONTEXT_CHARS == 32
    assert anchor.suffix.startswith(" of receipt.")
    assert capture("Short text", 0, 5) == Anchor("Short", "", " text")


@pytest.mark.parametrize(("start", "end"), [(3, 3), (5, 2), (-1, 4), (0, len(TEXT) + 1)])
def test_capture_refuses_an_empty_or_impossible_selection(start, end):
    with pytest.raises(ValueError):
        capture(TEXT, start, end)


def test_quote_in_finds_the_first_occurrence():
    text = "We will listen. We will act."
    assert quote_in(text, "We will") == Anchor("We will", "", " listen. We will act.")


def test_quote_in_matches_a_selection_with_collapsed_whitespace():
    text = "We will pay\n  within 30\tdays.\n\nNext paragraph."
    anchor = quote_in(text, " pay within 30 days. Next ")
    assert anchor is not None
    assert anchor.quote == "pay\n  within 30\tdays.\n\nNext"  # the text's own whitespace
    assert anchor.prefix == "We will " and anchor.suffix == " paragraph."


@pytest.mark.parametrize("quote", ["", "   ", "\n", "not in the text", "30  days ago"])
def test_quote_in_gives_none_for_nothing_or_a_missing_passage(quote):
    assert quote_in(TEXT, quote) is None


# --- locate ---------------------------------------------------------------------------------


def test_an_unchanged_passage_is_where_it_was():
    anchor = anchor_on(TEXT, "within 30 days")
    start = TEXT.index("within 30 days")
    assert locate(TEXT, anchor) == (start, start + len("within 30 days"))


def test_the_passage_is_found_after_words_are_added_before_it():
    new = TEXT.replace("The partners will", "From April 2026, all the partners in South East London will")
    assert found(new, anchor_on(TEXT, "within 30 days of receipt")) == "within 30 days of receipt"


def test_the_passage_is_found_after_the_next_sentence_is_rewritten():
    new = TEXT.replace(
        "We will meet every quarter to review progress, and publish the minutes.", "Meetings are monthly."
    )
    assert found(new, anchor_on(TEXT, "within 30 days of receipt")) == "within 30 days of receipt"


@pytest.mark.parametrize(
    ("quote", "fixed"),
    [
        ("reciept", "receipt"),  # one word, letters swapped
        ("within 30 days of reciept", "within 30 days of receipt"),
        ("Teh partners will pay", "The partners will pay"),  # at the very start
        (  # longer than diff-match-patch's 32-character pattern limit
            "pay invoices from smal charities within 30 days of reciept",
            "pay invoices from small charities within 30 days of receipt",
        ),
    ],
)
def test_a_typo_fixed_inside_the_passage_keeps_it(quote, fixed):
    old = TEXT.replace(fixed, quote)
    assert found(TEXT, anchor_on(old, quote)) == fixed


def test_a_long_passage_is_found_after_edits_around_and_inside_it():
    quote = "We will meet every quarter to review progress, and publish the minutes."
    new = "Introduction added.\n\n" + TEXT.replace("every quarter", "each quarter")
    assert (
        found(new, anchor_on(TEXT, quote)) == "We will meet each quarter to review progress, and publish the minutes."
    )


@pytest.mark.parametrize(
    "quote",
    ["within 30 days", "We will meet every quarter to review progress, and publish the minutes.", "invoices"],
)
def test_a_deleted_passage_is_lost(quote):
    anchor = anchor_on(TEXT, quote)
    assert locate(TEXT.replace(quote, ""), anchor) is None


def test_a_reworded_passage_is_lost():
    anchor = anchor_on(TEXT, "within 30 days of receipt")
    assert locate(TEXT.replace("within 30 days of receipt", "promptly"), anchor) is None
    long = anchor_on(TEXT, "We will meet every quarter to review progress, and publish the minutes.")
    assert locate(TEXT.replace("every quarter to review progress", "twice a year"), long) is None


def test_a_repeated_passage_is_told_apart_by_its_surroundings():
    text = "Health partners will report yearly. Council partners will report yearly. Charities will report yearly."
    second = text.index("report yearly", text.index("Council"))
    anchor = capture(text, second, second + len("report yearly"))
    edited = "Added first. " + text.replace("Health", "NHS")
    start = edited.index("report yearly", edited.index("Council"))
    assert locate(edited, anchor) == (start, start + len("report yearly"))


def test_with_no_context_to_go_on_the_hint_chooses():
    text = "yes, yes, yes"
    anchor = Anchor("yes")
    assert locate(text, anchor) == (0, 3)
    assert locate(text, anchor, hint=9) == (10, 13)
    assert locate(text, anchor, hint=6) == (5, 8)


@pytest.mark.parametrize(
    ("text", "anchor", "hint"),
    [
        ("", Anchor("quote"), None),
        ("Some text", Anchor(""), None),
        ("Some text", Anchor("", "Some", "text"), 3),
        ("Some text", Anchor("text"), -50),
        ("Some text", Anchor("text"), 10**9),
        ("😀 emoji and ünïcödé 😀", Anchor("ünïcödé"), None),
        ("x" * 200_000 + "needle in a haystack" + "y" * 200_000, Anchor("needle in a haystack"), None),
        ("word " * 4000, Anchor("a passage that is not there at all, and is longer than thirty-two characters"), None),
    ],
)
def test_awkward_input_gives_an_answer_not_an_error(text, anchor, hint):
    span = locate(text, anchor, hint)
    assert span is None or 0 <= span[0] < span[1] <= len(text)


def test_unicode_and_emoji_passages_are_found():
    text = "Café opening 😀 for everyone"
    assert found("New: " + text, anchor_on(text, "Café opening 😀")) == "Café opening 😀"
    assert found(text.replace("Café", "Cafe"), anchor_on(text, "Café opening 😀 for")) == "Cafe opening 😀 for"


# --- Properties -----------------------------------------------------------------------------

alphabet = st.sampled_from(list("abc ,.\n") + ["é", "😀", "\u0301"])
texts = st.text(alphabet, max_size=300) | st.text(max_size=300)


@PROPERTY
@given(st.data())
def test_an_unchanged_unique_passage_is_found_exactly(data):
    text = data.draw(texts.filter(len))
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(text.count(text[start:end]) == 1)
    assert locate(text, capture(text, start, end)) == (start, end)


@PROPERTY
@given(
    texts,
    st.builds(Anchor, texts, st.text(max_size=CONTEXT_CHARS), st.text(max_size=CONTEXT_CHARS)),
    st.none() | st.integers(-1000, 1000),
)
def test_locate_never_raises(text, anchor, hint):
    span = locate(text, anchor, hint)
    assert span is None or 0 <= span[0] < span[1] <= len(text)


@PROPERTY
@given(texts, texts)
def test_quote_in_never_raises_and_captures_a_passage_of_the_text(text, quote):
    anchor = quote_in(text, quote)
    assert anchor is None or (anchor.quote and anchor.quote in text)
