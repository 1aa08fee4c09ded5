"""Naming themes with class-based TF-IDF (c-TF-IDF, as in BERTopic).

Each theme's ideas are treated as one document. A term's weight in theme c is

    tf(t, c) * log(1 + A / f(t))

where tf is the term's count in c divided by all term counts in c (L1), A is the average number of
terms per theme and f(t) the term's count across all themes. Words common to every theme score low;
words frequent in one theme and rare elsewhere score high. English stop words are dropped.

Two-word phrases ("small charities") are kept when at least two ideas use them, so a label reads
naturally without a one-off phrase outranking the words the theme really shares.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

TOP_TERMS = 10
LABEL_TERMS = 3
SEPARATOR = " · "


def _term_counts(texts: Sequence[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Ideas x terms counts (unigrams, and bigrams used by two ideas or more) and the terms."""
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), lowercase=True)
    try:
        counts = vectorizer.fit_transform(texts).tocsc()
    except ValueError:  # no term at all: empty, punctuation-only or stop-word-only ideas
        return sparse.csr_matrix((len(texts), 0)), np.array([], dtype=object)
    terms = vectorizer.get_feature_names_out()
    is_bigram = np.char.find(terms.astype(str), " ") >= 0
    ideas_using = np.diff(counts.indptr)  # non-zeros per column = ideas using the term
    keep = ~is_bigram | (ideas_using >= 2)
    return counts[:, keep].tocsr(), terms[keep]


def c_tf_idf(texts: Sequence[str], labels: Sequence[int], n_classes: int) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The themes x terms c-TF-IDF matrix and its terms. `labels[i]` is idea i's theme (0..n-1)."""
    counts, terms = _term_counts(texts)
    if counts.shape[1] == 0:
        return sparse.csr_matrix((n_classes, 0)), terms
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), (np.asarray(labels), np.arange(len(labels)))), shape=(n_classes, len(labels))
    )
    per_class = (membership @ counts).astype(np.float64).tocsr()  # themes x terms counts
    frequency = np.asarray(per_class.sum(axis=0)).ravel()  # f(t)
    average = per_class.sum() / n_classes  # A
    idf = np.log1p(average / np.maximum(frequency, 1))
    row_totals = np.asarray(per_class.sum(axis=1)).ravel()
    tf = sparse.diags(1 / np.maximum(row_totals, 1)) @ per_class
    return (tf @ sparse.diags(idf)).tocsr(), terms


def top_terms(
    texts: Sequence[str], labels: Sequence[int], n_classes: int, *, top_n: int = TOP_TERMS
) -> list[list[tuple[str, float]]]:
    """For each theme, its most distinctive terms with their weights, highest first (ties
    alphabetical, so the result is the same every time)."""
    matrix, terms = c_tf_idf(texts, labels, n_classes)
    result = []
    for c in range(n_classes):
        row = matrix.getrow(c)
        pairs = [(str(terms[j]), float(w)) for j, w in zip(row.indices, row.data, strict=True) if w > 0]
        pairs.sort(key=lambda p: (-p[1], p[0]))
        result.append(pairs[:top_n])
    return result


PHRASE_OVER_WORD = 0.5  # a phrase replaces a word it contains if it weighs at least this share of it


def label_terms(terms: Sequence[tuple[str, float]], *, n: int = LABEL_TERMS) -> list[str]:
    """The first n terms that do not repeat a word already chosen. A two-word phrase replaces a
    chosen word it contains when it is nearly as distinctive ("small charities" for "charities"),
    because the phrase says more."""
    chosen: list[tuple[str, float]] = []
    for term, weight in terms:
        words = set(term.split())
        overlapping = [i for i, (t, _) in enumerate(chosen) if words & set(t.split())]
        if not overlapping:
            if len(chosen) < n:
                chosen.append((term, weight))
            continue
        inside = [i for i in overlapping if set(chosen[i][0].split()) < words]
        if inside == overlapping and weight >= PHRASE_OVER_WORD * max(chosen[i][1] for i in inside):
            first = inside[0]
            chosen[first] = (term, chosen[first][1])  # keep the rank of the word it replaces
            chosen = [c for i, c in enumerate(chosen) if i == first or i not in inside]
    return [t for t, _ in chosen[:n]]


def label_from_terms(terms: Sequence[tuple[str, float]], *, n: int = LABEL_TERMS) -> str:
    """ "Funding · Grants · Small charities" (empty when there are no terms)."""
    return SEPARATOR.join(t[:1].upper() + t[1:] for t in label_terms(terms, n=n))
