"""Settling a server process after start-up, before it takes requests.

A served page allocates enough to set off Python's full garbage collection every few requests,
and a full pass walks every long-lived object: the imported modules (scikit-learn, NLTK), the URL
configuration, the CMU pronouncing dictionary. That is over 300,000 objects and 130 to 180 ms
per pass, which lands on some unlucky request. `settle()` loads what every worker will load
anyway, then freezes it out of the collector's sight (gc.freeze, as the Python docs advise for
pre-forked servers), so a pass only walks what requests made."""

from __future__ import annotations

import gc
from collections.abc import Callable

_WARMUPS: list[Callable[[], object]] = []


def register_warmup(fn: Callable[[], object]) -> None:
    """Apps add what a worker would otherwise load at its first request (from AppConfig.ready)."""
    _WARMUPS.append(fn)


def settle() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now
    for warmup in _WARMUPS:
        warmup()
    gc.collect()
    gc.freeze()
