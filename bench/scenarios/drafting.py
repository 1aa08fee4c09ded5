"""Drafting: one document of 12 key areas x 100 commitments with 5,000 comments, 500
amendments and 20 versions (bench.seed_drafting). Targets: the document page p95 under 300 ms;
a diff of the first and last versions (every commitment compared) under 1 s, as the compare
page and as the diff alone.

Each page is checked before it is timed: the document page shows the first and last commitment
of the key area open, by number and text; the compare page shows the summary of what changed."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from bench.measure import shows, time_call, time_page
from bench.registry import scenario
from bench.seed_drafting import KEY_AREAS, PER_AREA, drafting_seed
from compact.drafting import diffing
from compact.drafting.models import Block, BlockKind

PAGE_TARGET_MS = 300
DIFF_TARGET_MS = 1000


def _ends(document):
    commitments = Block.objects.filter(document=document, kind=BlockKind.COMMITMENT).order_by(
        "parent__position", "position"
    )
    return commitments.first(), commitments.last()


@scenario("drafting")
def document_page(ctx):
    """A document this long opens one key area at a time (decision 0006): the first key area as
    it opens, and the last one (?part=12), as an editor (with the edit links) and a member."""
    seed = drafting_seed(ctx)
    url = reverse("document_detail", args=[seed.partnership.slug, seed.document.pk])
    first, last = _ends(seed.document)
    parts = {
        "first_part": (url, shows("Commitment 1.1", f"Commitment 1.{PER_AREA}", escape(first.statement))),
        "last_part": (f"{url}?part={KEY_AREAS}", shows(f"Commitment {KEY_AREAS}.{PER_AREA}", escape(last.statement))),
    }
    results = []
    for who, user in (("editor", seed.editor), ("member", seed.member)):
        client = Client()
        client.force_login(user)
        for part, (address, check) in parts.items():
            results.append(time_page(
                client, f"drafting.document_page_{part}_{who}", [address], n=max(ctx.n // 2, 10), warmup=ctx.warmup,
                target_ms=PAGE_TARGET_MS, check=check,
            ))  # fmt: skip
    return results


@scenario("drafting")
def full_diff(ctx):
    seed = drafting_seed(ctx)
    old, new = seed.first.snapshot, seed.last.snapshot
    alone = time_call(
        "drafting.diff_first_last_versions", lambda: diffing.diff_snapshots(old, new), runs=10, target_ms=DIFF_TARGET_MS
    )
    client = Client()
    client.force_login(seed.member)
    base = reverse("version_compare", args=[seed.partnership.slug, seed.document.pk])
    pages = []
    for view in ("inline", "side"):
        url = f"{base}?from={seed.first.number}&to={seed.last.number}&view={view}"
        pages.append(time_page(
            client, f"drafting.compare_page_{view}", [url], n=10, warmup=1, target_ms=DIFF_TARGET_MS,
            check=shows(f"From version {seed.first.number} to version {seed.last.number}", "changed,"),
        ))  # fmt: skip
    return [alone, *pages]
