"""Decisions: counting at scale. Instant-runoff over 100,000 ballots and 12 options must take
under 2 s; a 1,000-ballot count (the size of a large real poll) is measured too."""

from __future__ import annotations

import random
import time

from bench.measure import PageTiming
from bench.registry import scenario
from compact.decisions.tally import tally_dots, tally_ranked

OPTIONS = [f"option-{i}" for i in range(1, 13)]


def _ranked_ballots(n: int, rng: random.Random) -> list[list[str]]:
    """Realistic rankings: people rank a few favourites, skewed towards popular options."""
    weights = [1 / (i + 1) for i in range(len(OPTIONS))]
    ballots = []
    for _ in range(n):
        length = rng.randint(1, len(OPTIONS))
        ranking: list[str] = []
        while len(ranking) < length:
            choice = rng.choices(OPTIONS, weights)[0]
            if choice not in ranking:
                ranking.append(choice)
        ballots.append(ranking)
    return ballots


def _time(name: str, fn, *, runs: int, target_ms: float | None) -> PageTiming:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return PageTiming(name=name, samples_ms=samples, queries=0, target_ms=target_ms)


@scenario("decisions")
def tallies(ctx):
    rng = random.Random(2026)
    big = _ranked_ballots(100_000, rng)
    distinct = [rng.sample(OPTIONS, len(OPTIONS)) for _ in range(100_000)]  # every ballot different
    poll = big[:1000]
    dots = [{rng.choice(OPTIONS): 3, rng.choice(OPTIONS): 2} for _ in range(5000)]
    runs = max(5, ctx.n // 6)
    return [
        _time("decisions.tally_ranked_100k", lambda: tally_ranked(big, options=OPTIONS), runs=runs, target_ms=2000),
        _time(
            "decisions.tally_ranked_100k_distinct",
            lambda: tally_ranked(distinct, options=OPTIONS),
            runs=runs,
            target_ms=2000,
        ),
        _time("decisions.tally_ranked_1k", lambda: tally_ranked(poll, options=OPTIONS), runs=ctx.n, target_ms=None),
        _time("decisions.tally_dots_5k", lambda: tally_dots(dots, options=OPTIONS), runs=ctx.n, target_ms=None),
    ]
