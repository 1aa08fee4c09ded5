"""Core pages at ICS scale: 2,000 organisations, 3,000 people, 20 processes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from bench.measure import time_page
from bench.registry import scenario
from bench.seed import core_partnership


def _contains(text: str):
    def check(response):
        body = response.content.decode()
        if text not in body:
            raise AssertionError(f"{response.wsgi_request.get_full_path()} does not show {text!r}")

    return check


def _partial(response):
    body = response.content.decode()
    if "<html" in body or "organisation" not in body:
        raise AssertionError("The HTMX request did not answer with the results partial")


@scenario("core")
def pages(ctx):
    seed = core_partnership(ctx)
    client = Client()
    client.force_login(seed.convenor)
    slug = seed.partnership.slug
    directory = reverse("organisation_directory", args=[slug])
    n, warmup = ctx.n, ctx.warmup

    def search(terms):
        return [f"{directory}?{urlencode({'q': t})}" for t in terms]

    pages = [
        ("core.dashboard", [reverse("dashboard")], {}, _contains("Your processes")),
        # Unfiltered: walk the pages of the directory (40 pages of 50).
        (
            "core.directory",
            [directory] + [f"{directory}?page={p}" for p in range(2, 41)],
            {},
            _contains("organisations</p>"),
        ),
        ("core.directory_search", search(seed.search_terms), {}, _contains("match your filters")),
        (
            "core.directory_filter",
            [
                f"{directory}?{urlencode({'kind': 'vcse', 'place': code, 'size': 'small'})}"
                for code in seed.borough_codes
            ],
            {},
            _contains("match your filters"),
        ),
        ("core.directory_htmx", search(seed.search_terms), {"HX-Request": "true"}, _partial),
        (
            "core.organisation",
            [reverse("organisation_detail", args=[slug, o]) for o in seed.org_ids],
            {},
            _contains("People in this partnership"),
        ),
        ("core.partnership", [reverse("partnership_detail", args=[slug])], {}, _contains("Processes")),
        ("core.process", [reverse("process_detail", args=[slug, s]) for s in seed.process_slugs], {}, None),
    ]
    return [
        time_page(client, name, urls, n=n, warmup=warmup, headers=headers, check=check)
        for name, urls, headers, check in pages
    ]
