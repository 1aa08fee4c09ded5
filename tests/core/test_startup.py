"""A served worker settles before its first request: warm-ups run, the URL configuration is
imported, and everything alive is frozen out of the garbage collector's full passes."""

import gc

from compact.core import startup


def test_settle_runs_the_warmups_and_freezes_what_is_alive(monkeypatch):
    ran = []
    monkeypatch.setattr(startup, "_WARMUPS", [lambda: ran.append("readability")])
    try:
        startup.settle()
        assert ran == ["readability"]
        assert gc.get_freeze_count() > 10_000  # the modules and URL patterns, at least
    finally:
        gc.unfreeze()


def test_case_studies_warm_up_the_pronouncing_dictionary():
    from compact.casestudies.apps import warm_up_readability

    assert warm_up_readability in startup._WARMUPS
