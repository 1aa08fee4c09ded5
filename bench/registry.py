"""The scenario registry: `@scenario("decisions")` on a function `fn(ctx) -> list[Metric]`."""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field

SCENARIOS: dict[str, list[Scenario]] = {}


@dataclass(frozen=True)
class Scenario:
    app: str
    name: str
    fn: Callable


def scenario(app: str, name: str | None = None):
    """Register a scenario under an app prefix (`core`, `decisions`, `workshops`, ...)."""

    def decorate(fn):
        SCENARIOS.setdefault(app, []).append(Scenario(app, name or fn.__name__, fn))
        return fn

    return decorate


def discover() -> dict[str, list[Scenario]]:
    """Import every module in bench/scenarios so their decorators run."""
    from . import scenarios

    for info in sorted(pkgutil.iter_modules(scenarios.__path__), key=lambda i: i.name):
        importlib.import_module(f"{scenarios.__name__}.{info.name}")
    return SCENARIOS


@dataclass
class Context:
    """What scenarios share in one run: request counts and the seeds built so far."""

    n: int = 60
    warmup: int = 3
    after_seed: Callable | None = None  # e.g. ANALYZE after bulk loading
    seeds: dict = field(default_factory=dict)  # name -> whatever the seed function returned

    def seed(self, name: str, build: Callable):
        """Build a seed once per run (the database is fresh at the start of each run)."""
        if name not in self.seeds:
            started = time.perf_counter()
            value = build()
            if self.after_seed is not None:
                self.after_seed()
            counts = getattr(value, "counts", {}) or {}
            self.log(
                f"Seeded {name} in {time.perf_counter() - started:.1f}s: "
                + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items())
            )
            self.seeds[name] = value
        return self.seeds[name]

    @staticmethod
    def log(message: str) -> None:
        print(message, flush=True)
