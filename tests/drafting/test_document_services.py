"""Writing the document through the services: creating it, adding, editing, moving and removing
blocks, the optimistic lock that catches a save made against an older text, and the audit log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.activity.models import AuditEntry
from compact.drafting import services
from compact.drafting.models import BODY_MAX, STATEMENT_MAX, Block, BlockKind, Document, Framework, FrameworkTag
from compact.drafting.services import EditConflict
from compact.partnerships.models import Role
from compact.processes.models import StageKind

from ..factories import PartnershipFactory
from .conftest import KEY_AREA_TITLES, add_commitment, intro_block, key_area_blocks, reload, set_stage

pytestmark = pytest.mark.django_db


def error_fields(exc: ValidationError) -> set[str]:
    return set(exc.value.message_dict) if hasattr(exc.value, "error_dict") else set()


# --- document_create ------------------------------------------------------------------------


def test_a_new_document_has_an_introduction_then_one_block_per_key_area_in_order(drafting, convenor):
    document = services.document_create(process=drafting, actor=convenor, title="  SEL VCSE Charter  ")

    assert document.title == "SEL VCSE Charter"
    assert document.partnership_id == drafting.partnership_id
    blocks = list(Block.objects.filter(document=document).order_by("position"))
    assert [b.kind for b in blocks] == [BlockKind.INTRODUCTION, BlockKind.KEY_AREA, BlockKind.KEY_AREA]
    assert [b.title for b in blocks[1:]] == KEY_AREA_TITLES
    assert blocks[1].body == "Money that lasts."
    assert [b.key_area.position for b in blocks[1:]] == [1, 2]
    assert all(b.lock_version == 1 for b in blocks)


def test_the_same_request_key_returns_the_same_document(drafting, convenor):
    first = services.document_create(process=drafting, actor=convenor, title="Charter", request_key="abc")
    again = services.document_create(process=drafting, actor=convenor, title="Charter", request_key="abc")

    assert again.pk == first.pk
    assert Document.objects.filter(process=drafting).count() == 1
    assert Block.objects.filter(document=first, kind=BlockKind.INTRODUCTION).count() == 1


def test_a_blank_title_is_refused_on_the_title(drafting, convenor):
    with pytest.raises(ValidationError) as exc:
        services.document_create(process=drafting, actor=convenor, title="   ")

    assert "title" in error_fields(exc)
    assert not Document.objects.exists()


def test_a_member_cannot_create_a_document(drafting, people):
    with pytest.raises(PermissionDenied):
        services.document_create(process=drafting, actor=people[Role.MEMBER], title="Charter")
    assert not Document.objects.exists()


def test_no_document_is_created_at_sign_off(process, key_areas, convenor):
    signing = set_stage(process, StageKind.SIGN_OFF)

    with pytest.raises(PermissionDenied):
        services.document_create(process=signing, actor=convenor, title="Charter")
    assert not Document.objects.exists()


# --- block_add ------------------------------------------------------------------------------


def test_a_commitment_goes_under_a_key_area(document, areas, convenor):
    commitment = add_commitment(document, convenor, areas[0], body="Grants for three years, not one.")

    assert commitment.parent_id == areas[0].pk
    assert commitment.kind == BlockKind.COMMITMENT
    assert commitment.statement == "We will pay within 30 days."
    assert commitment.committed_by == ["all"]
    assert commitment.position == 1
    assert add_commitment(document, convenor, areas[0], statement="We will meet yearly.").position == 2


@pytest.mark.parametrize("which", ["none", "introduction", "other_document", "removed", "commitment"])
def test_a_commitment_needs_a_live_key_area_of_the_same_document(document, areas, convenor, drafting, which):
    if which == "none":
        parent = None
    elif which == "introduction":
        parent = intro_block(document)
    elif which == "other_document":
        other = services.document_create(process=drafting, actor=convenor, title="Another")
        parent = key_area_blocks(other)[0]
    elif which == "removed":
        parent = services.block_remove(block=areas[1], actor=convenor, lock_version=areas[1].lock_version)
    else:
        parent = add_commitment(document, convenor, areas[0])
    before = Block.objects.filter(kind=BlockKind.COMMITMENT).count()

    with pytest.raises(ValidationError) as exc:
        add_commitment(document, convenor, parent)

    assert "parent" in error_fields(exc)
    assert Block.objects.filter(kind=BlockKind.COMMITMENT).count() == before


def test_a_commitment_without_a_statement_is_refused_on_the_statement(document, areas, convenor):
    with pytest.raises(ValidationError) as exc:
        add_commitment(document, convenor, areas[0], statement="   ")

    assert "statement" in error_fields(exc)
    assert not Block.objects.filter(kind=BlockKind.COMMITMENT).exists()


def test_an_unknown_committer_is_refused(document, areas, convenor):
    with pytest.raises(ValidationError) as exc:
        add_commitment(document, convenor, areas[0], committed_by=["all", "the_king"])

    assert "committed_by" in error_fields(exc)
    assert not Block.objects.filter(kind=BlockKind.COMMITMENT).exists()


def test_committers_are_kept_in_the_lists_order(document, areas, convenor):
    commitment = add_commitment(document, convenor, areas[0], committed_by=["vcse", "icb", "vcse"])

    assert reload(commitment).committed_by == ["icb", "vcse"]


def test_tags_from_another_partnership_are_refused(document, areas, convenor, partnership):
    ours = FrameworkTag.objects.create(partnership=partnership, framework=Framework.LOCAL, name="Ours")
    theirs = FrameworkTag.objects.create(partnership=PartnershipFactory(), framework=Framework.LOCAL, name="Theirs")

    with pytest.raises(ValidationError) as exc:
        add_commitment(document, convenor, areas[0], tags=[ours, theirs])
    assert "tags" in error_fields(exc)
    assert not Block.objects.filter(kind=BlockKind.COMMITMENT).exists()

    kept = add_commitment(document, convenor, areas[0], tags=[ours])
    assert list(kept.tags.all()) == [ours]


def test_after_inserts_straight_after_and_moves_later_blocks_down(document, areas, convenor):
    a = add_commitment(document, convenor, areas[0], statement="We will do A.")
    b = add_commitment(document, convenor, areas[0], statement="We will do B.")
    c = add_commitment(document, convenor, areas[0], statement="We will do C.")

    new = add_commitment(document, convenor, areas[0], statement="We will do A and a half.", after=a)

    order = Block.objects.filter(parent=areas[0]).order_by("position").values_list("statement", flat=True)
    assert list(order) == ["We will do A.", "We will do A and a half.", "We will do B.", "We will do C."]
    assert new.position == a.position + 1
    assert [reload(x).position for x in (a, b, c)] == [1, 3, 4]


def test_a_section_is_added_at_the_end_of_the_top_level(document, areas, convenor):
    section = services.block_add(
        document=document, actor=convenor, kind=BlockKind.SECTION, section_kind="governance", title="How we govern",
        body="A board meets quarterly.",
    )  # fmt: skip

    assert section.parent is None
    assert section.position == max(a.position for a in areas) + 1


def test_a_member_cannot_add_blocks(document, areas, people):
    with pytest.raises(PermissionDenied):
        add_commitment(document, people[Role.MEMBER], areas[0])
    assert not Block.objects.filter(kind=BlockKind.COMMITMENT).exists()


# --- block_update ---------------------------------------------------------------------------


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0], body="We pay late today.")


def test_an_edit_is_saved_and_raises_the_lock_version_by_one(commitment, facilitator):
    saved = services.block_update(
        block=commitment, actor=facilitator, lock_version=1, statement="We will pay within 14 days."
    )

    block = reload(commitment)
    assert block.statement == "We will pay within 14 days."
    assert block.body == "We pay late today."  # not submitted: left alone
    assert block.lock_version == saved.lock_version == 2
    assert block.updated_by == facilitator


def test_a_stale_lock_version_raises_a_conflict_and_saves_nothing(commitment, convenor, facilitator):
    services.block_update(block=commitment, actor=convenor, lock_version=1, statement="We will pay in 14 days.")

    with pytest.raises(EditConflict) as exc:
        services.block_update(
            block=commitment, actor=facilitator, lock_version=1, statement="We will pay in 7 days.", body="Mine."
        )

    conflict = exc.value
    assert conflict.block.pk == commitment.pk
    assert conflict.block.statement == "We will pay in 14 days."
    assert conflict.block.lock_version == 2
    assert conflict.submitted["statement"] == "We will pay in 7 days."
    assert conflict.submitted["body"] == "Mine."
    assert conflict.submitted["lock_version"] == 1
    block = reload(commitment)
    assert (block.statement, block.body, block.lock_version) == ("We will pay in 14 days.", "We pay late today.", 2)


def test_saving_the_same_text_leaves_the_lock_version_alone(commitment, convenor):
    services.block_update(
        block=commitment, actor=convenor, lock_version=1, statement="  We will pay within 30 days.\n",
        body="We pay late today.", committed_by=["all"],
    )  # fmt: skip

    assert reload(commitment).lock_version == 1
    assert not AuditEntry.objects.filter(action="drafting.block_update").exists()


@pytest.mark.parametrize("field", ["statement", "body"])
def test_control_characters_are_refused(commitment, convenor, field):
    with pytest.raises(ValidationError) as exc:
        services.block_update(block=commitment, actor=convenor, lock_version=1, **{field: "We will\x00 pay\x1b."})

    assert field in error_fields(exc)
    block = reload(commitment)
    assert block.lock_version == 1
    assert "\x00" not in block.statement + block.body


# Django checks max_length on CharFields only: a TextField's max_length reaches the form widget
# but not Model.full_clean, so full_clean_into lets Block.statement/body past their limits.
@pytest.mark.parametrize("field, limit", [("body", BODY_MAX), ("statement", STATEMENT_MAX)])
def test_over_long_text_is_refused_and_nothing_is_saved(commitment, convenor, field, limit):
    with pytest.raises(ValidationError) as exc:
        services.block_update(block=commitment, actor=convenor, lock_version=1, **{field: "x" * (limit + 1)})

    assert field in error_fields(exc)
    block = reload(commitment)
    assert (block.statement, block.body, block.lock_version) == ("We will pay within 30 days.", "We pay late today.", 1)


def test_a_body_of_exactly_the_limit_is_saved(commitment, convenor):
    services.block_update(block=commitment, actor=convenor, lock_version=1, body="x" * BODY_MAX)

    assert len(reload(commitment).body) == BODY_MAX


def test_a_removed_block_cannot_be_edited(commitment, convenor):
    services.block_remove(block=commitment, actor=convenor, lock_version=1)

    with pytest.raises(ValidationError):
        services.block_update(block=commitment, actor=convenor, lock_version=2, statement="We will try again.")
    assert reload(commitment).statement == "We will pay within 30 days."


def test_an_observer_cannot_edit(commitment, people):
    with pytest.raises(PermissionDenied):
        services.block_update(block=commitment, actor=people[Role.OBSERVER], lock_version=1, statement="We will not.")
    assert reload(commitment).lock_version == 1


def test_nobody_edits_once_the_process_reaches_sign_off(commitment, convenor, drafting):
    set_stage(drafting, StageKind.SIGN_OFF)

    with pytest.raises(PermissionDenied):
        services.block_update(block=commitment, actor=convenor, lock_version=1, statement="We will sneak in.")
    assert reload(commitment).statement == "We will pay within 30 days."


# --- block_move -----------------------------------------------------------------------------


def test_moving_swaps_a_block_with_its_neighbour(document, areas, convenor):
    first, second = areas

    services.block_move(block=second, actor=convenor, direction="up")
    assert [b.pk for b in key_area_blocks(document)] == [second.pk, first.pk]

    services.block_move(block=second, actor=convenor, direction="down")
    assert [b.pk for b in key_area_blocks(document)] == [first.pk, second.pk]


def test_commitments_move_within_their_key_area(document, areas, convenor):
    a = add_commitment(document, convenor, areas[0], statement="We will do A.")
    b = add_commitment(document, convenor, areas[0], statement="We will do B.")

    services.block_move(block=a, actor=convenor, direction="down")

    order = Block.objects.filter(parent=areas[0]).order_by("position").values_list("pk", flat=True)
    assert list(order) == [b.pk, a.pk]


def test_the_first_block_cannot_move_up(document, areas, convenor):
    # The introduction always comes first, so the first key area is the first that can move.
    with pytest.raises(ValidationError) as exc:
        services.block_move(block=areas[0], actor=convenor, direction="up")

    assert "already the first" in " ".join(exc.value.messages)
    assert [b.pk for b in key_area_blocks(document)] == [a.pk for a in areas]


def test_the_last_block_cannot_move_down(document, areas, convenor):
    with pytest.raises(ValidationError) as exc:
        services.block_move(block=areas[1], actor=convenor, direction="down")
    assert "already the last" in " ".join(exc.value.messages)


def test_the_introduction_does_not_move(document, convenor):
    with pytest.raises(ValidationError):
        services.block_move(block=intro_block(document), actor=convenor, direction="down")


# --- block_remove ---------------------------------------------------------------------------


def test_removing_a_key_area_removes_its_commitments_too(document, areas, convenor):
    a = add_commitment(document, convenor, areas[0], statement="We will do A.")
    b = add_commitment(document, convenor, areas[0], statement="We will do B.")
    elsewhere = add_commitment(document, convenor, areas[1], statement="We will do C.")

    services.block_remove(block=areas[0], actor=convenor, lock_version=areas[0].lock_version)

    assert reload(areas[0]).removed_at is not None
    assert reload(a).removed_at is not None
    assert reload(b).removed_at is not None
    assert reload(elsewhere).removed_at is None
    assert Block.objects.filter(pk__in=[a.pk, b.pk]).count() == 2  # rows kept for the record


def test_the_introduction_cannot_be_removed(document, convenor):
    intro = intro_block(document)

    with pytest.raises(PermissionDenied):
        services.block_remove(block=intro, actor=convenor, lock_version=intro.lock_version)
    assert reload(intro).removed_at is None


def test_removing_from_a_stale_lock_version_raises_a_conflict(document, areas, convenor, facilitator):
    commitment = add_commitment(document, convenor, areas[0])
    services.block_update(block=commitment, actor=facilitator, lock_version=1, statement="We will pay promptly.")

    with pytest.raises(EditConflict):
        services.block_remove(block=commitment, actor=convenor, lock_version=1)
    assert reload(commitment).removed_at is None


# --- audit ----------------------------------------------------------------------------------


def test_an_edit_is_audited_without_its_text(commitment, convenor, partnership):
    secret = "We will publish the confidential payment ledger."
    services.block_update(block=commitment, actor=convenor, lock_version=1, statement=secret, body="Body words here.")

    entry = AuditEntry.objects.get(action="drafting.block_update")
    assert entry.actor == convenor
    assert entry.partnership_id == partnership.pk
    assert entry.object_id == str(commitment.pk)
    assert entry.changes["lock_version"] == 2
    assert set(entry.changes["fields"]) == {"statement", "body"}
    flat = repr(entry.changes)
    assert "confidential" not in flat
    assert "Body words" not in flat


def test_every_kind_of_change_is_audited(document, areas, convenor):
    commitment = add_commitment(document, convenor, areas[0])
    services.block_move(block=areas[1], actor=convenor, direction="up")
    services.block_remove(block=commitment, actor=convenor, lock_version=1)

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "drafting.document_create", "drafting.block_add", "drafting.block_move", "drafting.block_remove"
    } <= actions  # fmt: skip


def test_an_amendment_on_a_removed_part_takes_no_new_support(commitment, convenor, people):
    amendment = services.amendment_propose(
        block=commitment, actor=convenor, base_lock_version=commitment.lock_version,
        statement="We will pay within 14 days.", reason="Cash flow",
    )  # fmt: skip
    services.block_remove(block=commitment, actor=convenor, lock_version=reload(commitment).lock_version)
    with pytest.raises(ValidationError, match="removed from the document"):
        services.amendment_support(amendment=amendment, actor=people[Role.MEMBER])
    assert not amendment.supports.exists()


def test_withdrawing_records_who_withdrew(commitment, people):
    member = people[Role.MEMBER]
    amendment = services.amendment_propose(
        block=commitment, actor=member, base_lock_version=commitment.lock_version,
        statement="We will pay within 14 days.", reason="Cash flow",
    )  # fmt: skip
    withdrawn = services.amendment_withdraw(amendment=amendment, actor=member)
    assert (withdrawn.status, withdrawn.decided_by) == ("withdrawn", member)


def test_a_hidden_comment_cannot_be_resolved(commitment, convenor, people):
    comment = services.comment_add(block=commitment, actor=people[Role.MEMBER], body="Off topic")
    services.comment_hide(comment=comment, actor=convenor, reason="Not about the charter")
    with pytest.raises(ValidationError, match="hidden"):
        services.comment_resolve(comment=comment, actor=convenor)
    comment.refresh_from_db()
    assert comment.resolved_at is None
