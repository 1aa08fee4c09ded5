"""Who may read "You said, we did" and who may record what was done, in which stage: every role,
in the two stages the text is open (drafting, consultation) and two where it is frozen
(sign-off, and "closed" once every stage is done). Then the same through the pages: the
account, its downloads, the form, and saving it.

The expected answers are written out by hand from the brief (every member reads the account;
editors, the convenor and facilitator, record outcomes in every stage, since the account is
mostly written after consultation closes), never read from the rules.

Y = allowed, . = refused. Columns: drafting, consultation, sign_off, closed."""

import io

import pytest
from django.urls import reverse
from docx import Document as Word

from compact.drafting import services
from compact.drafting.models import Comment, Document, Outcome

from . import test_permissions_matrix as matrix
from .conftest import add_commitment, set_stage
from .test_permissions_matrix import ROLES, STAGES, assert_answer, cells, sign_in

pytestmark = pytest.mark.django_db
cast = matrix.cast  # the same people as the document's matrix: one per role, an outsider, the public

# fmt: off
EXPECTED = {
    "drafting.view_document": {  # read the account and download it
        "convenor": "Y Y Y Y", "facilitator": "Y Y Y Y", "member": "Y Y Y Y",
        "observer": "Y Y Y Y", "outsider":    ". . . .", "anonymous": ". . . .",
    },
    "drafting.record_outcome": {
        "convenor": "Y Y Y Y", "facilitator": "Y Y Y Y", "member": ". . . .",
        "observer": ". . . .", "outsider":    ". . . .", "anonymous": ". . . .",
    },
}

# 302 for the anonymous public is the sign-in redirect; 404 for outsiders (nothing leaks about
# another partnership's documents); 403 for a member whose role refuses; for POST, 302 from an
# editor means saved.
READ = {
    "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "200 200 200 200",
    "observer": "200 200 200 200", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
}
PAGES = {
    "account": READ, "docx": READ, "csv": READ,  # the page and its downloads alike
    "form": {
        "convenor": "200 200 200 200", "facilitator": "200 200 200 200", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
    "save": {
        "convenor": "302 302 302 302", "facilitator": "302 302 302 302", "member":    "403 403 403 403",
        "observer": "403 403 403 403", "outsider":    "404 404 404 404", "anonymous": "302 302 302 302",
    },
}
# fmt: on
SAVES = {(editor, stage) for editor in ("convenor", "facilitator") for stage in STAGES}
URL_NAMES = {"account": "you_said_we_did", "docx": "you_said_we_did_docx", "csv": "you_said_we_did_csv"}
SAID = "Thirty days is too long."


@pytest.fixture
def thread(document, areas, convenor, cast):
    commitment = add_commitment(document, convenor, areas[0])
    return services.comment_add(block=commitment, actor=cast["member"], body=SAID)


def test_the_tables_cover_every_role_and_stage():
    for table in (EXPECTED, PAGES):
        for row in table.values():
            assert set(row) == set(ROLES)
            assert all(len(codes.split()) == len(STAGES) for codes in row.values())


@pytest.mark.parametrize("perm, role, stage, expected", cells(EXPECTED))
def test_rules(perm, role, stage, expected, cast, document, drafting):
    set_stage(drafting, stage)
    obj = Document.objects.select_related("process").get(pk=document.pk)  # fresh: no cached stage

    assert cast[role].has_perm(perm, obj) is (expected == "Y")


@pytest.mark.parametrize(
    "page, role, stage, expected", cells({name: PAGES[name] for name in ("account", "docx", "csv")})
)
def test_reading_the_account(client, cast, document, drafting, thread, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.get(reverse(URL_NAMES[page], args=[document.partnership.slug, document.pk]))

    assert_answer(response, expected, role)
    if expected == "200":
        if page == "docx":
            assert SAID in [p.text for p in Word(io.BytesIO(response.content)).paragraphs]
        else:
            assert SAID in response.content.decode("utf-8-sig")


def form_url(thread) -> str:
    return reverse("outcome_record", args=[thread.document.partnership.slug, thread.document_id, "comment", thread.pk])


@pytest.mark.parametrize("page, role, stage, expected", cells({"form": PAGES["form"]}))
def test_the_form(client, cast, drafting, thread, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.get(form_url(thread))

    assert_answer(response, expected, role)
    if expected == "200":
        assert 'name="note"' in response.content.decode()


@pytest.mark.parametrize("page, role, stage, expected", cells({"save": PAGES["save"]}))
def test_saving_an_outcome(client, cast, drafting, thread, page, role, stage, expected):
    set_stage(drafting, stage)
    sign_in(client, cast, role)

    response = client.post(form_url(thread), {"outcome": Outcome.NOTED, "note": "For the action plan."})

    assert_answer(response, expected, role)
    saved = Comment.objects.get(pk=thread.pk)
    if (role, stage) in SAVES:
        assert (saved.outcome, saved.outcome_note) == (Outcome.NOTED, "For the action plan.")
    else:
        assert saved.outcome == ""
