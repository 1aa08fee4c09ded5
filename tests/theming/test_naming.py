import math

import pytest

from compact.theming.naming import c_tf_idf, label_from_terms, label_terms, top_terms

IDEAS = [
    "More funding for community groups",  # 0: funding
    "Funding grants for community charities",
    "Small grants and funding for community projects",
    "Better transport to the community centre",  # 3: transport
    "Community transport buses for older people",
    "Transport links to the community hospital are poor",
]
LABELS = [0, 0, 0, 1, 1, 1]


def test_distinctive_terms_beat_words_every_theme_uses():
    funding, transport = top_terms(IDEAS, LABELS, 2)
    assert funding[0][0] == "funding"
    assert transport[0][0] == "transport"
    # "community" is in every idea: frequent, but not distinctive of either theme.
    for terms in (funding, transport):
        weights = dict(terms)
        assert weights["community"] < weights[terms[0][0]]
        assert terms[0][0] != "community"


def test_weights_follow_the_c_tf_idf_formula():
    texts = ["apple apple banana", "cherry banana"]
    matrix, terms = c_tf_idf(texts, [0, 1], 2)
    column = {t: j for j, t in enumerate(terms)}
    # Per theme: tf = count / terms in theme; idf = log(1 + A / f), A = mean terms per theme.
    average = (3 + 2) / 2
    assert matrix[0, column["apple"]] == pytest.approx(2 / 3 * math.log(1 + average / 2))
    assert matrix[0, column["banana"]] == pytest.approx(1 / 3 * math.log(1 + average / 2))
    assert matrix[1, column["cherry"]] == pytest.approx(1 / 2 * math.log(1 + average / 1))
    assert matrix[1, column["apple"]] == 0


def test_stop_words_are_dropped():
    (terms,) = top_terms(["We should do it and they would have been there"] * 2 + ["the libraries"], [0, 0, 0], 1)
    assert [t for t, _ in terms] == ["libraries"]


def test_phrases_need_two_ideas():
    texts = ["small charities need funding", "small charities struggle", "one off phrase here"]
    (terms,) = top_terms(texts, [0, 0, 0], 1)
    names = [t for t, _ in terms]
    assert "small charities" in names
    assert "phrase" in names and "phrase here" not in names and "charities struggle" not in names


def test_no_terms_for_empty_or_stop_word_ideas():
    assert top_terms(["", "   ", "the and of"], [0, 1, 1], 2) == [[], []]


def test_terms_are_deterministic_with_ties_in_alphabetical_order():
    (terms,) = top_terms(["zebra yak"], [0], 1)
    assert [t for t, _ in terms] == ["yak", "zebra"]


def test_unicode_words_are_terms():
    (terms,) = top_terms(
        ["Financement des associations", "financement communautaire", "Ärztliche Versorgung"], [0, 0, 0], 1
    )
    assert terms[0][0] == "financement"
    assert "ärztliche" in dict(terms)


def test_label_joins_three_terms_capitalised():
    assert label_from_terms([("funding", 0.9), ("grants", 0.8), ("small", 0.3), ("extra", 0.1)]) == (
        "Funding · Grants · Small"
    )
    assert label_from_terms([]) == ""


def test_label_prefers_a_phrase_to_the_word_inside_it():
    terms = [("funding", 0.9), ("charities", 0.8), ("grants", 0.7), ("small charities", 0.6), ("charity", 0.1)]
    assert label_terms(terms) == ["funding", "small charities", "grants"]
    # A phrase much weaker than its word does not replace it, and words are not repeated.
    assert label_terms([("charities", 0.9), ("small charities", 0.1), ("grants", 0.05)]) == ["charities", "grants"]
