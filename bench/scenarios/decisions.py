"""Decisions: counting at scale, and the decision pages of a busy partnership.

Instant-runoff over 100,000 ballots and 12 options must take under 2 s; a 1,000-ballot count
(the size of a large real poll) is measured too. Then the decision log, the results of closed
proposals of every method (a 1,000-ballot ranked-choice vote among them) and a process page
with its adopted statements, over 200 proposals and 6,000 votes (bench.seed_decisions)."""

from __future__ import annotations

import random
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from bench.measure import shows, time_call, time_page
from bench.registry import scenario
from bench.seed_decisions import decisions_seed
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


@scenario("decisions")
def tallies(ctx):
    rng = random.Random(2026)
    big = _ranked_ballots(100_000, rng)
    distinct = [rng.sample(OPTIONS, len(OPTIONS)) for _ in range(100_000)]  # every ballot different
    poll = big[:1000]
    dots = [{rng.choice(OPTIONS): 3, rng.choice(OPTIONS): 2} for _ in range(5000)]
    runs = max(5, ctx.n // 6)
    return [
        time_call("decisions.tally_ranked_100k", lambda: tally_ranked(big, options=OPTIONS), runs=runs, target_ms=2000),
        time_call(
            "decisions.tally_ranked_100k_distinct",
            lambda: tally_ranked(distinct, options=OPTIONS),
            runs=runs,
            target_ms=2000,
        ),
        time_call("decisions.tally_ranked_1k", lambda: tally_ranked(poll, options=OPTIONS), runs=ctx.n, target_ms=None),
        time_call("decisions.tally_dots_5k", lambda: tally_dots(dots, options=OPTIONS), runs=ctx.n, target_ms=None),
    ]


def _verify(client, urls: list[str], check) -> None:
    """Every URL of a page answers 200 with the page meant (time_page checks only one)."""
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        check(response)


@scenario("decisions")
def pages(ctx):
    seed = decisions_seed(ctx)
    client = Client()
    client.force_login(seed.chair)  # a convenor who co-chairs the group
    slug = seed.core.partnership.slug
    log = reverse("decision_log", args=[slug])

    def detail(pk):
        return reverse("proposal_detail", args=[slug, pk])

    log_urls = [log] + [f"{log}?page={p}" for p in range(2, seed.pages + 1)]
    log_urls += [f"{log}?{urlencode({'q': t})}" for t in seed.search_terms[:3]]
    log_urls += [
        f"{log}?{urlencode({'status': 'closed'})}",
        f"{log}?{urlencode({'status': 'closed', 'page': 2})}",
        f"{log}?{urlencode({'status': 'open', 'body': seed.body.pk})}",
        f"{log}?{urlencode({'process': seed.process.pk})}",
    ]
    # Two closed proposals of each method, then the 1,000-ballot ranked-choice vote.
    result_urls = [detail(pk) for pks in seed.closed_by_method.values() for pk in pks[-2:] if pk != seed.big_ranked]
    result_urls.append(detail(seed.big_ranked))
    big = [detail(seed.big_ranked)]
    process = [reverse("process_detail", args=[slug, seed.process.slug])]

    pages = [
        ("decisions.decision_log", log_urls, shows("Decisions</h1>", 'compact-break"><a class="govuk-link"')),
        ("decisions.proposal_result", result_urls, shows('id="results"', "Outcome</h2>", "voted.")),
        ("decisions.proposal_result_ranked_1k", big, shows("Round 1:", "1000 people have voted", "Outcome</h2>")),
        ("decisions.process_page", process, shows("Purpose, vision and priorities", "Version 3, adopted")),
    ]
    metrics = []
    for name, urls, check in pages:
        _verify(client, urls, check)
        metrics.append(time_page(client, name, urls, n=ctx.n, warmup=ctx.warmup, check=check))
    return metrics
