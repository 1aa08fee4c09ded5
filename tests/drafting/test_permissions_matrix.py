"""Who may do what with a document, in which stage: every role, in the two stages the text is
open (drafting, consultation) and two where it is frozen (sign-off, and "closed" once every
stage is done). Then the same through the pages: the document, the block edit page, and saving
a block.

The expected answers are written out by hand from the brief (editors = convenor and facilitator,
participants = editors and members, observers read; editing and discussion in drafting and
consultation, running consultation rounds only in consultation), never read from the rules.

Y = allowed, . = refused. Columns: drafting, consultation, sign_off, closed."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from compact.drafting.models import Amendment, Block, Document
from compact.partnerships.models import Role

from .conftest import add_commitment, set_stage

pytestmark = pytest.mark.django_db

ROLES = ["convenor", "facilitator", "member", "observer", "outsider", "anonymous"]
STAGES = ["drafting", "consultation", "sign_off", "closed"]

# fmt: off
EXPECTED = {
    "drafting.view_document": {
        "convenor": "Y Y Y Y", "facilitator": "Y Y Y Y", "member": "Y Y Y Y",
        "observer": "Y Y Y Y", "outsider":    ". . . .", "anonymous": ". . . .",
    },
    "drafting.change_document": {  # edit
        "convenor": "Y Y . .", "facilitator": "Y Y . .", "member": ". . . .",
        "observer": ". . . .", "outsider":    ". . . .", "anonymous": ". . . .",
    },
    "drafting.add_comment": {  # comment
        "convenor": "Y Y . .", "facilitator": "Y Y . .", "member": "Y Y . .",
        "observer": ". . . .", "outsider":    ". . . .", "anonymous": ". . . .",
    },
    "drafting.add_amendment": {  # amend
        "convenor": "Y Y . .", "facilitator": "Y Y . .", "member": "Y Y . .",
        "observer": ". . . .", "outsider":    ". . . .", "anonymous": ". . . .",
    },
    "drafting.decide_amendment": {  # accept or reject an open amendment
        "convenor": "Y Y . .", "facilitator": "Y Y . .", "member": ". . . .",
        "observer": ". . . .", "outsider":    ". . . .", "anonymous": ". . . .",
    },
    "drafting.run_consultation": {
        "convenor": ". Y . .", "facilitator": ". Y . .", "member": ". . . .",
        "observer": ". . . .", "outsider":    ". . . .", "anonymous": ". . . .",
    },
}

# What each person gets from the pages. 302 for the anonymous public is the sign-in redirect;
# 404 for outsiders (nothing leaks about another partnership's documents); 403 for a member
# whose role or the stage refuses; for POST, 302 from an editor means saved.
PAGES = {
    "document": {
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "200 200 200 200",
        "observer": "200 200 200 200", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "edit": {
        "convenor": "200 200 403 403", "facilitator": "200 200 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "save": {
        "convenor": "302 302 403 403", "facilitator": "302 302 403 403", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
}
# fmt: on
SAVES = {(editor, stage) for editor in ("convenor", "facilitator") for stage in ("drafting", "consultation")}


def cells(table):
    params = []
    for name, row in table.items():
        for role in ROLES:
            for column, stage in enumerate(STAGES):
                expected = row[role].split()[column]
                params.append(pytest.param(name, role, stage, expected, id=f"{name}-{role}-{stage}"))
    return params


@pytest.fixture
def cast(people):
    return {
        "convenor": people[Role.CONVENOR],
        "facilitator": people[Role.FACILITATOR],
        "member": people[Role.MEMBER],
        "observer": people[Role.OBSERVER],
        "outsider": people["outsider"],
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0], body="Invoices are paid late.")


@pytest.fixture
def amendment(document, commitment, cast):
    return Amendment.objects.create(
        document=document, block=commitment, proposer=cast["member"], reason="Thirty days is too long.",
        statement="We will pay within 14 days.", base_lock_version=1,
    )  # fmt: skip


def test_the_tables_cover_every_role_and_stage():
    for table in (EXPECTED, PAGES):
        for row in table.values():
            assert set(row) == set(ROLES)
            assert all(len(codes.split()) == len(STAGES) for codes in row.values())


@pytest.mark.parametrize("perm, role, stage, expected", cells(EXPECTED))
def test_rules(perm, role, stage, expected, cast, document, drafting, amendment):
    set_stage(drafting, stage)
    # Fresh objects: the process caches its stage kind once asked.
    if perm == "drafting.decide_amendment":
        obj = Amendment.objects.select_related("document__process").get(pk=amendment.pk)
    else:
        obj = Document.objects.select_related("process").get(pk=document.pk)

    assert cast[role].has_perm(perm, obj) is (expected == "Y")


def test_a_decided_amendment_cannot_be_decided_again(cast, amendment):
    Amendment.objects.filter(pk=amendment.pk).update(status="accepted")

    assert not cast["convenor"].has_perm("drafting.decide_amendment", Amendment.objects.get(pk=amendment.pk))


def test_another_member_may_support_an_open_amendment(cast, amendment):
    fresh = Amendment.objects.select_related("document__process").get(pk=amendment.pk)

    assert cast["facilitator"].has_perm("drafting.support_amendment", fresh)


def test_the_process_settings_can_open_editing_outside_its_stages(cast, document, drafting):
    process = set_stage(drafting, "sign_off")
    process.feature_settings = {"drafting.edit": True}
    process.save()

    assert cast["convenor"].has_perm("drafting.change_document", Document.objects.get(pk=document.pk))
    assert not cast["member"].has_perm("drafting.change_document", Document.objects.get(pk=document.pk))


# --- through the pages ----------------------------------------------------------------------


def sign_in(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])


def assert_answer(response, expected: str, role: str):
    assert response.status_code == int(expected), (role, response.status_code)
    if role == "anonymous":
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("page, role, stage, expected", cells({"document": PAGES["document"]}))
def test_document_page(client, cast, document, drafting, commitment, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.get(reverse("document_detail", args=[document.partnership.slug, document.pk]))

    assert_answer(response, expected, role)
    if expected == "200":
        assert "We will pay within 30 days." in response.content.decode()


@pytest.mark.parametrize("page, role, stage, expected", cells({"edit": PAGES["edit"]}))
def test_block_edit_page(client, cast, document, drafting, commitment, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.get(reverse("block_edit", args=[document.partnership.slug, document.pk, commitment.pk]))

    assert_answer(response, expected, role)
    if expected == "200":
        assert 'name="lock_version" value="1"' in response.content.decode()


@pytest.mark.parametrize("page, role, stage, expected", cells({"save": PAGES["save"]}))
def test_saving_a_block(client, cast, document, drafting, commitment, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.post(
        reverse("block_edit", args=[document.partnership.slug, document.pk, commitment.pk]),
        {"lock_version": 1, "statement": "We will pay within 7 days.", "committed_by": ["all"], "body": "Changed."},
    )

    assert_answer(response, expected, role)
    block = Block.objects.get(pk=commitment.pk)
    if (role, stage) in SAVES:
        assert response["Location"].startswith(
            reverse("document_detail", args=[document.partnership.slug, document.pk])
        )
        assert (block.statement, block.body, block.lock_version) == ("We will pay within 7 days.", "Changed.", 2)
    else:
        assert (block.statement, block.body, block.lock_version) == (
            "We will pay within 30 days.", "Invoices are paid late.", 1,
        )  # fmt: skip
