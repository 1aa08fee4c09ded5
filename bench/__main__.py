"""`python -m bench [--only core,decisions.tally] [--n 60]`: fresh database, seed, measure, report.

Writes bench/results/latest.json (DESIGN.md §7 records) and prints a table. Always exits 0
when the scenarios ran, so the figures are reported even when a target is missed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import warnings
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def _parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated apps or app.scenario to run, e.g. core,workshops.wall_pages",
    )
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", 60)), help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    return parser.parse_args(argv)


def _fmt(value, spec=".1f"):
    return "-" if value is None else format(value, spec)


def print_table(metrics) -> None:
    rows = [m.row() for m in metrics]
    width = max([len("name")] + [len(r["name"]) for r in rows])
    header = f"{'name':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'target':>7}  {'cpu p50':>8}  {'queries':>7}  result"
    print(header)
    print("-" * len(header))
    for r in rows:
        result = "-" if r["target"] is None else ("pass" if r["passed"] else "FAIL")
        print(
            f"{r['name']:<{width}}  {_fmt(r['p50']):>8}  {_fmt(r['p95']):>8}  {_fmt(r['target'], '.0f'):>7}  "
            f"{_fmt(r.get('cpu_p50')):>8}  {r['queries']:>7}  {result}"
        )


def select(scenarios, wanted):
    """The scenarios named by apps ("workshops") or single scenarios ("workshops.wall_pages"),
    in the order asked; None if a name is unknown."""
    chosen = []
    for name in wanted:
        app, _, one = name.partition(".")
        found = [sc for sc in scenarios.get(app, []) if not one or sc.name == one]
        if not found:
            return None
        chosen += [sc for sc in found if sc not in chosen]
    return chosen


def main(argv=None) -> int:
    args = _parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    # No collected static files are needed to render pages; WhiteNoise need not say so.
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise")
    import django

    django.setup()
    from compact.core.startup import settle

    settle()  # as config/asgi.py does before a worker serves: the figures are a served worker's
    from bench.db import analyse, fresh_database
    from bench.registry import Context, discover

    scenarios = discover()
    wanted = [a.strip() for a in args.only.split(",") if a.strip()] or sorted(scenarios)
    chosen = select(scenarios, wanted)
    if chosen is None:
        known = [f"{app}.{sc.name}" for app in sorted(scenarios) for sc in scenarios[app]]
        print(f"Unknown app or scenario in {args.only!r}. Known: {', '.join(known)}", file=sys.stderr)
        return 2

    started = time.perf_counter()
    where = fresh_database()
    print(f"Fresh database: {where} ({time.perf_counter() - started:.1f}s to migrate)", flush=True)
    ctx = Context(n=args.n, warmup=args.warmup, after_seed=analyse)
    metrics = []
    for sc in chosen:
        t0 = time.perf_counter()
        metrics += sc.fn(ctx)
        print(f"Ran {sc.app}.{sc.name} in {time.perf_counter() - t0:.1f}s (seeding included)", flush=True)

    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    records = [record for m in metrics for record in m.records(when)]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(records, indent=2) + "\n")
    print()
    print_table(metrics)
    print(f"\n{len(records)} records written to {args.output} (n={args.n} per page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
