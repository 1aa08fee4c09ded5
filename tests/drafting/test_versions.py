"""Named versions: numbered in turn, frozen as they were cut, and the outline numbering readers
see ("Key area 2", "Commitment 2.3") as blocks move and go."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.drafting import services
from compact.drafting.models import BlockKind, Framework, FrameworkTag, Version
from compact.drafting.outline import flatten
from compact.drafting.selectors import document_outline
from compact.partnerships.models import Role
from compact.processes.models import StageKind

from .conftest import KEY_AREA_TITLES, add_commitment, intro_block, set_stage

pytestmark = pytest.mark.django_db


def numbered(document) -> list[tuple[str, str]]:
    """(number, heading or statement) for each live block, in reading order."""
    return [
        (entry.number, entry.block.title or entry.block.statement or entry.block.kind)
        for entry in flatten(document_outline(document))
    ]


@pytest.fixture
def written(document, areas, convenor, partnership):
    """Two commitments under the first key area (one tagged, one by two kinds of organisation)
    and one under the second."""
    tag = FrameworkTag.objects.create(partnership=partnership, framework=Framework.COVENANT, name="Partnership")
    local = FrameworkTag.objects.create(partnership=partnership, framework=Framework.LOCAL, name="Anchor spending")
    a = add_commitment(document, convenor, areas[0], statement="We will pay within 30 days.", tags=[local, tag])
    b = add_commitment(
        document, convenor, areas[0], statement="We will fund for three years.", committed_by=["vcse", "icb"]
    )
    c = add_commitment(document, convenor, areas[1], statement="We will publish tenders early.")
    services.block_update(
        block=intro_block(document), actor=convenor, lock_version=1, body="This charter sets out how we work."
    )
    return a, b, c


def test_versions_are_numbered_one_two_three(document, convenor):
    numbers = [services.version_cut(document=document, actor=convenor, name=f"Draft {n}").number for n in (1, 2, 3)]

    assert numbers == [1, 2, 3]
    assert list(Version.objects.filter(document=document).values_list("number", "name")) == [
        (3, "Draft 3"), (2, "Draft 2"), (1, "Draft 1"),
    ]  # fmt: skip


def test_numbering_is_per_document(document, drafting, convenor):
    other = services.document_create(process=drafting, actor=convenor, title="Another")
    services.version_cut(document=document, actor=convenor, name="Draft")

    assert services.version_cut(document=other, actor=convenor, name="Draft").number == 1
    assert services.version_cut(document=document, actor=convenor, name="Draft").number == 2


def test_the_snapshot_holds_blocks_in_reading_order_with_numbers(document, written, convenor):
    version = services.version_cut(document=document, actor=convenor, name="Draft 1 for the board", note="First go.")

    snap = version.snapshot
    assert snap["title"] == "SEL VCSE Charter"
    blocks = snap["blocks"]
    assert [(b["kind"], b["number"]) for b in blocks] == [
        (BlockKind.INTRODUCTION, ""),
        (BlockKind.KEY_AREA, "1"),
        (BlockKind.COMMITMENT, "1.1"),
        (BlockKind.COMMITMENT, "1.2"),
        (BlockKind.KEY_AREA, "2"),
        (BlockKind.COMMITMENT, "2.1"),
    ]
    assert blocks[0]["body"] == "This charter sets out how we work."
    assert [blocks[1]["title"], blocks[4]["title"]] == KEY_AREA_TITLES
    assert blocks[2]["statement"] == "We will pay within 30 days."
    assert blocks[2]["committed_by"] == ["All partners"]
    assert blocks[2]["tags"] == ["Partnership", "Anchor spending"]  # by framework, then name
    assert blocks[3]["committed_by"] == ["Integrated care board", "VCSE organisation"]
    assert blocks[3]["tags"] == []
    assert blocks[2]["parent"] == blocks[1]["id"]
    assert version.name == "Draft 1 for the board"
    assert version.note == "First go."
    assert version.created_by == convenor


def test_editing_after_the_cut_leaves_the_version_as_it_was(document, written, convenor):
    a, _b, _c = written
    version = services.version_cut(document=document, actor=convenor, name="Draft 1")
    frozen = Version.objects.get(pk=version.pk).snapshot

    services.block_update(block=a, actor=convenor, lock_version=1, statement="We will pay within 14 days.")
    services.block_remove(block=_c, actor=convenor, lock_version=1)
    services.block_move(block=_b, actor=convenor, direction="up")

    again = Version.objects.get(pk=version.pk).snapshot
    assert again == frozen
    assert again["blocks"][2]["statement"] == "We will pay within 30 days."
    later = services.version_cut(document=document, actor=convenor, name="Draft 2").snapshot
    statements = [b["statement"] for b in later["blocks"] if b["kind"] == BlockKind.COMMITMENT]
    assert statements == ["We will fund for three years.", "We will pay within 14 days."]


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_a_version_needs_a_name(document, convenor, name):
    with pytest.raises(ValidationError) as exc:
        services.version_cut(document=document, actor=convenor, name=name)

    assert "name" in exc.value.message_dict
    assert not Version.objects.exists()


def test_a_one_line_name_only(document, convenor):
    with pytest.raises(ValidationError) as exc:
        services.version_cut(document=document, actor=convenor, name="Draft\n2")
    assert "name" in exc.value.message_dict


@pytest.mark.parametrize("role", [Role.MEMBER, Role.OBSERVER])
def test_only_editors_cut_versions(document, people, role):
    with pytest.raises(PermissionDenied):
        services.version_cut(document=document, actor=people[role], name="Draft")
    assert not Version.objects.exists()


def test_the_facilitator_cuts_versions(document, people):
    assert services.version_cut(document=document, actor=people[Role.FACILITATOR], name="Draft").number == 1


@pytest.mark.parametrize(
    "stage, allowed",
    [(StageKind.DRAFTING, True), (StageKind.CONSULTATION, True), (StageKind.SIGN_OFF, False), ("closed", False)],
)
def test_versions_are_cut_only_while_the_text_is_open(document, drafting, convenor, stage, allowed):
    set_stage(drafting, stage)

    if allowed:
        assert services.version_cut(document=document, actor=convenor, name="Draft").number == 1
    else:
        with pytest.raises(PermissionDenied):
            services.version_cut(document=document, actor=convenor, name="Draft")
        assert not Version.objects.exists()


# --- outline numbering ----------------------------------------------------------------------


def test_numbering_follows_a_move(document, areas, written, convenor):
    first, second = areas

    services.block_move(block=second, actor=convenor, direction="up")

    assert numbered(document) == [
        ("", "introduction"),
        ("1", KEY_AREA_TITLES[1]),
        ("1.1", "We will publish tenders early."),
        ("2", KEY_AREA_TITLES[0]),
        ("2.1", "We will pay within 30 days."),
        ("2.2", "We will fund for three years."),
    ]


def test_numbering_closes_up_after_a_removal(document, areas, written, convenor):
    a, b, c = written

    services.block_remove(block=a, actor=convenor, lock_version=1)
    assert [n for n, _ in numbered(document)] == ["", "1", "1.1", "2", "2.1"]
    assert ("1.1", "We will fund for three years.") in numbered(document)

    services.block_remove(block=areas[0], actor=convenor, lock_version=areas[0].lock_version)
    assert numbered(document) == [
        ("", "introduction"),
        ("1", KEY_AREA_TITLES[1]),
        ("1.1", "We will publish tenders early."),
    ]
    snap = services.version_cut(document=document, actor=convenor, name="Draft").snapshot
    assert [b["number"] for b in snap["blocks"]] == ["", "1", "1.1"]


def test_sections_take_no_number_and_do_not_shift_key_areas(document, areas, written, convenor):
    services.block_add(
        document=document, actor=convenor, kind=BlockKind.SECTION, section_kind="purpose", title="Why we agree",
        after=intro_block(document),
    )  # fmt: skip

    assert numbered(document)[:3] == [("", "introduction"), ("", "Why we agree"), ("1", KEY_AREA_TITLES[0])]
