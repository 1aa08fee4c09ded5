"""Helpers shared by the theme tests: ideas made directly (no rate limits) and a fake language
model whose vectors are bags of words, so grouping is predictable and nothing heavy loads."""

import hashlib
import uuid

import numpy as np

from compact import theming
from compact.theming.embedding import SEMANTIC, WORD_OVERLAP
from compact.workshops.models import Idea

TEXTS = [
    "Pay small charities on time",
    "Pay invoices within thirty days",
    "Late payment hurts small charities",
    "Fund small charities for three years",
    "Multi-year funding for small groups",
    "Longer funding cycles please",
    "Share data between the council and charities",
    "Open data on referrals",
    "Data sharing agreements for referrals",
]


def add_ideas(workshop, prompt, texts=TEXTS):
    return [
        Idea.objects.create(
            workshop=workshop, prompt=prompt, text=text, idempotency_key=uuid.uuid4(), author_name="Sam"
        )  # fmt: skip
        for text in texts
    ]


def fake_embed(texts):
    """Unit bag-of-words vectors (each word hashed to one of 384 dimensions)."""
    out = np.zeros((len(texts), theming.dimensions()), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in str(text).lower().split():
            out[row, int(hashlib.sha256(word.encode()).hexdigest(), 16) % theming.dimensions()] += 1
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


def use_language_model(monkeypatch) -> list:
    """The language model is 'installed' (a fake one); returns the list of texts it embedded."""
    calls = []

    def embed(texts):
        calls.append(list(texts))
        return fake_embed(texts)

    monkeypatch.setattr(theming, "embedding_backend", lambda: SEMANTIC)
    monkeypatch.setattr(theming, "embed", embed)
    return calls


def use_no_language_model(monkeypatch) -> None:
    def unavailable(texts):
        raise AssertionError("the model is not installed: nothing should call embed()")

    monkeypatch.setattr(theming, "embedding_backend", lambda: WORD_OVERLAP)
    monkeypatch.setattr(theming, "embed", unavailable)
