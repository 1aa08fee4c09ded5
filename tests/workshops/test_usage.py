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


def test_the_write_up_shows_where_ideas_and_themes_were_used(client, workshop, people, monkeypatch):
    import uuid

    from django.urls import reverse

    from compact.partnerships.models import Role
    from compact.workshops.models import Idea, Theme, Workshop

    theme = Theme.objects.create(workshop=workshop, name="Fair tendering")
    idea = Idea.objects.create(workshop=workshop, prompt=workshop.prompts.first(), text="Pay on time",
                               idempotency_key=uuid.uuid4(), theme=theme)  # fmt: skip
    Workshop.objects.filter(pk=workshop.pk).update(state=Workshop.State.ENDED)
    monkeypatch.setattr(usage, "_SOURCES", [])
    usage.register_usage_source(
        lambda ideas, themes: (
            [usage.Usage("idea", idea.pk, "Commitment 3.1: <We will pay>", "/c/31/")]
            + [usage.Usage("theme", t, "Key area 3", "/k/3/") for t in themes]
        )
    )
    client.force_login(people[Role.FACILITATOR])
    page = client.get(
        reverse("workshop_write_up", args=[workshop.partnership.slug, workshop.process.slug, workshop.slug])
    ).content.decode()
    assert 'Used in: <a class="govuk-link" href="/c/31/">Commitment 3.1: &lt;We will pay&gt;</a>' in page
    assert 'href="/k/3/">Key area 3</a>' in page
