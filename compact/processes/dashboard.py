"""Items higher apps add to the dashboard's "What needs you now" (a vote waiting for you, a
workshop to plan...). Each source is `fn(user) -> list[Attention]`, registered from ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attention:
    tag: str  # e.g. "Your vote"
    tag_colour: str  # a GOV.UK tag colour: blue, yellow, red, grey...
    url: str
    title: str  # the link text
    text: str  # what to do, after the link
    due: object = None  # a datetime or date, for ordering (soonest first)


_SOURCES: list[Callable] = []


def register_attention(source: Callable) -> None:
    _SOURCES.append(source)


def attention_for(user) -> list[Attention]:
    items = [item for source in _SOURCES for item in source(user)]
    return sorted(items, key=lambda item: (item.due is None, str(item.due)))
