import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import silhouette_score

from compact.theming import Theme, cluster_labels, suggest_themes
from compact.theming.clustering import _distances, silhouette

from .conftest import blobs, partition


def texts_for(truth):
    words = ["funding grants money", "transport buses travel", "housing homes rent", "health doctors care"]
    words += [f"topic{c} words{c}" for c in range(4, 20)]
    return [f"{words[c]} idea {i}" for i, c in enumerate(truth)]


def members(themes):
    return sorted(i for t in themes for i in t.members)


def test_silhouette_chooses_the_obvious_k():
    for sizes in ([20, 20, 20, 20], [15, 30, 10], [12] * 7):
        vectors, truth = blobs(sizes)
        labels = cluster_labels(vectors)
        assert partition(labels) == partition(truth), sizes


def test_themes_are_named_ordered_and_cover_every_idea_once():
    vectors, truth = blobs([10, 25, 15])
    texts = texts_for(truth)
    themes = suggest_themes(texts, vectors)
    assert [t.size for t in themes] == [25, 15, 10]
    assert members(themes) == list(range(50))
    assert themes[0].label.startswith(("Transport", "Buses", "Travel"))
    assert themes[0].terms[0][0] in {"transport", "buses", "travel", "buses travel", "transport buses"}
    for theme in themes:
        assert theme.representative == theme.members[0]
        assert {truth[i] for i in theme.members} == {truth[theme.representative]}


def test_members_start_with_the_idea_closest_to_the_centre():
    vectors, truth = blobs([10, 10], spread=0.2)
    for theme in suggest_themes(texts_for(truth), vectors):
        centre = vectors[list(theme.members)].mean(axis=0)
        closeness = vectors[list(theme.members)] @ centre
        assert list(closeness) == sorted(closeness, reverse=True)


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
def test_explicit_k_is_honoured(k):
    vectors, truth = blobs([10, 10, 10])
    themes = suggest_themes(texts_for(truth), vectors, k=k)
    assert len(themes) == k
    assert members(themes) == list(range(30))


def test_k_range_is_honoured():
    vectors, _ = blobs([10] * 6)
    assert cluster_labels(vectors, k_max=4).max() + 1 <= 4
    assert cluster_labels(vectors, k_min=8).max() + 1 >= 8


def test_no_texts():
    assert suggest_themes([]) == []
    assert suggest_themes([], np.zeros((0, 384))) == []


def test_one_text():
    (theme,) = suggest_themes(["Fund small charities"], np.ones((1, 4)))
    assert theme == Theme(label="Charities · Fund · Small", terms=theme.terms, members=(0,), representative=0)


def test_two_texts_make_one_theme_unless_asked():
    vectors, _ = blobs([1, 1])
    assert len(suggest_themes(["Parks", "Buses"], vectors)) == 1
    assert sorted(len(t.members) for t in suggest_themes(["Parks", "Buses"], vectors, k=2)) == [1, 1]


def test_identical_texts_make_one_sensible_theme():
    vector = blobs([1])[0]
    themes = suggest_themes(["Better buses"] * 12, np.repeat(vector, 12, axis=0))
    assert len(themes) == 1
    assert themes[0].label == "Better buses"
    assert themes[0].members == tuple(range(12))
    # Asking for more themes than there are distinct ideas gives what there is.
    assert len(suggest_themes(["Better buses"] * 12, np.repeat(vector, 12, axis=0), k=5)) == 1


def test_duplicates_always_share_a_theme():
    vectors, truth = blobs([8, 8, 8])
    vectors = np.vstack([vectors, vectors[:5], vectors[9:11]])
    labels = cluster_labels(vectors)
    for copy, original in zip(range(24, 31), [0, 1, 2, 3, 4, 9, 10], strict=True):
        assert labels[copy] == labels[original]
    # Ties in the last bits (the same text embedded in two batches) count as duplicates too.
    nudged = vectors.copy()
    nudged[24] += 1e-7
    assert cluster_labels(nudged)[24] == cluster_labels(nudged)[0]


def test_empty_and_unicode_texts():
    vectors, truth = blobs([5, 5])
    texts = ["", "   ", "日本語のアイデア", "Ärzte vor Ort", "!!!", "buses", "buses and trains", "", "trains", "🚌"]
    themes = suggest_themes(texts, vectors)
    assert members(themes) == list(range(10))
    assert all(t.label for t in themes)


def test_themes_without_words_are_labelled_by_their_central_idea():
    vectors, _ = blobs([3, 3])
    themes = suggest_themes(["", "", "", "the", "and", "of"], vectors, k=2)
    by_first = {t.members[0] < 3: t.label for t in themes}
    assert by_first[True].startswith("Theme ")  # empty ideas: no words at all
    assert by_first[False] in {"the", "and", "of"}  # stop words only: the central idea itself


def test_same_input_same_themes():
    vectors, truth = blobs([30, 20, 25, 5], spread=0.3)
    texts = texts_for(truth)
    assert suggest_themes(texts, vectors) == suggest_themes(texts, vectors)
    assert suggest_themes(texts, vectors, random_state=3) == suggest_themes(texts, vectors, random_state=3)


def test_bad_vectors_are_refused():
    with pytest.raises(ValueError, match="one vector per text"):
        suggest_themes(["a", "b"], np.zeros((3, 4)))
    with pytest.raises(ValueError, match="finite"):
        suggest_themes(["a", "b"], np.array([[np.nan, 1], [1, 0]]))


def test_silhouette_matches_scikit_learn():
    vectors, _ = blobs([20, 30, 10], spread=0.6, seed=4)
    rng = np.random.default_rng(1)
    for k in (2, 3, 7):
        labels = rng.integers(0, k, len(vectors))
        labels[:k] = range(k)
        assert silhouette(_distances(vectors), labels) == pytest.approx(silhouette_score(vectors, labels), abs=1e-4)
    assert silhouette(_distances(vectors), np.zeros(len(vectors), dtype=int)) == -1.0


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=3, max_value=15), min_size=2, max_size=6),
    seed=st.integers(0, 2**16),
    data=st.data(),
)
def test_partition_does_not_depend_on_input_order(sizes, seed, data):
    vectors, truth = blobs(sizes, seed=seed)
    order = np.array(data.draw(st.permutations(range(len(truth)))))
    texts = texts_for(truth)
    themes = suggest_themes(texts, vectors)
    shuffled = suggest_themes([texts[i] for i in order], vectors[order])
    assert members(themes) == list(range(len(truth)))
    assert members(shuffled) == list(range(len(truth)))
    back = {frozenset(int(order[i]) for i in t.members) for t in shuffled}
    assert back == {frozenset(t.members) for t in themes}
    if min(sizes) >= 6:
        # Well-separated themes are found. A tiny one (3 of 60 ideas) may be folded into its
        # neighbour: silhouette barely changes, and we prefer the fewer themes within 5% of the best.
        assert back == partition(truth)


def test_kmeans_labels_finds_separate_clusters_and_matches_scikit_learn():
    """The numpy KMeans that choosing k uses (kmeans_labels) finds what scikit-learn's does."""
    from sklearn.cluster import KMeans

    from compact.theming.clustering import kmeans_labels

    vectors, truth = blobs([25, 40, 10, 30, 15], spread=0.08, seed=3)
    ours = kmeans_labels(vectors, 5, n_init=3, seed=0)
    theirs = KMeans(n_clusters=5, n_init=3, random_state=0).fit_predict(vectors)
    assert partition(ours) == partition(truth) == partition(theirs)
    assert (kmeans_labels(vectors, 5, n_init=3, seed=0) == ours).all()  # the same seed, the same result
    # More clusters than there are groups still gives a label to every row, with none empty.
    many = kmeans_labels(vectors, 12, n_init=1, seed=1)
    assert len(many) == len(vectors) and len(set(many.tolist())) == 12


def test_kmeans_labels_copes_with_rows_that_coincide():
    from compact.theming.clustering import kmeans_labels

    vectors = np.repeat(np.eye(3, dtype=np.float32), 4, axis=0)  # three points, four times each
    labels = kmeans_labels(vectors, 3, n_init=2, seed=0)
    assert partition(labels) == partition(np.repeat([0, 1, 2], 4))
    assert len(kmeans_labels(vectors, 5, n_init=1, seed=0)) == 12  # more centres than places: no error
