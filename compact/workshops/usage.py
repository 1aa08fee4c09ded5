"""Where ideas and themes were used ("Used in: Commitment 2.3"). The drafting app links them to
commitments and registers a source here from its ready(); workshops never import it.

A source is `fn(idea_ids: set[int], theme_ids: set[int]) -> list[Usage]` and must answer in a
bounded number of queries for any number of ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Usage:
    kind: str  # "idea" or "theme"
    target_id: int
    label: str  # e.g. "Commitment 2.3: We will pay within 30 days"
    url: str


_SOURCES: list[Callable] = []


def register_usage_source(source: Callable) -> None:
    _SOURCES.append(source)


def usages_for(*, idea_ids=(), theme_ids=()) -> dict[tuple[str, int], list[Usage]]:
    """{("idea", id) or ("theme", id): [Usage, ...]}; empty until an app registers a source."""
    found: dict[tuple[str, int], list[Usage]] = defaultdict(list)
    ideas, themes = set(idea_ids), set(theme_ids)
    if not (ideas or themes):
        return {}
    for source in _SOURCES:
        for usage in source(ideas, themes):
            found[(usage.kind, usage.target_id)].append(usage)
    return dict(found)
