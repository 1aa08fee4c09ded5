"""Who may link a commitment to what shaped it, in which stage: every role, in the two stages the
text is open (drafting, consultation) and two where it is frozen (sign-off, and "closed" once
every stage is done). Then the same through the pages: reading "Where this came from" and the
coverage of themes, linking, and unlinking.

The expected answers are written out by hand from the brief (linking is an editing task: the
partnership's convenors and facilitators, while the text is being drafted or consulted on;
every member reads), never read from the rules.

Y = allowed, . = refused. Columns: drafting, consultation, sign_off, closed."""

import pytest
from django.urls import reverse

from compact.drafting import services
from compact.drafting.models import Document, SourceLink
from compact.workshops.models import Theme

from . import test_permissions_matrix as matrix
from .conftest import add_commitment, set_stage
from .test_permissions_matrix import ROLES, STAGES, assert_answer, cells, sign_in
from .test_sources import workshop_in

pytestmark = pytest.mark.django_db

cast = matrix.cast  # the same people as the document's matrix: one per role, an outsider, the public

# fmt: off
EXPECTED = {
    "drafting.link_sources": {
        "convenor": "Y Y . .", "facilitator": "Y Y . .", "member": ". . . .",
        "observer": ". . . .", "outsider":    ". . . .", "anonymous": ". . . .",
    },
}

# 302 for the anonymous public is the sign-in redirect; 404 for outsiders (nothing leaks about
# another partnership's documents); 403 for a member whose role or the stage refuses; for a
# POST, 302 from an editor means done.
PAGES = {
    "sources": {
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "200 200 200 200",
        "observer": "200 200 200 200", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "coverage": {
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "200 200 200 200",
        "observer": "200 200 200 200", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "link": {
        "convenor": "302 302 403 403", "facilitator": "302 302 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "unlink": {
        "convenor": "302 302 403 403", "facilitator": "302 302 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
}
# fmt: on
CHANGES = {(editor, stage) for editor in ("convenor", "facilitator") for stage in ("drafting", "consultation")}


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0])


@pytest.fixture
def theme(drafting):
    return Theme.objects.create(workshop=workshop_in(drafting), name="Money that lasts")


@pytest.fixture
def linked(commitment, convenor, theme):
    """The commitment linked to another theme, made while the text is open."""
    other = Theme.objects.create(workshop=theme.workshop, name="A voice with power")
    return services.source_link_add(commitment, convenor, kind="theme", target=other)


def test_the_tables_cover_every_role_and_stage():
    for table in (EXPECTED, PAGES):
        for row in table.values():
            assert set(row) == set(ROLES)
            assert all(len(codes.split()) == len(STAGES) for codes in row.values())


@pytest.mark.parametrize("perm, role, stage, expected", cells(EXPECTED))
def test_rules(perm, role, stage, expected, cast, document, drafting):
    set_stage(drafting, stage)
    # A fresh document: the process caches its stage kind once asked.
    fresh = Document.objects.select_related("process").get(pk=document.pk)

    assert cast[role].has_perm(perm, fresh) is (expected == "Y")


def block_address(name, block, *extra):
    return reverse(name, args=[block.document.partnership.slug, block.document_id, block.pk, *extra])


@pytest.mark.parametrize("page, role, stage, expected", cells({"sources": PAGES["sources"]}))
def test_reading_where_a_commitment_came_from(client, cast, drafting, linked, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.get(block_address("block_sources", linked.block))

    assert_answer(response, expected, role)
    if expected == "200":
        shown = response.content.decode()
        assert "A voice with power" in shown
        may_link = (role, stage) in CHANGES
        assert ("Link an idea, theme or evidence" in shown) is may_link
        assert ("Unlink" in shown) is may_link


@pytest.mark.parametrize("page, role, stage, expected", cells({"coverage": PAGES["coverage"]}))
def test_reading_the_coverage_of_themes(client, cast, document, drafting, linked, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.get(reverse("document_coverage", args=[document.partnership.slug, document.pk]))

    assert_answer(response, expected, role)
    if expected == "200":
        assert "1 of 2 themes taken up by a commitment." in response.content.decode()


@pytest.mark.parametrize("page, role, stage, expected", cells({"link": PAGES["link"]}))
def test_linking(client, cast, drafting, commitment, theme, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.post(block_address("block_sources", commitment), {"kind": "theme", "target": theme.pk})

    assert_answer(response, expected, role)
    assert SourceLink.objects.filter(block=commitment, theme=theme).exists() is ((role, stage) in CHANGES)


@pytest.mark.parametrize("page, role, stage, expected", cells({"unlink": PAGES["unlink"]}))
def test_unlinking(client, cast, drafting, linked, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.post(block_address("source_unlink", linked.block, linked.pk))

    assert_answer(response, expected, role)
    assert SourceLink.objects.filter(pk=linked.pk).exists() is ((role, stage) not in CHANGES)
