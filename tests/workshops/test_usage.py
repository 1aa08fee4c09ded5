"""The "used in" registry: empty until the drafting app registers a source; a source's usages
come back keyed by idea or theme."""

from compact.workshops import usage


def test_usages_come_from_registered_sources(monkeypatch):
    monkeypatch.setattr(usage, "_SOURCES", [])
    assert usage.usages_for(idea_ids=[1, 2], theme_ids=[7]) == {}

    def commitments(ideas, themes):
        return [usage.Usage("idea", i, f"Commitment 1.{i}", f"/c/{i}/") for i in sorted(ideas) if i != 2] + [
            usage.Usage("theme", t, "Key area 1", "/k/1/") for t in themes
        ]

    usage.register_usage_source(commitments)
    found = usage.usages_for(idea_ids=[1, 2], theme_ids=[7])
    assert found == {
        ("idea", 1): [usage.Usage("idea", 1, "Commitment 1.1", "/c/1/")],
        ("theme", 7): [usage.Usage("theme", 7, "Key area 1", "/k/1/")],
    }
    assert usage.usages_for() == {}
