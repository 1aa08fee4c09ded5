"""Case studies: a library of 2,000 (bench.seed_casestudies). Target: p95 under 150 ms for search
and filter, and for a case study page.

The members' library is timed as an editor, who sees all 2,000 (every state): unfiltered (its
first and last page), searched for a common word (~20% of case studies) and a rare one (~1%),
each filter alone (cycling through its values), and filters combined; and once as a plain member
(published ones and their own). The public library (published on the web, searched in the
published version) is timed searched and filtered. Then a case study's page as an editor sees it
(with the readability check and the consent table) and its public page.

Every URL is checked before it is timed against what the seed says it should show, worked out
here without the app's selectors: the number found, the first and last case study of the page
and, where there is one, that the next page's first case study is not on it."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from bench.measure import shows, time_page
from bench.registry import scenario
from bench.seed_casestudies import COMMON_WORD, RARE_WORD, CaseStudySeed, Record, casestudies_seed
from compact.casestudies.models import ClinicalArea, Status, Version
from compact.casestudies.views.library import PAGE_SIZE

TARGET_MS = 150
EDITOR, MEMBER, PUBLIC = "editor", "member", "public"


def _visible(r: Record, viewer: str) -> bool:
    if viewer == EDITOR:
        return True
    if viewer == MEMBER:
        return r.status == Status.PUBLISHED or r.mine
    return r.status == Status.PUBLISHED and r.web


def _matches(r: Record, word: str, viewer: str) -> bool:
    if viewer == EDITOR:  # both versions
        return word in r.named_words or word in r.anonymised_words
    if r.status == Status.PUBLISHED:  # everyone else: a published case study's published version
        return word in (r.named_words if r.version == Version.NAMED else r.anonymised_words)
    return word in r.named_words  # their own, as written


def _features(r: Record, org_id: str, viewer: str) -> bool:
    """Only editors find an anonymised published case study by the organisations it leaves out."""
    if viewer != EDITOR and r.status == Status.PUBLISHED and r.version == Version.ANONYMISED:
        return False
    return org_id in r.organisations


def _has_tag(r: Record, tag: str) -> bool:
    """?tag=core20, plus-<PLUS group pk> or area-<clinical area>."""
    if tag == "core20":
        return r.core20
    if tag.startswith("plus-"):
        return int(tag.removeprefix("plus-")) in r.plus_groups
    return tag.removeprefix("area-") in r.clinical_areas


def expected(seed: CaseStudySeed, viewer: str, params: dict) -> list[Record]:
    """The case studies a library URL lists, in the library's order (newest change first)."""
    found = [r for r in seed.records if _visible(r, viewer)]
    tests = {
        "q": lambda r, v: _matches(r, v, viewer),
        "key_area": lambda r, v: int(v) in r.key_areas,
        "place": lambda r, v: v in r.places,
        "organisation": lambda r, v: _features(r, v, viewer),
        "status": lambda r, v: r.status == v,
        "tag": _has_tag,
    }
    for key, value in params.items():
        if key != "page":
            found = [r for r in found if tests[key](r, value)]
    return sorted(found, key=lambda r: (r.updated_at, r.pk), reverse=True)


def _library_check(seed: CaseStudySeed, viewer: str, params: dict):
    """The count shown, the first and last case study of the page, and not the next page's first."""
    found = expected(seed, viewer, params)
    n = len(found)
    page = int(params.get("page", 1))
    on_page = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    after = found[page * PAGE_SIZE] if len(found) > page * PAGE_SIZE else None
    filtered = any(k != "page" for k in params)
    slug = seed.partnership.slug

    def marker(r: Record) -> str:
        if viewer == PUBLIC:
            return f'href="{reverse("public_case_study", args=[slug, r.pk])}"'
        return f'id="pick-{r.pk}"'

    def title(r: Record) -> str:
        """Editors and authors read the named version; others a published one's published version."""
        own = viewer == EDITOR or (viewer == MEMBER and r.by_member)
        return escape(r.anonymised_title if not own and r.version == Version.ANONYMISED else r.title)

    what = "case study" if n == 1 else "case studies"
    searched = (" matches" if n == 1 else " match") + " your search" if filtered else ""
    texts = [f"<strong>{n}</strong> {what}{searched}</p>"]
    texts += [t for r in on_page[:1] + on_page[-1:] for t in (marker(r), title(r))] or ["No case studies found."]
    positive = shows(*texts)

    def check(response):
        positive(response)
        if after is not None and marker(after) in response.content.decode():
            raise AssertionError(f"{response.wsgi_request.get_full_path()} shows #{after.pk} of the next page")

    return check, n


def _by_url(checks: dict):
    """One check for time_page (which checks the last warm-up response) from a check per URL."""

    def check(response):
        checks[response.wsgi_request.get_full_path()](response)

    return check


def _verify(client, checks: dict) -> None:
    """Every URL of a page answers 200 with the page meant (time_page checks only one)."""
    for url, check in checks.items():
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        check(response)


def _timed(ctx, client, name: str, checks: dict, note: str = ""):
    _verify(client, checks)
    urls = list(checks)
    timing = time_page(
        client, name, urls, n=ctx.n, warmup=ctx.warmup, target_ms=TARGET_MS, check=_by_url(checks)
    )  # fmt: skip
    size = len(client.get(urls[0]).content)
    ctx.log(
        f"{name}: p50 {timing.p50:.1f} ms, p95 {timing.p95:.1f} ms, {timing.queries} queries, "
        f"{size:,} bytes, {len(urls)} URL{'s' if len(urls) > 1 else ''}{note}"
    )
    return timing


def _library(ctx, seed, client, viewer: str, name: str, param_sets: list[dict]):
    base = reverse("public_case_studies" if viewer == PUBLIC else "casestudy_library", args=[seed.partnership.slug])
    checks, found = {}, []
    for params in param_sets:
        url = f"{base}?{urlencode(params)}" if params else base
        checks[url], n = _library_check(seed, viewer, params)
        found.append(n)
    return _timed(
        ctx, client, name, checks, f", found {min(found)}-{max(found)}" if len(found) > 1 else f", found {found[0]}"
    )


@scenario("casestudies")
def library(ctx):
    seed = casestudies_seed(ctx)
    editor, member, public = Client(), Client(), Client()
    editor.force_login(seed.editor)
    member.force_login(seed.member)
    last = math.ceil(len(seed.records) / PAGE_SIZE)
    key_areas = [str(k.pk) for k in seed.key_areas]
    places, orgs = seed.borough_codes, seed.org_ids
    plus = [f"plus-{g.pk}" for g in seed.plus_groups]
    combined = [
        {"q": COMMON_WORD, "key_area": key_areas[0], "place": places[0]},
        {"tag": "core20", "status": Status.PUBLISHED, "organisation": orgs[0]},
        {"key_area": key_areas[2], "place": places[4], "tag": plus[1]},
        {"q": "carers", "tag": f"area-{ClinicalArea.SMI}", "status": Status.PUBLISHED},
    ]
    pages = [
        (EDITOR, "casestudies.library", [{}]),
        (EDITOR, "casestudies.library_last_page", [{"page": last}]),
        (EDITOR, "casestudies.search_common_word", [{"q": COMMON_WORD}]),
        (EDITOR, "casestudies.search_rare_word", [{"q": RARE_WORD}]),
        (EDITOR, "casestudies.filter_key_area", [{"key_area": k} for k in key_areas]),
        (EDITOR, "casestudies.filter_place", [{"place": p} for p in places]),
        (EDITOR, "casestudies.filter_organisation", [{"organisation": o} for o in orgs[:6]]),
        (EDITOR, "casestudies.filter_core20", [{"tag": "core20"}]),
        (EDITOR, "casestudies.filter_plus_group", [{"tag": p} for p in plus]),
        (EDITOR, "casestudies.filter_clinical_area", [{"tag": f"area-{a}"} for a in ClinicalArea.values]),
        (EDITOR, "casestudies.filter_status", [{"status": s} for s in Status.values]),
        (EDITOR, "casestudies.filter_combined", combined),
        (MEMBER, "casestudies.library_as_member", [{}, {"q": COMMON_WORD}]),
        (PUBLIC, "casestudies.public_search", [{"q": COMMON_WORD}, {"q": RARE_WORD}, {"q": "carers"}]),
        (PUBLIC, "casestudies.public_filter", [{"place": p} for p in places[:6]]
         + [{"q": COMMON_WORD, "key_area": k} for k in key_areas[:3]] + [{"tag": "core20", "place": places[1]}]),
    ]  # fmt: skip
    clients = {EDITOR: editor, MEMBER: member, PUBLIC: public}
    return [_library(ctx, seed, clients[viewer], viewer, name, params) for viewer, name, params in pages]


@scenario("casestudies")
def pages(ctx):
    seed = casestudies_seed(ctx)
    slug = seed.partnership.slug
    editor, public = Client(), Client()
    editor.force_login(seed.editor)
    # As an editor: three of each state but withdrawn (whose page has neither readability nor
    # consent for an editor), those with the most people and organisations featured.
    chosen = []
    for status in Status.values:
        if status != Status.WITHDRAWN:
            ones = sorted((r for r in seed.records if r.status == status), key=lambda r: (-r.subjects, r.pk))
            chosen += ones[:3]
    editor_checks = {
        reverse("casestudy_detail", args=[slug, r.pk]): shows(
            escape(r.title), "How easy it is to read", "Consent from each organisation and person featured",
            *([escape(r.person)] if r.person else []),
        )
        for r in chosen
    }  # fmt: skip
    on_web = [r for r in seed.records if r.status == Status.PUBLISHED and r.web]
    named = [r for r in on_web if r.version == Version.NAMED][:14]
    anonymised = [r for r in on_web if r.version == Version.ANONYMISED][:6]
    public_checks = {
        reverse("public_case_study", args=[slug, r.pk]): shows(
            escape(r.title if r.version == Version.NAMED else r.anonymised_title),
            "with the consent of the people and organisations in it",
        )
        for r in named + anonymised
    }
    return [
        _timed(ctx, editor, "casestudies.casestudy_page_editor", editor_checks, f", {len(editor_checks)} case studies"),
        _timed(ctx, public, "casestudies.casestudy_page_public", public_checks, f", {len(public_checks)} case studies"),
    ]
