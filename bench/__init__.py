"""Benchmarks for Compact: `make bench` (or `python -m bench --only core`).

Each app's scenarios live in bench/scenarios/<app>.py and register themselves with
`@scenario("<app>")` (see bench/registry.py). A run starts from a fresh database, runs the
chosen scenarios in one process, writes bench/results/latest.json (DESIGN.md §7) and prints
a table. Seeds are shared: a scenario that needs the large partnership calls
`bench.seed.core_partnership(ctx)`, which builds it once per run.
"""
