"""Regression tests from the review of traceability, framework tags and "Your data": nonsense
sent to the sources page answers with a clear error (never a 500, also on PostgreSQL), the links
of a removed commitment stay on record, a tag removed a moment ago is an error not a crash, the
links someone made are in their data, and the sources and coverage pages cost the same however
much is linked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compact.drafting import selectors_sources, services
from compact.drafting.models import Block, FrameworkTag, SourceLink
from compact.drafting.services import tags as tag_services
from compact.partnerships.privacy import personal_data_export
from compact.workshops.models import Theme

from ..factories import messages_shown
from .conftest import add_commitment, page
from .test_sources import decision_in, idea_in, url, workshop_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0])


@pytest.fixture
def workshop(drafting):
    return workshop_in(drafting, "Joint workshop")


@pytest.fixture
def theme(workshop):
    return Theme.objects.create(workshop=workshop, name="Money that lasts", position=1)


def test_a_target_that_only_looks_like_a_number_is_not_found(client, convenor, commitment, theme):
    client.force_login(convenor)

    response = client.post(url("block_sources", commitment), {"kind": "theme", "target": "²", "note": "Kept"})

    assert response.status_code == 400
    assert "We could not find that theme" in page(response)
    assert not SourceLink.objects.exists()


@pytest.mark.parametrize("kind", ["theme", "idea", "case_study", "decision", "comment"])
def test_a_search_with_control_characters_is_searched_without_them(client, convenor, commitment, theme, kind):
    client.force_login(convenor)

    response = client.get(url("block_sources", commitment), {"kind": kind, "q": "Money\x00 that\x1f"})

    assert response.status_code == 200  # PostgreSQL refuses a NUL in a query: this was a 500 there
    assert "\x00" not in page(response)
    if kind == "theme":
        assert "Money that lasts" in page(response) and 'value="Money that"' in page(response)
    assert selectors_sources.search_text("  a\x00b\n c " + "d" * 300) == "a b c " + "d" * 194


def test_an_unknown_kind_is_refused_and_links_nothing(client, convenor, commitment, theme):
    client.force_login(convenor)

    response = client.post(url("block_sources", commitment), {"kind": "amendment", "target": theme.pk})

    assert response.status_code == 400
    shown = page(response)
    assert "Choose what to link: an idea, theme, case study, decision or comment" in shown
    assert 'href="#pick-kind"' in shown and 'id="pick-kind"' in shown
    assert not SourceLink.objects.exists()


def test_the_links_of_a_removed_commitment_stay_on_record(client, convenor, commitment, theme):
    made = services.source_link_add(commitment, convenor, kind="theme", target=theme)
    services.block_remove(block=commitment, actor=convenor, lock_version=commitment.lock_version)
    removed = SourceLink.objects.select_related("block__document").get(pk=made.pk)

    with pytest.raises(ValidationError, match="stays on record"):
        services.source_link_remove(removed, convenor)
    client.force_login(convenor)
    response = client.post(url("source_unlink", commitment, made.pk), follow=True)

    assert messages_shown(response) == [
        "This commitment was removed from the document, so what it was linked to stays on record."
    ]
    assert SourceLink.objects.filter(pk=made.pk).exists()


def test_a_tag_removed_a_moment_ago_is_an_error_not_a_crash(client, convenor, partnership):
    tag = FrameworkTag.objects.create(partnership=partnership, framework="local", name="Anchor spending")
    stale = FrameworkTag.objects.select_related("partnership").get(pk=tag.pk)  # the page a second click came from
    tag_services.framework_tag_remove(tag=tag, actor=convenor)

    for change in (
        lambda: tag_services.framework_tag_remove(tag=stale, actor=convenor),
        lambda: tag_services.framework_tag_rename(tag=stale, actor=convenor, name="Spending locally"),
    ):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.messages == [
            "The tag “Anchor spending” was removed a moment ago, so there is nothing to change"
        ]
    assert not FrameworkTag.objects.exists()


def test_your_data_holds_the_sources_you_linked_with_your_notes(convenor, commitment, theme):
    services.source_link_add(commitment, convenor, kind="theme", target=theme, note="Core costs came from here")

    data = personal_data_export(user=convenor)["drafting"]

    assert [(s["part"], s["kind"], s["note"]) for s in data["sources_linked"]] == [
        ("Commitment 1.1", "theme", "Core costs came from here")
    ]


def test_the_sources_page_costs_the_same_with_2_or_20_links(client, convenor, document, areas, drafting, workshop):
    def linked(n: int) -> Block:
        block = add_commitment(document, convenor, areas[0], statement=f"We will do {n} things.")
        for i in range(n):
            kind, make = [
                ("theme", lambda: Theme.objects.create(workshop=workshop, name=f"Theme {n}-{i}")),
                ("idea", lambda: idea_in(workshop, f"Idea {n}-{i}")),
                ("decision", lambda: decision_in(drafting, f"Decision {n}-{i}")),
                ("comment", lambda: services.comment_add(block=block, actor=convenor, body=f"Comment {n}-{i}")),
            ][i % 4]
            services.source_link_add(block, convenor, kind=kind, target=make(), note=f"Note {i}")
        return block

    few_url, many_url = url("block_sources", linked(2)), url("block_sources", linked(20))
    client.force_login(convenor)
    client.get(few_url)  # warm up: session and per-page caches

    with CaptureQueriesContext(connection) as few:
        client.get(few_url)
    with CaptureQueriesContext(connection) as many:
        response = client.get(many_url)

    assert page(response).count("Note ") == 20
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]


def test_the_coverage_page_costs_the_same_with_2_or_20_themes(client, convenor, document, commitment, workshop):
    coverage_url = reverse("document_coverage", args=[document.partnership.slug, document.pk])
    client.force_login(convenor)

    def themes(n: int) -> None:
        for i in range(n):
            made = Theme.objects.create(workshop=workshop, name=f"Theme {n}-{i}")
            idea_in(workshop, f"Idea {n}-{i}", made)
            if i % 2:
                services.source_link_add(commitment, convenor, kind="theme", target=made)

    themes(2)
    client.get(coverage_url)
    with CaptureQueriesContext(connection) as few:
        client.get(coverage_url)
    themes(18)
    with CaptureQueriesContext(connection) as many:
        response = client.get(coverage_url)

    assert "10 of 20 themes taken up by a commitment." in page(response)
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]
