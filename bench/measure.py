"""Timing pages with django.test.Client, and turning timings into DESIGN.md §7 records."""

from __future__ import annotations

import gc
import itertools
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

DEFAULT_TARGET_MS = 150.0


def percentile(samples: list[float], pct: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class PageTiming:
    """Server times of one page over n requests, plus the queries one request makes."""

    name: str  # e.g. "core.dashboard"
    samples_ms: list[float]
    queries: int
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time per request
    target_ms: float | None = DEFAULT_TARGET_MS
    notes: dict = field(default_factory=dict)

    @property
    def p50(self) -> float:
        return percentile(self.samples_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)

    @property
    def passed(self) -> bool:
        return self.target_ms is None or self.p95 <= self.target_ms

    def records(self, when: str) -> list[dict]:
        n = len(self.samples_ms)
        return [
            {
                "name": f"{self.name}.p50_ms",
                "value": round(self.p50, 2),
                "unit": "ms",
                "target": None,
                "better": "lower",
                "n": n,
                "when": when,
            },
            {
                "name": f"{self.name}.p95_ms",
                "value": round(self.p95, 2),
                "unit": "ms",
                "target": self.target_ms,
                "better": "lower",
                "n": n,
                "when": when,
            },
            *(
                [
                    {
                        "name": f"{self.name}.cpu_p50_ms",
                        "value": round(percentile(self.cpu_ms, 50), 2),
                        "unit": "ms",
                        "target": None,
                        "better": "lower",
                        "n": n,
                        "when": when,
                    }
                ]
                if self.cpu_ms
                else []
            ),
            {
                "name": f"{self.name}.queries",
                "value": self.queries,
                "unit": "queries",
                "target": None,
                "better": "lower",
                "n": 1,
                "when": when,
            },
        ]

    def row(self) -> dict:
        return {
            "name": self.name,
            "p50": self.p50,
            "p95": self.p95,
            "target": self.target_ms,
            "cpu_p50": percentile(self.cpu_ms, 50) if self.cpu_ms else None,
            "queries": self.queries,
            "passed": self.passed,
        }


def _get(client, url: str, headers: dict | None, expect: int):
    response = client.get(url, headers=headers or {})
    if response.status_code != expect:
        raise AssertionError(f"GET {url} answered {response.status_code}, expected {expect}")
    return response


def time_page(
    client,
    name: str,
    urls: list[str],
    *,
    n: int = 60,
    warmup: int = 3,
    headers: dict | None = None,
    target_ms: float | None = DEFAULT_TARGET_MS,
    expect: int = 200,
    check=None,
) -> PageTiming:
    """Warm up, count one request's queries, then time n requests cycling through `urls`.

    The time is wall-clock time of the whole Django handler as the test client runs it (middleware, view,
    templates, session and auth lookups), without network or server overhead. `check`, if
    given, is called with a response to assert the page is the one meant (not an error).
    CPU time (SQLite runs in this process, so it includes the queries) is recorded too: on a
    shared machine it moves less than wall time when other work competes for the cores."""
    cycle = itertools.cycle(urls)
    for _ in range(warmup):
        response = _get(client, next(cycle), headers, expect)
    if check is not None:
        check(response)
    with CaptureQueriesContext(connection) as captured:
        _get(client, urls[0], headers, expect)
    queries = len(captured.captured_queries)

    # A served worker's heap holds its modules, frozen at start-up (compact/core/startup.py), and
    # what requests make. This process also holds the bench's seed and earlier scenarios, which
    # a worker never has: freeze them too, so collections walk what a worker's would.
    gc.collect()
    gc.freeze()
    samples, cpu = [], []
    cycle = itertools.cycle(urls)
    for _ in range(n):
        url = next(cycle)
        start, start_cpu = time.perf_counter(), time.process_time()
        response = _get(client, url, headers, expect)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        response.close()
    return PageTiming(name=name, samples_ms=samples, queries=queries, cpu_ms=cpu, target_ms=target_ms)


def time_call(name: str, fn, *, runs: int, target_ms: float | None) -> PageTiming:
    """Time a function (a tally, a clustering run) like a page: warm once, then `runs` samples."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return PageTiming(name=name, samples_ms=samples, queries=0, target_ms=target_ms)


def shows(*texts: str):
    """A check for time_page that the response is the page meant: every text appears in it."""

    def check(response):
        body = response.content.decode()
        missing = [t for t in texts if t not in body]
        if missing:
            raise AssertionError(f"{response.wsgi_request.get_full_path()} does not show {missing!r}")

    return check
