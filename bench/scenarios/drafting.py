"""Drafting: one document of 12 key areas x 100 commitments with 5,000 comments, 500
amendments, 20 versions and a consultation round of 1,000 responses (bench.seed_drafting).
Targets: the document page p95 under 300 ms; a diff of the first and last versions (every
commitment compared) under 1 s, as the compare page and as the diff alone; the "You said, we
did" exports (DOCX and CSV, about 6,000 comments, amendments and answers) under 5 s, and its
page (one key area open) under 300 ms.

Each page is checked before it is timed: the document page shows the first and last commitment
of the key area open, by number and text, and no commitment of another; the compare page shows
the summary of what changed; the account shows the first key area's commitments (and not the
second's) and counts every item the seed made, and the exports hold every one of them."""

from __future__ import annotations

import csv
import io
import zipfile

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
EXPORT_TARGET_MS = 5000


def _shows_only(shown: tuple[str, ...], hidden: tuple[str, ...]):
    """A check that the page shows every text in `shown` and none in `hidden` (the parts folded)."""
    shows_all = shows(*shown)

    def check(response):
        shows_all(response)
        body = response.content.decode()
        found = [text for text in hidden if text in body]
        if found:
            raise AssertionError(f"{response.wsgi_request.get_full_path()} shows {found!r}, which should be folded")

    return check


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
        "first_part": (url, _shows_only(
            ("Commitment 1.1", f"Commitment 1.{PER_AREA}", escape(first.statement)), ("Commitment 2.1",)
        )),
        "last_part": (f"{url}?part={KEY_AREAS}", _shows_only(
            (f"Commitment {KEY_AREAS}.{PER_AREA}", escape(last.statement)), ("Commitment 1.1",)
        )),
    }  # fmt: skip
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


def _holds(total: int, kind: str):
    """A check that an export is whole: the CSV has a row per item; the DOCX is a Word file with
    a "What we did" line per item."""

    def check(response):
        if kind == "csv":
            found = sum(1 for _row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) - 1
        else:
            xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
            found = xml.count("What we did: ")
        if found != total:
            raise AssertionError(f"The {kind} export holds {found} items, not {total}")

    return check


@scenario("drafting")
def you_said_we_did(ctx):
    """The account of the whole document: its page as it opens (the first key area, as an editor
    with a "Record what we did" link per item), and the DOCX and CSV exports of everything."""
    seed = drafting_seed(ctx)
    args = [seed.partnership.slug, seed.document.pk]
    total = seed.accounted  # counted as the seed made them, not by the code measured
    client = Client()
    client.force_login(seed.editor)
    results = [time_page(
        client, "drafting.you_said_we_did_page_first_part", [reverse("you_said_we_did", args=args)],
        n=max(ctx.n // 2, 10), warmup=ctx.warmup, target_ms=PAGE_TARGET_MS,
        check=_shows_only(("Commitment 1.1", "Record what we did", f'account-total">{total}<'), ("Commitment 2.1",)),
    )]  # fmt: skip
    for kind in ("docx", "csv"):
        results.append(time_page(
            client, f"drafting.you_said_we_did_{kind}", [reverse(f"you_said_we_did_{kind}", args=args)], n=10,
            warmup=1, target_ms=EXPORT_TARGET_MS, check=_holds(total, kind),
        ))  # fmt: skip
    return results
