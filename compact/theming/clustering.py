"""Grouping ideas into suggested themes: KMeans on sentence vectors, k chosen by silhouette.

How k is chosen, and why. Figures from bench/scenarios/theming.py on the full STC2 sets with
MiniLM vectors (StackOverflow: 20,000 titles, true k 20; SearchSnippets: 12,340 snippets, true
k 8). Plain KMeans with the silhouette's best k gave NMI 69.2 (k=21) and 59.4 (k=8); what
follows gives 74.2 (k=16) and 62.2 (k=6).
- Identical vectors are merged first (weighted), so repeated ideas always share a theme, the
  result does not depend on input order (the distinct vectors are sorted), and "all the same"
  gives one theme.
- Each vector is replaced by the mean of its nearest neighbours (10 at most, one per 50 ideas,
  so small sets are left as they are) before KMeans. Like UMAP's neighbourhood graph, this pulls
  the dense core of each topic together: NMI at the true k rose from 59.4 to 65.7 on
  SearchSnippets and from 70.5 to 71.3 on StackOverflow.
- Silhouette is scored on the original vectors (on the smoothed ones it keeps rising with k),
  for every k in the range, on a sample of at most 2,000 ideas, from distances computed once:
  5,000 ideas take about 2 s on a busy 2-core machine.
- Silhouette is flat near its peak and noisy there, so we take the smallest k scoring at least
  95% of the best: fewer, broader themes that people can split with "more themes". (On samples
  of 1,000 SearchSnippets this lifted NMI from 55 to 59.) The price: a very small theme (3 ideas
  of 60) can be folded into its nearest one, since moving 3 points barely changes the silhouette.
- Small sets (up to 1,000 distinct ideas) get 3 KMeans starts per candidate k, since one start
  can land in a poor optimum that then decides k; larger sets get one.
- Those candidate fits use `kmeans_labels`, the same algorithm as scikit-learn's KMeans in plain
  numpy with the products computed once: scikit-learn's checks on each of the ~90 small calls
  cost more than the arithmetic. 300 ideas went from 1.2 s to 0.36 s, 5,000 from 4.8 s to 2.7 s.
  The final fit is scikit-learn's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from .embedding import _normalise, embed, embedding_backend, lsa_vectors
from .naming import label_from_terms, top_terms

K_MAX = 30  # more themes than this is no longer a summary
MIN_PER_THEME = 3  # default k_max is at most a third of the distinct ideas
NEIGHBOURS = 10
NEIGHBOURS_SHARE = 50  # ...and at most one neighbour per 50 ideas (small sets are left as they are)
SELECTION_SAMPLE = 2000
PARSIMONY = 0.95
DEDUPLICATE_DECIMALS = 5
THREADS = 1
N_INIT = 3  # the final fit; each candidate k during selection gets as many up to SMALL ideas, else one
SMALL = 1000


@dataclass(frozen=True)
class Theme:
    """One suggested theme. `members` are indices into the texts given, closest to the theme's
    centre first; `representative` is the first of them."""

    label: str
    terms: tuple[tuple[str, float], ...]
    members: tuple[int, ...]
    representative: int

    @property
    def size(self) -> int:
        return len(self.members)


def suggest_themes(
    texts: Sequence[str],
    vectors: np.ndarray | None = None,
    *,
    k: int | None = None,
    k_min: int = 2,
    k_max: int | None = None,
    random_state: int = 0,
) -> list[Theme]:
    """Suggested themes for `texts`, largest first.

    `vectors` are the stored `embed()` rows, one per text; without them the texts are embedded
    now (or, without the language model, compared by word overlap). `k` asks for that many
    themes (for "more / fewer themes"); otherwise k is chosen between k_min and k_max (default:
    up to 30, and at most a third of the distinct ideas). The same input and random_state always
    give the same themes."""
    texts = ["" if t is None else str(t) for t in texts]
    if not texts:
        return []
    matrix, semantic = _vectors(texts, vectors, random_state)
    if k_max is None and not semantic:
        # Word-overlap silhouette keeps rising with k (every shared word is a "cluster"): fewer,
        # broader themes from a weaker signal.
        k_max = max(2, math.isqrt(len(texts)))
    labels = cluster_labels(matrix, k=k, k_min=k_min, k_max=k_max, random_state=random_state)
    return _themes(texts, matrix, labels)


def _vectors(texts: list[str], vectors: np.ndarray | None, random_state: int) -> tuple[np.ndarray, bool]:
    """Unit-length vectors for the texts, and whether they carry meaning (not word overlap)."""
    if vectors is None:
        if embedding_backend().is_semantic:
            return embed(texts), True  # ModelIntegrityError propagates: a bad model is not hidden
        return lsa_vectors(texts, random_state=random_state), False
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or matrix.shape[0] != len(texts):
        raise ValueError(f"Expected one vector per text ({len(texts)}), got an array of shape {matrix.shape}")
    if not np.isfinite(matrix).all():
        raise ValueError("Vectors must be finite numbers")
    return _normalise(matrix), True


def cluster_labels(
    vectors: np.ndarray,
    *,
    k: int | None = None,
    k_min: int = 2,
    k_max: int | None = None,
    random_state: int = 0,
) -> np.ndarray:
    """A theme number (0..k-1) per row of `vectors` (unit length). Identical rows share a theme;
    k never exceeds the number of distinct rows."""
    if len(vectors) == 0:
        return np.zeros(0, dtype=np.intp)
    # One thread: KMeans's OpenMP threads slow it down many times over when the cores are busy
    # (a web server's other requests), and a fixed thread count keeps results reproducible.
    with threadpool_limits(limits=THREADS):
        return _cluster(vectors, k=k, k_min=k_min, k_max=k_max, random_state=random_state)


def _cluster(vectors: np.ndarray, *, k: int | None, k_min: int, k_max: int | None, random_state: int) -> np.ndarray:
    n = len(vectors)
    # Rounded first: the same text embedded in two batches can differ in the last bits.
    keys = np.round(np.asarray(vectors, dtype=np.float32), DEDUPLICATE_DECIMALS)
    distinct, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    m = len(distinct)
    smoothed = _smooth(distinct, min(NEIGHBOURS, max(1, m // NEIGHBOURS_SHARE)))
    if k is None:
        k = _choose_k(distinct, smoothed, k_min=k_min, k_max=k_max, random_state=random_state)
    k = max(1, min(int(k), m))
    if k == 1:
        return np.zeros(n, dtype=np.intp)
    if k == m:
        return inverse.astype(np.intp)
    fitted = KMeans(n_clusters=k, n_init=N_INIT, random_state=random_state).fit(smoothed, sample_weight=counts)
    return fitted.labels_[inverse].astype(np.intp)


def _smooth(vectors: np.ndarray, neighbours: int, chunk: int = 1024) -> np.ndarray:
    """Each row replaced by the normalised mean of its `neighbours` most similar rows (itself
    included). Done in chunks so 20,000 rows need ~80 MB, not 1.6 GB."""
    if neighbours <= 1:
        return vectors
    out = np.empty_like(vectors)
    for start in range(0, len(vectors), chunk):
        similar = vectors[start : start + chunk] @ vectors.T
        nearest = np.argpartition(-similar, neighbours - 1, axis=1)[:, :neighbours]
        out[start : start + chunk] = vectors[nearest].mean(axis=1)
    return _normalise(out)


def _choose_k(distinct: np.ndarray, smoothed: np.ndarray, *, k_min: int, k_max: int | None, random_state: int) -> int:
    m = len(distinct)
    if m <= 2:
        return 1  # one or two distinct ideas: nothing to compare a split with
    upper = k_max if k_max is not None else min(K_MAX, max(2, m // MIN_PER_THEME))
    candidates = range(max(2, k_min), min(upper, m - 1) + 1)  # silhouette needs 2 <= k < m
    if not candidates:
        return max(1, min(k_min, upper, m))
    if m > SELECTION_SAMPLE:
        rows = np.sort(np.random.default_rng(random_state).choice(m, SELECTION_SAMPLE, replace=False))
        distinct, smoothed = distinct[rows], smoothed[rows]
    distances = _distances(distinct)
    # One KMeans start can land in a poor local optimum, which on a small set decides k; small
    # sets are cheap, so they get several starts.
    n_init = 3 if len(distinct) <= SMALL else 1
    smoothed = np.asarray(smoothed, dtype=np.float32)
    gram = smoothed @ smoothed.T  # once for every candidate's k-means++ starts
    scores = []
    for candidate in candidates:
        labels = kmeans_labels(smoothed, candidate, n_init=n_init, seed=random_state, gram=gram)
        scores.append(silhouette(distances, labels))
    best = max(scores)
    if best <= 0:
        return candidates[int(np.argmax(scores))]
    return next(c for c, s in zip(candidates, scores, strict=True) if s >= PARSIMONY * best)


def kmeans_labels(
    x: np.ndarray, k: int, *, n_init: int, seed: int, max_iter: int = 300, gram: np.ndarray | None = None
) -> np.ndarray:
    """Lloyd's KMeans from greedy k-means++ starts, the algorithm scikit-learn runs, in plain
    numpy. Choosing k fits up to 29 candidates 3 times each on at most 2,000 rows; there
    scikit-learn's checks on every call cost more than the arithmetic (1.1 of 1.5 s for 300 ideas).
    `gram` (x @ x.T), when given, saves the starts their own products."""
    x = np.asarray(x, dtype=np.float32)  # as scikit-learn keeps float32 input: twice as fast
    gram = x @ x.T if gram is None else gram
    sq = np.diagonal(gram).copy()
    tol = 1e-4 * float(np.mean(np.var(x, axis=0)))  # scikit-learn's default tolerance
    rng = np.random.default_rng(seed)
    best, best_inertia = None, np.inf
    for _ in range(n_init):
        centres = _plus_plus(x, gram, sq, k, rng)
        previous = None
        for _ in range(max_iter):
            labels = _nearest(x, sq, centres)[0]
            if previous is not None and np.array_equal(labels, previous):
                break  # converged: the centres would not move
            previous = labels
            onehot = np.zeros((len(x), k), dtype=x.dtype)
            onehot[np.arange(len(x)), labels] = 1
            sizes = onehot.sum(axis=0)
            moved = centres.copy()
            filled = sizes > 0  # an emptied cluster keeps its centre
            moved[filled] = (onehot.T @ x)[filled] / sizes[filled, None]
            shift = float(((moved - centres) ** 2).sum())
            centres = moved
            if shift <= tol:
                break
        labels, distances = _nearest(x, sq, centres)
        inertia = float(distances.sum())
        if inertia < best_inertia:
            best, best_inertia = labels, inertia
    return best


def _nearest(x: np.ndarray, sq: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nearest centre and its squared distance to it."""
    # |x|^2 is the same for every centre of a row, so it is added only to the chosen distance.
    d = np.einsum("ij,ij->i", centres, centres)[None, :] - 2 * (x @ centres.T)
    labels = d.argmin(axis=1)
    return labels, np.maximum(d[np.arange(len(x)), labels] + sq, 0)


def _plus_plus(x: np.ndarray, gram: np.ndarray, sq: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++: each new centre is the best of 2 + log(k) points drawn in proportion to
    their squared distance from the centres so far."""
    m = len(x)
    trials = 2 + int(np.log(k))
    centres = np.empty((k, x.shape[1]), dtype=x.dtype)
    first = int(rng.integers(m))
    centres[0] = x[first]
    closest = np.maximum(sq - 2 * gram[first] + sq[first], 0)
    for c in range(1, k):
        total = closest.sum()
        if total <= 0:  # every row sits on a centre already: any row will do
            centres[c] = x[int(rng.integers(m))]
            continue
        picks = np.minimum(np.searchsorted(np.cumsum(closest), rng.random(trials) * total), m - 1)
        d = np.maximum(sq[picks, None] - 2 * gram[picks] + sq[None, :], 0)
        candidates = np.minimum(closest[None, :], d)
        best = int(candidates.sum(axis=1).argmin())
        closest = candidates[best]
        centres[c] = x[picks[best]]
    return centres


def _distances(vectors: np.ndarray) -> np.ndarray:
    """Euclidean distances between unit vectors (sqrt(2 - 2 cos)), computed once for every k."""
    gram = vectors @ vectors.T
    return np.sqrt(np.clip(2 - 2 * gram, 0, None), dtype=np.float32)


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette coefficient from precomputed distances, as sklearn's silhouette_score
    (a point alone in its cluster scores 0; fewer than 2 clusters score -1 here, never chosen).
    One matrix product per k instead of sklearn's chunked pass over the distances."""
    clusters, labels = np.unique(labels, return_inverse=True)
    k = len(clusters)
    if k < 2 or k >= len(labels):
        return -1.0
    onehot = np.zeros((len(labels), k), dtype=distances.dtype)
    onehot[np.arange(len(labels)), labels] = 1
    sums = distances @ onehot  # each point's total distance to each cluster
    sizes = onehot.sum(axis=0)
    own = sizes[labels]
    rows = np.arange(len(labels))
    a = sums[rows, labels] / np.maximum(own - 1, 1)
    mean_to = sums / sizes
    mean_to[rows, labels] = np.inf
    b = mean_to.min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(own > 1, (b - a) / np.maximum(a, b), 0.0)
    return float(np.nan_to_num(s).mean())


def _themes(texts: list[str], vectors: np.ndarray, labels: np.ndarray) -> list[Theme]:
    labels = np.unique(labels, return_inverse=True)[1].reshape(-1)  # 0..k-1 with none empty
    k = int(labels.max()) + 1 if len(labels) else 0
    terms = top_terms(texts, labels, k)
    themes = []
    for c in range(k):
        members = np.flatnonzero(labels == c)
        centre = vectors[members].mean(axis=0)
        closeness = vectors[members] @ centre
        order = members[np.lexsort((members, -closeness))]  # closest first, ties by position
        ordered = tuple(int(i) for i in order)
        themes.append(
            Theme(
                label=label_from_terms(terms[c]) or _fallback_label(texts[ordered[0]], c),
                terms=tuple(terms[c]),
                members=ordered,
                representative=ordered[0],
            )
        )
    themes.sort(key=lambda t: (-t.size, min(t.members)))
    return themes


def _fallback_label(text: str, number: int, words: int = 6) -> str:
    """For a theme with no distinctive word (empty or stop-word-only ideas): its central idea."""
    shown = " ".join(text.split()[:words])
    if not shown:
        return f"Theme {number + 1}"
    return shown + ("…" if len(text.split()) > words else "")
