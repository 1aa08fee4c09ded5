"""Traceability: linking a commitment to the ideas, themes, case studies, decisions and comments
that shaped it; "Where this came from" on its own page and on the document page (at a flat
query cost); the picker; the coverage of workshop themes; and "where this went" on the
workshop write-up and the case study page (the sources registered from apps.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compact.activity.models import AuditEntry
from compact.casestudies import evidence
from compact.casestudies.models import CaseStudy, Status, Version
from compact.decisions.models import Outcome, Proposal
from compact.drafting import outline, selectors_sources, services
from compact.drafting.models import Block, SourceLink
from compact.partnerships.models import Role
from compact.workshops import usage
from compact.workshops.models import Idea, Prompt, Theme, Workshop

from ..factories import PartnershipFactory, ProcessFactory, member
from .conftest import add_commitment, page

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> Pay invoices on time'


def workshop_in(process, title="Joint workshop", state=Workshop.State.PUBLISHED) -> Workshop:
    start = timezone.now() - dt.timedelta(days=30)
    return Workshop.objects.create(
        partnership=process.partnership, process=process, stage=process.stages.first(), title=title,
        slug=f"w-{uuid.uuid4().hex[:8]}", starts_at=start, ends_at=start + dt.timedelta(hours=3),
        join_code=uuid.uuid4().hex[:8], state=state,
    )  # fmt: skip


def idea_in(workshop, text, theme=None, **extra) -> Idea:
    prompt = Prompt.objects.get_or_create(workshop=workshop, position=1, defaults={"text": "What should change?"})[0]
    return Idea.objects.create(
        workshop=workshop, prompt=prompt, text=text, theme=theme, idempotency_key=uuid.uuid4(), **extra
    )


def decision_in(process, title="Adopt the charter's priorities", passed=True) -> Outcome:
    proposal = Proposal.objects.create(
        partnership=process.partnership, process=process, title=title, text="That we adopt them.", closes_at=timezone.now(),
        status=Proposal.Status.CLOSED,
    )  # fmt: skip
    return Outcome.objects.create(proposal=proposal, passed=passed, decision="Adopted.")


@pytest.fixture
def workshop(drafting):
    return workshop_in(drafting, "Joint workshop: mapping the charter")


@pytest.fixture
def theme(workshop):
    return Theme.objects.create(workshop=workshop, name="Money that lasts", position=1)


@pytest.fixture
def lone_theme(workshop):
    """A theme no commitment takes up, with two ideas (one hidden, which does not count)."""
    theme = Theme.objects.create(workshop=workshop, name="Fair tendering", position=2)
    idea_in(workshop, "Let consortia bid together", theme)
    idea_in(workshop, "Something rude", theme, hidden=True)
    return theme


@pytest.fixture
def idea(workshop, theme):
    return idea_in(workshop, "Pay invoices within 30 days", theme)


@pytest.fixture
def case_study(partnership):
    return CaseStudy.objects.create(
        partnership=partnership, title="Link workers in Lewisham", status=Status.PUBLISHED,
        published_version=Version.NAMED, published_document=True,
    )  # fmt: skip


@pytest.fixture
def decision(drafting):
    return decision_in(drafting)


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0])


@pytest.fixture
def second(document, areas, convenor):
    return add_commitment(document, convenor, areas[1], statement="We will offer grants of three years.")


@pytest.fixture
def comment(commitment, people):
    return services.comment_add(block=commitment, actor=people[Role.MEMBER], body="Thirty days is still long.")


@pytest.fixture
def elsewhere(db):
    """Another partnership with a workshop (a theme and an idea), a case study and a decision."""
    other = PartnershipFactory(name="Kensington & Chelsea and Westminster", slug="kcw")
    process = ProcessFactory(partnership=other)
    workshop = workshop_in(process, "Their workshop")
    theme = Theme.objects.create(workshop=workshop, name="Their theme")
    return {
        "theme": theme,
        "idea": idea_in(workshop, "Their idea", theme),
        "case_study": CaseStudy.objects.create(partnership=other, title="Their case study"),
        "decision": decision_in(process, "Their decision"),
    }


def link(block, actor, kind, target, note=""):
    return services.source_link_add(block, actor, kind=kind, target=target, note=note)


def url(name, block, *extra):
    return reverse(name, args=[block.document.partnership.slug, block.document_id, block.pk, *extra])


def doc_url(document, name="document_detail"):
    return reverse(name, args=[document.partnership.slug, document.pk])


# --- services --------------------------------------------------------------------------------


def test_a_commitment_links_each_kind_of_source_and_the_audit_keeps_no_words(
    convenor, commitment, theme, idea, case_study, decision, comment
):
    for kind, target in [
        ("theme", theme), ("idea", idea), ("case_study", case_study), ("decision", decision), ("comment", comment)
    ]:  # fmt: skip
        link(commitment, convenor, kind, target, note=f"Shaped the {kind} wording")

    found = selectors_sources.sources_by_block(commitment.document, [commitment.pk], convenor)[commitment.pk]
    assert [(s.kind, s.label) for s in found] == [
        ("theme", "Money that lasts"), ("idea", "Pay invoices within 30 days"),
        ("case_study", "Link workers in Lewisham"), ("decision", "Adopt the charter's priorities"),
        ("comment", "Thirty days is still long."),
    ]  # fmt: skip
    assert all(s.url for s in found)
    assert found[0].note == "Shaped the theme wording"
    entries = AuditEntry.objects.filter(action="drafting.source_link_add")
    assert entries.count() == 5
    assert all("Shaped" not in str(entry.changes) for entry in entries)
    assert entries.filter(changes__kind="idea", changes__target=idea.pk, changes__note=True).exists()


def test_the_same_source_twice_says_where_it_is_already_linked(convenor, commitment, second, idea):
    link(second, convenor, "idea", idea)

    with pytest.raises(ValidationError) as refused:
        link(second, convenor, "idea", idea, note="Again")

    assert refused.value.message_dict == {"target": ["This idea is already linked to commitment 2.1"]}
    assert SourceLink.objects.filter(block=second).count() == 1
    link(commitment, convenor, "idea", idea)  # another commitment may use the same idea
    assert SourceLink.objects.filter(idea=idea).count() == 2


@pytest.mark.parametrize("kind", ["idea", "theme", "case_study", "decision"])
def test_nothing_from_another_partnership_can_be_linked(convenor, commitment, elsewhere, kind):
    with pytest.raises(ValidationError) as refused:
        link(commitment, convenor, kind, elsewhere[kind])

    message = refused.value.message_dict["target"][0]
    assert "belongs to another partnership" in message
    assert not SourceLink.objects.exists()


def test_a_comment_on_another_document_or_hidden_cannot_be_linked(convenor, drafting, commitment, comment):
    other = services.document_create(process=drafting, actor=convenor, title="Another document")
    other_commitment = add_commitment(other, convenor, Block.objects.filter(document=other, kind="key_area").first())
    with pytest.raises(ValidationError, match="another document"):
        link(other_commitment, convenor, "comment", comment)
    services.comment_hide(comment=comment, actor=convenor, reason="Names a person")
    with pytest.raises(ValidationError, match="hidden by the editors"):
        link(commitment, convenor, "comment", comment)
    assert not SourceLink.objects.exists()


def test_a_hidden_idea_cannot_be_linked(convenor, commitment, workshop):
    hidden = idea_in(workshop, "Rude words", hidden=True)
    with pytest.raises(ValidationError, match="hidden by a facilitator"):
        link(commitment, convenor, "idea", hidden)


def test_only_a_live_commitment_takes_links(convenor, document, areas, commitment, theme):
    with pytest.raises(ValidationError, match="Only commitments"):
        link(areas[0], convenor, "theme", theme)
    services.block_remove(block=commitment, actor=convenor, lock_version=commitment.lock_version)
    with pytest.raises(ValidationError, match="was removed"):
        link(Block.objects.get(pk=commitment.pk), convenor, "theme", theme)
    assert not SourceLink.objects.exists()


def test_a_note_too_long_or_the_wrong_kind_is_refused_and_nothing_saved(convenor, commitment, theme, idea):
    with pytest.raises(ValidationError) as refused:
        link(commitment, convenor, "theme", theme, note="x" * 501)
    assert refused.value.message_dict == {"note": ["Keep the note to 500 characters (it has 501)"]}
    with pytest.raises(ValidationError, match="Choose what to link"):
        link(commitment, convenor, "amendment", theme)
    with pytest.raises(ValidationError, match="Choose the theme to link"):
        link(commitment, convenor, "theme", idea)
    assert not SourceLink.objects.exists()


def test_members_cannot_link_or_unlink(people, convenor, commitment, theme):
    with pytest.raises(PermissionDenied):
        link(commitment, people[Role.MEMBER], "theme", theme)
    made = link(commitment, convenor, "theme", theme)
    with pytest.raises(PermissionDenied):
        services.source_link_remove(made, people[Role.MEMBER])
    assert SourceLink.objects.count() == 1


def test_unlinking_keeps_the_source_and_audits(convenor, commitment, theme):
    made = link(commitment, convenor, "theme", theme)

    services.source_link_remove(made, convenor)

    assert not SourceLink.objects.exists()
    assert Theme.objects.filter(pk=theme.pk).exists()
    assert AuditEntry.objects.filter(action="drafting.source_link_remove", changes__target=theme.pk).exists()


# --- selectors -------------------------------------------------------------------------------


def test_the_picker_offers_this_partnerships_unlinked_matches_and_counts_the_rest(
    convenor, document, commitment, workshop, theme, idea, elsewhere
):
    for n in range(25):
        idea_in(workshop, f"Grant idea {n}")

    found = selectors_sources.source_candidates(document=document, block=commitment, kind="idea", q="grant  IDEA")
    assert (len(found.items), found.total, found.more) == (20, 25, 5)

    link(commitment, convenor, "idea", idea)
    found = selectors_sources.source_candidates(document=document, block=commitment, kind="idea", q="invoices")
    assert found.total == 0  # already linked
    found = selectors_sources.source_candidates(document=document, block=commitment, kind="theme")
    assert [c.label for c in found.items] == ["Money that lasts"]  # not "Their theme"
    assert found.items[0].context == "From Joint workshop: mapping the charter"


def test_readers_see_a_case_study_as_they_may_read_it(people, convenor, commitment, case_study):
    link(commitment, convenor, "case_study", case_study)
    member_ = people[Role.MEMBER]

    def label(user):
        return selectors_sources.sources_by_block(commitment.document, [commitment.pk], user)[commitment.pk][0]

    CaseStudy.objects.filter(pk=case_study.pk).update(
        published_version=Version.ANONYMISED, anonymised_title="A link worker service"
    )
    assert label(member_).label == "A link worker service"
    assert label(convenor).label == "Link workers in Lewisham"  # editors read the text as written
    CaseStudy.objects.filter(pk=case_study.pk).update(
        status=Status.DRAFT, published_version="", published_document=False
    )
    shown = label(member_)
    assert (shown.label, shown.url) == ("A case study that is not published yet", "")


def test_coverage_counts_themes_taken_up_directly_or_through_an_idea(
    convenor, document, commitment, second, theme, idea, lone_theme
):
    assert selectors_sources.coverage(document).total == 2
    assert not selectors_sources.coverage(document).taken

    link(commitment, convenor, "idea", idea)
    link(second, convenor, "theme", theme)
    found = selectors_sources.coverage(document)

    assert [row.theme.name for row in found.untaken] == ["Fair tendering"]
    assert found.untaken[0].idea_count == 1  # the hidden idea is not counted
    (taken,) = found.taken
    assert [(place.number, how) for place, how in taken.went] == [("1.1", "through an idea"), ("2.1", "directly")]

    link(commitment, convenor, "theme", theme)
    (taken,) = selectors_sources.coverage(document).taken
    assert [(place.number, how) for place, how in taken.went] == [
        ("1.1", "directly and through an idea"), ("2.1", "directly"),
    ]  # fmt: skip


def test_a_removed_commitment_no_longer_takes_a_theme_up(convenor, document, commitment, theme):
    link(commitment, convenor, "theme", theme)
    services.block_remove(block=commitment, actor=convenor, lock_version=commitment.lock_version)

    assert [row.theme.pk for row in selectors_sources.coverage(document).untaken] == [theme.pk]


def test_where_ideas_and_themes_went_in_a_bounded_number_of_queries(
    convenor, document, commitment, second, theme, idea, django_assert_max_num_queries
):
    link(commitment, convenor, "idea", idea)
    link(second, convenor, "theme", theme)

    with django_assert_max_num_queries(2):  # the links, then the documents' blocks for their numbers
        found = usage.usages_for(idea_ids=range(1, 2000), theme_ids=range(1, 2000))

    base = doc_url(document)
    assert found[("idea", idea.pk)] == [
        usage.Usage("idea", idea.pk, "Commitment 1.1: We will pay within 30 days.", f"{base}#block-{commitment.pk}")
    ]
    assert found[("theme", theme.pk)][0].label == "Commitment 2.1: We will offer grants of three years."


def test_a_long_documents_links_open_the_right_key_area(convenor, document, second, idea, monkeypatch):
    monkeypatch.setattr(outline, "LONG_DOCUMENT", 0)
    link(second, convenor, "idea", idea)

    (found,) = usage.usages_for(idea_ids=[idea.pk])[("idea", idea.pk)]

    assert found.url == f"{doc_url(document)}?part=2#block-{second.pk}"


def test_a_case_study_lists_the_commitments_it_is_evidence_for(
    convenor, document, commitment, case_study, django_assert_max_num_queries
):
    link(commitment, convenor, "case_study", case_study)

    with django_assert_max_num_queries(3):  # key areas, then the links and the documents' blocks
        (support,) = evidence.supports(range(1, 2000))[case_study.pk]

    assert support.kind == "commitment"
    assert support.label == "Commitment 1.1: We will pay within 30 days. (SEL VCSE Charter)"
    assert support.url == f"{doc_url(document)}#block-{commitment.pk}"


# --- pages -----------------------------------------------------------------------------------


def test_members_read_where_a_commitment_came_from_without_editing_controls(client, people, convenor, commitment, idea):
    link(commitment, convenor, "idea", idea, note="The 30 days came from here")
    client.force_login(people[Role.MEMBER])

    shown = page(client.get(url("block_sources", commitment)))

    assert "Where this came from: Commitment 1.1" in shown
    assert "Workshop ideas" in shown and "Pay invoices within 30 days" in shown
    assert "The 30 days came from here" in shown
    assert "Unlink" not in shown and "Link an idea, theme or evidence" not in shown


def test_an_editor_finds_and_links_a_theme_with_a_note(client, convenor, commitment, theme):
    client.force_login(convenor)
    picker = page(client.get(url("block_sources", commitment), {"kind": "theme", "q": "money"}))
    assert "Money that lasts" in picker and f'name="target" value="{theme.pk}"' in picker

    response = client.post(
        url("block_sources", commitment), {"kind": "theme", "target": theme.pk, "q": "money", "note": "Core costs"}
    )

    assert response.status_code == 302
    assert response["Location"] == url("block_sources", commitment) + "?kind=theme&q=money#results"
    made = SourceLink.objects.get(block=commitment)
    assert (made.theme, made.note, made.added_by) == (theme, "Core costs", convenor)
    after = page(client.get(response["Location"]))
    assert "The theme is linked to Commitment 1.1." in after
    assert "Unlink" in after and "Core costs" in after


def test_a_refused_link_says_why_and_keeps_the_note(client, convenor, commitment, theme):
    client.force_login(convenor)
    note = "A long note " * 50

    response = client.post(url("block_sources", commitment), {"kind": "theme", "target": theme.pk, "note": note})

    assert response.status_code == 400
    shown = page(response)
    assert "There is a problem" in shown and f'href="#note-{theme.pk}"' in shown
    assert "Keep the note to 500 characters (it has 599)" in shown
    assert f'value="{note.strip()} "' in shown or f'value="{note}"' in shown
    assert not SourceLink.objects.exists()


@pytest.mark.parametrize("target", ["999999", "abc", ""])
def test_a_link_to_something_unknown_is_refused(client, convenor, commitment, target):
    client.force_login(convenor)

    response = client.post(url("block_sources", commitment), {"kind": "idea", "target": target})

    assert response.status_code == 400
    assert "We could not find that idea" in page(response)


def test_another_partnerships_idea_is_not_found_through_the_page(client, convenor, commitment, elsewhere):
    client.force_login(convenor)

    response = client.post(url("block_sources", commitment), {"kind": "idea", "target": elsewhere["idea"].pk})

    assert response.status_code == 400 and "We could not find that idea" in page(response)
    assert not SourceLink.objects.exists()


def test_linking_twice_from_a_stale_page_says_it_is_already_linked(client, convenor, commitment, theme):
    client.force_login(convenor)
    data = {"kind": "theme", "target": theme.pk}
    client.post(url("block_sources", commitment), data)

    response = client.post(url("block_sources", commitment), data)

    assert response.status_code == 400
    assert "This theme is already linked to commitment 1.1" in page(response)
    assert SourceLink.objects.count() == 1


def test_unlinking_from_the_page(client, convenor, commitment, theme):
    made = link(commitment, convenor, "theme", theme)
    client.force_login(convenor)

    response = client.post(url("source_unlink", commitment, made.pk))

    assert response.status_code == 302 and response["Location"] == url("block_sources", commitment)
    assert not SourceLink.objects.exists()
    assert client.post(url("source_unlink", commitment, made.pk)).status_code == 404


def test_only_commitments_have_a_sources_page(client, convenor, areas):
    client.force_login(convenor)
    assert client.get(url("block_sources", areas[0])).status_code == 404


def test_peoples_words_are_escaped_everywhere_they_are_shown(client, convenor, document, commitment, workshop):
    hostile = idea_in(workshop, HOSTILE)
    link(commitment, convenor, "idea", hostile, note="<b>bold</b>")
    client.force_login(convenor)

    pages = [
        page(client.get(url("block_sources", commitment))),
        page(client.get(url("block_sources", commitment), {"kind": "idea", "q": "<script>"})),
        page(client.get(doc_url(document))),
    ]

    for shown in pages:
        assert "<script>alert" not in shown and "&lt;script&gt;" in shown
    assert "&lt;b&gt;bold&lt;/b&gt;" in pages[0]


def test_the_document_page_shows_where_each_commitment_came_from(client, people, convenor, document, commitment,
                                                                   second, theme, idea):  # fmt: skip
    link(commitment, convenor, "theme", theme)
    link(commitment, convenor, "idea", idea)
    client.force_login(convenor)

    shown = page(client.get(doc_url(document)))

    assert "Where this came from:</strong>" in shown
    assert "Theme: Money that lasts</a>; " in shown and "Idea: Pay invoices within 30 days</a>" in shown
    assert shown.count("Not linked to anything yet.") == 1  # the second commitment
    assert shown.count("Link ideas, themes and evidence") == 2
    assert 'href="' + doc_url(document, "document_coverage") + '"' in shown

    client.force_login(people[Role.OBSERVER])
    reader = page(client.get(doc_url(document)))
    assert "Not linked to anything yet." not in reader
    assert reader.count("Where this came from, with notes") == 1


def test_the_document_page_costs_the_same_with_3_or_30_linked_commitments(
    client, convenor, drafting, workshop, theme, case_study, decision
):
    def filled(n: int):
        document = services.document_create(process=drafting, actor=convenor, title=f"Document of {n}")
        areas = list(Block.objects.filter(document=document, kind="key_area"))
        for i in range(n):
            block = add_commitment(document, convenor, areas[i % 2], statement=f"We will do thing {i}.")
            link(block, convenor, "theme", theme)
            link(block, convenor, "idea", idea_in(workshop, f"Idea {n}-{i}"))
            link(block, convenor, "case_study", case_study)
            link(block, convenor, "decision", decision)
        return document

    small, large = filled(3), filled(30)
    client.force_login(convenor)
    for document in (small, large):  # warm up: session and per-page caches
        client.get(doc_url(document))

    with CaptureQueriesContext(connection) as few:
        assert client.get(doc_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(doc_url(large))

    assert page(response).count("Idea: Idea 30-") == 30
    assert len(many) <= len(few), [q["sql"] for q in many.captured_queries]


def test_the_coverage_page_shows_what_is_taken_up_and_what_is_not(
    client, people, convenor, document, commitment, idea, theme, lone_theme
):
    link(commitment, convenor, "idea", idea)
    client.force_login(people[Role.OBSERVER])

    shown = page(client.get(doc_url(document, "document_coverage")))

    assert "1 of 2 themes taken up by a commitment." in shown
    assert "Not taken up yet (1)" in shown and "Fair tendering" in shown
    assert "from Joint workshop: mapping the charter, 1 idea" in shown
    assert "Commitment 1.1: We will pay within 30 days.</a> (through an idea)" in shown


def test_the_coverage_page_without_workshop_themes(client, convenor, document):
    client.force_login(convenor)
    shown = page(client.get(doc_url(document, "document_coverage")))
    assert "have no themes yet" in shown


def test_the_write_up_shows_where_the_idea_and_its_theme_went(client, people, convenor, commitment, idea, theme):
    link(commitment, convenor, "idea", idea)
    link(commitment, convenor, "theme", theme)
    client.force_login(people[Role.MEMBER])
    workshop = idea.workshop

    shown = page(
        client.get(reverse("workshop_write_up", args=[workshop.partnership.slug, workshop.process.slug, workshop.slug]))
    )

    target = f"{doc_url(commitment.document)}#block-{commitment.pk}"
    used = f'Used in: <a class="govuk-link" href="{target}">Commitment 1.1: We will pay within 30 days.</a>'
    assert shown.count(used) == 2  # the theme and its idea


def test_the_case_study_page_lists_the_commitment_it_supports(client, convenor, partnership, commitment, case_study):
    link(commitment, convenor, "case_study", case_study)
    client.force_login(convenor)

    shown = page(client.get(reverse("casestudy_detail", args=[partnership.slug, case_study.pk])))

    assert "Commitment: <a" in shown and "Commitment 1.1: We will pay within 30 days. (SEL VCSE Charter)" in shown


def test_a_second_partnership_member_sees_nothing_of_this_one(client, convenor, commitment, theme, elsewhere):
    link(commitment, convenor, "theme", theme)
    stranger = member(elsewhere["case_study"].partnership, Role.CONVENOR)
    client.force_login(stranger)

    assert client.get(url("block_sources", commitment)).status_code == 404
    assert client.get(doc_url(commitment.document, "document_coverage")).status_code == 404
