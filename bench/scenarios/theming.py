"""Theming: suggesting themes for workshop ideas, its speed and its quality.

- Speed: suggest_themes over 300 and 5,000 ideas whose vectors are already stored (targets 1 s and
  5 s). The vectors are MiniLM vectors of StackOverflow titles when the data and the optional extra
  are here; otherwise unit vectors around 12 random directions (noted in the log).
- Embedding throughput (ideas a second) over 1,040 Polis comments (the test fixture, ten times).
- Quality: NMI (x100) of the themes chosen with k left to silhouette against the STC2 labels,
  StackOverflow (20,000 titles, 20 classes, target 70) and SearchSnippets (12,340 snippets,
  8 classes, target 59), and the k chosen. Embedding both sets takes ~3 minutes on 2 cores;
  THEMING_BENCH_SAMPLE=5000 uses a random sample of each instead.

The STC2 sets are read from shared/data/stc2 beside the repository when present (never copied
into it), and skipped with a note when absent or when the extra is not installed.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bench.measure import time_call
from bench.registry import scenario
from compact import theming
from compact.theming import embedding

STC2 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "stc2"
FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "theming" / "fixtures" / "polis_comments.csv"
DATASETS = {"StackOverflow": 70.0, "SearchSnippets": 59.0}  # NMI targets


@dataclass
class Score:
    """A figure that is not a page time (NMI, k, ideas a second), in bench's record format and table."""

    name: str
    value: float
    unit: str
    target: float | None = None
    better: str | None = "higher"  # None: no direction (the k chosen)
    n: int = 1
    notes: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        if self.target is None:
            return True
        return self.value >= self.target if self.better != "lower" else self.value <= self.target

    def records(self, when: str) -> list[dict]:
        return [
            {
                "name": self.name,
                "value": round(self.value, 2),
                "unit": self.unit,
                "target": self.target,
                "better": self.better,
                "n": self.n,
                "when": when,
            }
        ]

    def row(self) -> dict:
        return {
            "name": f"{self.name} ({self.unit})",
            "p50": self.value,
            "p95": self.value,
            "target": self.target,
            "cpu_p50": None,
            "queries": 0,
            "passed": self.passed,
        }


@dataclass
class Dataset:
    texts: list[str]
    labels: np.ndarray
    vectors: np.ndarray
    counts: dict


def _skip(ctx, name: str, why: str) -> None:
    ctx.log(f"Skipped {name}: {why}")


def _missing_stc2() -> str | None:
    if not embedding.extra_installed():
        return "the optional extra is not installed (pip install -r requirements-embeddings.txt)"
    if not STC2.is_dir():
        return f"{STC2} is absent (the STC2 short-text sets are read from shared/data when present)"
    return None


def _stc2(ctx, name: str) -> Dataset:
    """A labelled STC2 set, embedded once per run."""

    def build():
        # SearchSnippets starts with a UTF-8 byte order mark; utf-8-sig drops it.
        texts = (STC2 / f"{name}.txt").read_text(encoding="utf-8-sig").splitlines()
        labels = np.array((STC2 / f"{name}_gnd.txt").read_text().split(), dtype=int)
        if len(texts) != len(labels):
            raise ValueError(f"{name}: {len(texts)} texts but {len(labels)} labels")
        sample = int(os.environ.get("THEMING_BENCH_SAMPLE", 0))
        if 0 < sample < len(texts):
            rows = np.sort(np.random.default_rng(0).choice(len(texts), sample, replace=False))
            texts, labels = [texts[i] for i in rows], labels[rows]
        started = time.perf_counter()
        vectors = theming.embed(texts)
        rate = len(texts) / (time.perf_counter() - started)
        ctx.log(f"Embedded {len(texts):,} {name} texts at {rate:.0f} a second")
        return Dataset(texts, labels, vectors, {f"{name.lower()}_texts": len(texts)})

    return ctx.seed(f"theming.{name}", build)


def _stored_ideas(ctx, n: int) -> tuple[list[str], np.ndarray, str]:
    """n ideas with stored vectors: StackOverflow titles if we have them, else synthetic."""
    if _missing_stc2() is None:
        data = _stc2(ctx, "StackOverflow")
        rows = np.random.default_rng(n).choice(len(data.texts), n, replace=False)
        return [data.texts[i] for i in rows], data.vectors[rows], "StackOverflow titles"
    rng = np.random.default_rng(n)
    centres = rng.normal(size=(12, theming.dimensions()))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = centres[rng.integers(0, 12, n)] + 0.06 * rng.normal(size=(n, theming.dimensions()))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    comments = _fixture_texts()
    return [comments[i % len(comments)] for i in range(n)], vectors, "synthetic vectors around 12 directions"


def _fixture_texts() -> list[str]:
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f)]


@scenario("theming")
def suggest_speed(ctx):
    metrics = []
    for n, target, runs in ((300, 1000, max(10, ctx.n // 3)), (5000, 5000, 5)):
        texts, vectors, source = _stored_ideas(ctx, n)
        themes = theming.suggest_themes(texts, vectors)
        ctx.log(f"theming.suggest_{n}: {len(themes)} themes from {source}; largest: {themes[0].label!r}")
        metrics.append(
            time_call(
                f"theming.suggest_{n}",
                lambda t=texts, v=vectors: theming.suggest_themes(t, v),
                runs=runs,
                target_ms=target,
            )
        )
    # A peer in the same run, for a ratio that holds on a noisy machine: one plain KMeans fit
    # (k = 20, 3 starts, scikit-learn's default threads) on the same 5,000 vectors.
    from sklearn.cluster import KMeans

    metrics.append(
        time_call(
            "theming.peer_kmeans_5000",
            lambda v=vectors: KMeans(n_clusters=20, n_init=3, random_state=0).fit(v),
            runs=5,
            target_ms=None,
        )
    )
    return metrics


@scenario("theming")
def embedding_throughput(ctx):
    if not embedding.extra_installed():
        _skip(
            ctx, "theming.embed_*", "the optional extra is not installed (pip install -r requirements-embeddings.txt)"
        )
        return []
    # A cold start as a web worker sees it (imports, SHA-256 of 91 MB, building the encoder), in a
    # fresh process: this one may have loaded the model already.
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from compact.theming import load_model; load_model()"],
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    load_ms = (time.perf_counter() - started) * 1000
    texts = _fixture_texts() * 10
    theming.embed(texts[:64])  # warm up
    rates = []
    for _ in range(3):
        started = time.perf_counter()
        theming.embed(texts)
        rates.append(len(texts) / (time.perf_counter() - started))
    return [
        Score("theming.embed_throughput", float(np.median(rates)), "ideas/s", n=len(rates)),
        Score("theming.model_cold_load", load_ms, "ms", better="lower"),
    ]


@scenario("theming")
def quality(ctx):
    from sklearn.metrics import normalized_mutual_info_score

    why = _missing_stc2()
    if why:
        for name in DATASETS:
            _skip(ctx, f"theming.nmi_{name.lower()}", why)
        return []
    metrics = []
    for name, target in DATASETS.items():
        data = _stc2(ctx, name)
        started = time.perf_counter()
        labels = theming.cluster_labels(data.vectors)
        seconds = time.perf_counter() - started
        k = int(labels.max()) + 1
        nmi = 100 * normalized_mutual_info_score(data.labels, labels)
        true_k = len(np.unique(data.labels))
        ctx.log(
            f"theming.nmi_{name.lower()}: {nmi:.1f} with k={k} (true k {true_k}), {len(labels):,} texts, {seconds:.1f}s"
        )
        metrics += [
            Score(f"theming.nmi_{name.lower()}", nmi, "NMI x100", target=target),
            Score(f"theming.k_{name.lower()}", k, f"k (true {true_k})", better=None),
        ]
    return metrics
