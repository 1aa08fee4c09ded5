"""'You said, we did': recording what was done with a comment, amendment or consultation answer
(and what cannot be recorded), the account in the order of the document, who said it (an
organisation or "An individual", never a person's name or email), the page with its filter and
its form, the DOCX and CSV exports with hostile text, and the cost as feedback grows."""

import csv
import datetime as dt
import io
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document as Word

from compact.activity.models import AuditEntry
from compact.drafting import accounting, outline, services
from compact.drafting.accounting import INDIVIDUAL
from compact.drafting.models import (
    Amendment,
    AmendmentStatus,
    Answer,
    BlockKind,
    Comment,
    Outcome,
    Question,
    QuestionKind,
    Response,
    Round,
)  # fmt: skip
from compact.drafting.selectors_accounting import account_for
from compact.drafting.services.outcomes import DECIDE_FIRST, NOTE_REQUIRED, OUTCOME_REQUIRED, REFUSALS
from compact.drafting.views.accounting import CANNOT_DECIDE
from compact.partnerships.models import Role

from ..factories import ERROR_SUMMARY, OrganisationFactory, field_errors, messages_shown
from .conftest import add_commitment, intro_block, page, set_stage, textarea

pytestmark = pytest.mark.django_db

PERSON, PERSON_EMAIL = "Priya Shah", "priya.shah@example.org"
FORMULA = '=HYPERLINK("http://evil.example","click")'
SCRIPT = "<script>alert('x')</script>"


# Consultation rows, made directly (the round services are another piece of work) -------------


def make_round(document, convenor, title="Spring consultation") -> Round:
    version = services.version_cut(document=document, actor=convenor, name="Draft for consultation")
    now = timezone.now()
    return Round.objects.create(
        document=document, version=version, title=title, opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7), public_key=uuid.uuid4().hex,
    )  # fmt: skip


def ask(round_, block, text, kind=QuestionKind.TEXT) -> Question:
    return Question.objects.create(round=round_, block=block, kind=kind, text=text, position=round_.questions.count())


def respond(question, text="", scale=None, organisation=None, name=PERSON, email=PERSON_EMAIL, **extra) -> Answer:
    response = Response.objects.create(round=question.round, name=name, email=email, on_behalf_of=organisation, **extra)
    return Answer.objects.create(response=response, question=question, text=text, scale=scale)


def record(item, actor, outcome=Outcome.CHANGED, note="We reworded it."):
    return services.outcome_record(item=item, actor=actor, outcome=outcome, note=note)


@pytest.fixture
def alice(people):
    alice = people[Role.MEMBER]
    alice.full_name, alice.email = "Alice Okonjo", "alice.okonjo@example.org"
    alice.save()
    return alice


@pytest.fixture
def charity():
    return OrganisationFactory(name="Lewisham Foodbank")


@pytest.fixture
def commitment(document, areas, convenor):
    return add_commitment(document, convenor, areas[0], statement="We will pay within 30 days.")


@pytest.fixture
def thread(commitment, alice):
    return services.comment_add(block=commitment, actor=alice, body="Thirty days is too long.")


def propose(block, actor, statement="We will pay within 14 days.", reason="Small charities cannot wait."):
    return services.amendment_propose(
        block=block, actor=actor, reason=reason, base_lock_version=block.lock_version, statement=statement
    )


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- recording an outcome -------------------------------------------------------------------


def test_an_editor_records_what_they_did_with_a_comment(thread, facilitator):
    record(thread, facilitator, Outcome.PARTLY, "  We now say 14 days for small charities.\r\n  ")

    saved = reload(thread)
    assert (saved.outcome, saved.outcome_note, saved.outcome_by) == (
        Outcome.PARTLY, "We now say 14 days for small charities.", facilitator,
    )  # fmt: skip
    assert saved.outcome_at is not None
    entry = AuditEntry.objects.get(action="drafting.outcome_record")
    assert entry.object_id == str(thread.pk) and entry.changes == {"outcome": ["", "partly"]}
    assert "14 days" not in str(entry.changes)  # the audit log keeps states, not the text


def test_an_answer_with_words_and_a_decided_amendment_take_outcomes(document, commitment, convenor, alice):
    answer = respond(ask(make_round(document, convenor), commitment.parent, "What is missing?"), "Rural areas.")
    amendment = propose(commitment, alice)
    services.amendment_decide(amendment=amendment, actor=convenor, decision="reject", reason="Funding rules.")

    record(answer, convenor, Outcome.NOTED, "For the action plan.")
    record(amendment, convenor, Outcome.ALREADY, "Commitment 1.2 covers it.")

    assert (reload(answer).outcome, reload(answer).outcome_note) == (Outcome.NOTED, "For the action plan.")
    decided = reload(amendment)
    assert (decided.outcome, decided.outcome_note, decided.status) == (
        Outcome.ALREADY, "Commitment 1.2 covers it.", AmendmentStatus.REJECTED,
    )  # fmt: skip
    assert decided.decision_reason == "Funding rules."  # the decision itself stands


def test_what_cannot_be_accounted_is_refused_with_a_reason(document, commitment, thread, convenor, alice):
    reply = services.comment_add(block=commitment, actor=convenor, body="Agreed.", parent=thread)
    hidden = services.comment_add(block=commitment, actor=alice, body="Rude words.")
    services.comment_hide(comment=hidden, actor=convenor, reason="Personal attack")
    withdrawn = propose(commitment, alice)
    services.amendment_withdraw(amendment=withdrawn, actor=alice)
    open_amendment = propose(commitment, alice, statement="We will pay within 7 days.")
    scale_only = respond(ask(make_round(document, convenor), None, "Do you agree?", QuestionKind.AGREE), scale=4)

    for item, reason in ((reply, "reply"), (hidden, "hidden"), (withdrawn, "withdrawn"), (open_amendment, "open"),
                         (scale_only, "scale_only")):  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            record(item, convenor)
        assert refused.value.messages == [REFUSALS[reason]]
        assert reload(item).outcome == ""
    assert "decision page" in DECIDE_FIRST
    assert not AuditEntry.objects.filter(action="drafting.outcome_record").exists()


@pytest.mark.parametrize(
    "outcome, note, field, message",
    [
        ("", "Because.", "outcome", OUTCOME_REQUIRED),
        ("ignored", "Because.", "outcome", OUTCOME_REQUIRED),
        (Outcome.CHANGED, "   \n ", "note", NOTE_REQUIRED),
        (Outcome.CHANGED, "x" * 3001, "note", "Keep it to 3,000 characters (it has 3,001)"),
        (Outcome.CHANGED, "Bell\x07", "note", None),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(thread, convenor, outcome, note, field, message):
    with pytest.raises(ValidationError) as refused:
        record(thread, convenor, outcome, note)

    errors = refused.value.message_dict
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert reload(thread).outcome == ""


def test_members_and_observers_cannot_record(thread, people):
    for role in (Role.MEMBER, Role.OBSERVER):
        with pytest.raises(PermissionDenied):
            record(thread, people[role])
    assert reload(thread).outcome == ""


# --- the account ----------------------------------------------------------------------------


@pytest.fixture
def spread(document, areas, convenor, alice, charity):
    """Feedback on every kind of part, made out of document order."""
    second = add_commitment(document, convenor, areas[1], statement="We will share data.")
    first = add_commitment(document, convenor, areas[0], statement="We will pay within 30 days.")
    section = services.block_add(
        document=document, actor=convenor, kind=BlockKind.SECTION, title="Governance", section_kind="governance"
    )
    gone = add_commitment(document, convenor, areas[1], statement="We will hold an annual fair.")
    round_ = make_round(document, convenor)
    items = {
        "on second": services.comment_add(block=second, actor=alice, body="Which data?"),
        "on whole": respond(ask(round_, None, "Anything else?"), "Say it plainly.", organisation=charity),
        "from outside": respond(
            ask(round_, None, "Who are you?"), "A tenants' group.", organisation_name="Catford Tenants"
        ),
        "answer on area 1": respond(ask(round_, areas[0], "What is missing?"), "Rural areas."),
        "amendment on first": propose(first, alice),
        "on first": services.comment_add(block=first, actor=alice, body="Too slow."),
        "on area 2": services.comment_add(block=areas[1], actor=alice, body="Good heading."),
        "on intro": services.comment_add(block=intro_block(document), actor=alice, body="Say who we are."),
        "on section": services.comment_add(block=section, actor=alice, body="Who chairs?"),
        "on gone": services.comment_add(block=gone, actor=alice, body="Keep the fair!"),
    }
    services.block_remove(block=gone, actor=convenor, lock_version=reload(gone).lock_version)
    return items


def said(account):
    return [(part.label, [item.said for item in part.items]) for top in account.parts for part in top.with_children]


def test_the_account_follows_the_order_of_the_document(document, spread):
    account = account_for(document)

    assert said(account) == [
        ("Introduction", ["Say who we are."]),
        ("Key area 1: Sustainability and funding", ["Rural areas."]),
        ("Commitment 1.1", ["Too slow.", "Small charities cannot wait."]),  # comments, then amendments
        ("Key area 2: Procurement and commissioning", ["Good heading."]),
        ("Commitment 2.1", ["Which data?"]),
        ("Governance", ["Who chairs?"]),
        ("About the whole document", ["Say it plainly.", "A tenants' group."]),
        ("Parts since removed from the document", []),
        ("Commitment (removed): We will hold an annual fair.", ["Keep the fair!"]),
    ]
    assert (account.total, account.awaiting) == (10, 10)
    amendment = account.parts[1].children[0].items[1]
    assert amendment.wording == [("The commitment", "We will pay within 14 days.")]
    assert account.parts[1].items[0].context == "Answering “What is missing?”"


def test_outcomes_and_what_is_left_out(document, areas, spread, convenor, alice):
    record(spread["on first"], convenor, Outcome.CHANGED, "Now 14 days.")
    services.comment_add(block=spread["on first"].block, actor=convenor, body="A reply.", parent=spread["on first"])
    services.comment_hide(comment=spread["on second"], actor=convenor, reason="Off topic")
    services.amendment_withdraw(amendment=spread["amendment on first"], actor=alice)
    question = ask(Round.objects.get(), areas[0], "How far do you agree?", QuestionKind.AGREE)
    for scale in (5, 5, 2):
        respond(question, scale=scale)

    account = account_for(document)

    assert (account.total, account.awaiting) == (8, 7)
    assert dict(account.by_outcome)["We changed the text"] == 1
    assert account.scale_marks == 3
    first = account.parts[1].children[0]
    assert [(i.said, i.outcome_label, i.note) for i in first.items] == [
        ("Too slow.", "We changed the text", "Now 14 days.")
    ]
    tally = account.parts[1].tallies[0]
    assert (tally.question, dict(tally.counts)["Strongly agree"], dict(tally.counts)["Disagree"]) == (
        "How far do you agree?", 2, 1,
    )  # fmt: skip
    assert "A reply." not in str(said(account)) and "Which data?" not in str(said(account))

    waiting = account_for(document, awaiting_only=True)
    assert "Too slow." not in str(said(waiting)) and "Say who we are." in str(said(waiting))
    assert (waiting.total, waiting.awaiting) == (8, 7)  # the summary always counts everything


def test_who_said_it_is_an_organisation_or_an_individual_never_a_person(client, document, spread, convenor, charity):
    Comment.objects.filter(pk=spread["on intro"].pk).update(on_behalf_of=charity)
    account = account_for(document)
    whos = {item.said: item.who for top in account.parts for part in top.with_children for item in part.items}

    assert whos["Say who we are."] == whos["Say it plainly."] == "Lewisham Foodbank"
    assert whos["A tenants' group."] == "Catford Tenants"  # named by the respondent, outside the directory
    assert whos["Too slow."] == whos["Rural areas."] == whos["Small charities cannot wait."] == INDIVIDUAL
    client.force_login(convenor)
    args = [document.partnership.slug, document.pk]
    outputs = {
        "page": page(client.get(reverse("you_said_we_did", args=args))),
        "csv": client.get(reverse("you_said_we_did_csv", args=args)).content.decode("utf-8-sig"),
        "docx": docx_text(client.get(reverse("you_said_we_did_docx", args=args)).content),
        "form": page(client.get(record_url(spread["on first"]))),
    }
    for name, text in outputs.items():
        for secret in (PERSON, PERSON_EMAIL, "Alice Okonjo", "alice.okonjo@example.org", convenor.email):
            assert secret not in text, (name, secret)
        assert "an individual" in text.lower(), name


# --- the page -------------------------------------------------------------------------------


def account_url(document, query: str = "") -> str:
    return reverse("you_said_we_did", args=[document.partnership.slug, document.pk]) + query


def record_url(obj, kind: str | None = None) -> str:
    kind = kind or type(obj).__name__.lower()
    document = obj.question.round.document if isinstance(obj, Answer) else obj.document
    return reverse("outcome_record", args=[document.partnership.slug, document.pk, kind, obj.pk])


def test_the_page_shows_the_summary_and_escapes_what_people_wrote(client, document, commitment, alice, convenor):
    comment = services.comment_add(block=commitment, actor=alice, body=SCRIPT)
    record(comment, convenor, Outcome.NOT_CHANGED, "<b>Because</b>")
    services.comment_add(block=commitment, actor=alice, body="Still waiting.")
    client.force_login(alice)

    shown = page(client.get(account_url(document)))

    assert SCRIPT not in shown and "&lt;script&gt;" in shown and "&lt;b&gt;Because&lt;/b&gt;" in shown
    assert 'data-testid="account-total">2<' in shown and 'data-testid="account-awaiting">1<' in shown
    assert "We did not change the text" in shown and "Awaiting a response" in shown
    assert "Record what we did" not in shown  # members read; editors record
    client.force_login(convenor)
    assert page(client.get(account_url(document))).count("Record what we did") == 2
    waiting = page(client.get(account_url(document, "?awaiting=1")))
    assert "Still waiting." in waiting and "&lt;script&gt;" not in waiting
    assert reverse("you_said_we_did", args=[document.partnership.slug, document.pk]) in page(
        client.get(reverse("document_detail", args=[document.partnership.slug, document.pk]))
    )


def test_a_long_document_shows_one_part_at_a_time(client, monkeypatch, document, spread, convenor):
    monkeypatch.setattr(outline, "LONG_DOCUMENT", 1)
    client.force_login(convenor)

    first = page(client.get(account_url(document)))
    second = page(client.get(account_url(document, "?part=2")))
    whole = page(client.get(account_url(document, "?part=whole")))
    odd = page(client.get(account_url(document, "?part=<nonsense>")))

    assert "Too slow." in first and "Which data?" not in first and "Say it plainly." not in first
    assert "Which data?" in second and "Too slow." not in second
    assert "Say it plainly." in whole and "Too slow." not in whole and "Which data?" not in whole
    for shown in (first, second, whole):
        assert "Say who we are." in shown  # the introduction and sections are always open
        assert "one part at a time" in shown
    assert "Too slow." in odd  # an unknown part opens the first key area
    assert "Keep the fair!" in page(client.get(account_url(document, "?part=removed")))


# --- the form -------------------------------------------------------------------------------


def test_recording_through_the_form(client, thread, convenor):
    client.force_login(convenor)
    url = record_url(thread)
    shown = client.get(url)
    assert shown.status_code == 200
    assert "Thirty days is too long." in page(shown) and "Commitment 1.1" in page(shown)

    response = client.post(url, {"outcome": Outcome.CHANGED, "note": "Now 14 days."})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-comment-{thread.pk}")
    assert reload(thread).outcome_note == "Now 14 days."
    again = page(client.get(url))
    assert "Recorded so far" in again and textarea(client.get(url), "note") == "Now 14 days."


def test_form_errors_keep_what_was_typed(client, thread, convenor):
    client.force_login(convenor)

    missing = client.post(record_url(thread), {"note": "My careful reasons\nover two lines."})
    bad = client.post(record_url(thread), {"outcome": "nonsense", "note": "Kept too."})
    empty = client.post(record_url(thread), {"outcome": Outcome.NOTED, "note": "   "})

    assert missing.status_code == bad.status_code == empty.status_code == 200
    assert ERROR_SUMMARY in page(missing)
    assert field_errors(missing, "outcome") == [OUTCOME_REQUIRED]
    assert textarea(missing, "note") == "My careful reasons\nover two lines."
    assert field_errors(bad, "outcome") == [OUTCOME_REQUIRED] and textarea(bad, "note") == "Kept too."
    assert field_errors(empty, "note") == [NOTE_REQUIRED]
    assert re.search(r'value="noted"\s*checked', page(empty))  # the choice made stays chosen
    assert reload(thread).outcome == ""


def test_an_open_amendment_goes_to_its_decision_page(client, commitment, alice, convenor, drafting):
    amendment = propose(commitment, alice)
    client.force_login(convenor)

    response = client.get(record_url(amendment), follow=True)

    decide = reverse("amendment_decide", args=[commitment.document.partnership.slug, commitment.document_id,
                                                commitment.pk, amendment.pk])  # fmt: skip
    assert response.redirect_chain[0][0] == decide
    assert DECIDE_FIRST in messages_shown(response)


def test_an_open_amendment_after_drafting_says_why_it_cannot_be_decided(client, commitment, alice, convenor, drafting):
    amendment = propose(commitment, alice)
    set_stage(drafting, "sign_off")
    client.force_login(convenor)

    response = client.get(record_url(amendment), follow=True)

    assert (
        response.redirect_chain[0][0] == account_url(commitment.document, "?part=1") + f"#item-amendment-{amendment.pk}"
    )
    assert messages_shown(response) == [DECIDE_FIRST + CANNOT_DECIDE]
    assert reload(amendment).outcome == ""


def test_what_is_not_in_the_account_is_refused_or_not_found(client, document, commitment, thread, convenor, alice):
    reply = services.comment_add(block=commitment, actor=alice, body="Me too.", parent=thread)
    client.force_login(convenor)

    refused = client.post(record_url(reply), {"outcome": Outcome.CHANGED, "note": "x"}, follow=True)

    assert REFUSALS["reply"] in messages_shown(refused)
    assert reload(reply).outcome == ""
    slug = document.partnership.slug
    for kind, pk in (("idea", thread.pk), ("comment", 999999), ("answer", thread.pk)):
        assert client.get(reverse("outcome_record", args=[slug, document.pk, kind, pk])).status_code == 404


def test_an_item_of_another_document_is_not_found(client, drafting, convenor, thread):
    other = services.document_create(process=drafting, actor=convenor, title="Another")
    client.force_login(convenor)

    url = reverse("outcome_record", args=[other.partnership.slug, other.pk, "comment", thread.pk])

    assert client.get(url).status_code == 404


# --- exports --------------------------------------------------------------------------------


def docx_text(content: bytes) -> str:
    word = Word(io.BytesIO(content))
    return "\n".join([p.text for p in word.paragraphs] + [c.text for t in word.tables for r in t.rows for c in r.cells])


@pytest.fixture
def hostile(document, commitment, alice, convenor, charity):
    comment = services.comment_add(block=commitment, actor=alice, body=FORMULA)
    record(comment, convenor, Outcome.NOT_CHANGED, "+SUM(A1:A9)")
    Comment.objects.filter(pk=comment.pk).update(on_behalf_of=OrganisationFactory(name="@Evil Trust"))
    amendment = propose(commitment, alice, statement="-1 We will pay at once.", reason=SCRIPT)
    question = ask(make_round(document, convenor), None, "Anything else?")
    respond(question, "Bell\x07 and a tab\x0b in words.", organisation=charity)
    agree = ask(question.round, reload(commitment).parent, "Agree?", QuestionKind.AGREE)
    for scale in (1, 3):
        respond(agree, scale=scale)
    return amendment


def test_the_csv_has_a_row_per_item_with_formulas_defused(client, document, hostile, convenor):
    client.force_login(convenor)

    response = client.get(reverse("you_said_we_did_csv", args=[document.partnership.slug, document.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="you-said-we-did-sel-vcse-charter.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == accounting.CSV_HEADER
    assert [row[:4] for row in rows[1:]] == [
        ["1.1", "Commitment 1.1", "comment", "'@Evil Trust"],
        ["1.1", "Commitment 1.1", "amendment", INDIVIDUAL],
        ["", "About the whole document", "answer", "Lewisham Foodbank"],
    ]
    comment, amendment, answer = rows[1:]
    assert comment[5:] == ["'" + FORMULA, "", "We did not change the text", "'+SUM(A1:A9)"]
    assert amendment[5:] == [SCRIPT, "The commitment: -1 We will pay at once.", "Awaiting a response", ""]
    assert answer[4] == "Answering “Anything else?”"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_the_docx_holds_the_account_as_plain_text(client, document, hostile, convenor):
    client.force_login(convenor)

    response = client.get(reverse("you_said_we_did_docx", args=[document.partnership.slug, document.pk]))

    assert 'filename="you-said-we-did-sel-vcse-charter.docx"' in response["Content-Disposition"]
    word = Word(io.BytesIO(response.content))
    assert word.core_properties.title == "You said, we did: SEL VCSE Charter"
    assert word.core_properties.language == "en-GB"
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "You said, we did: SEL VCSE Charter"),
        ("Heading 2", "Introduction"),
        ("Heading 2", "Key area 1: Sustainability and funding"),
        ("Heading 3", "Commitment 1.1"),
        ("Heading 4", "Comment from @Evil Trust"),
        ("Heading 4", "Amendment from an individual"),
        ("Heading 2", "Key area 2: Procurement and commissioning"),
        ("Heading 2", "About the whole document"),
        ("Heading 3", "Consultation answer from Lewisham Foodbank"),
    ]
    text = docx_text(response.content)
    assert FORMULA in text and SCRIPT in text and "+SUM(A1:A9)" in text  # as typed, never run
    assert "Bell and a tab in words." in text  # characters XML cannot hold are dropped, not fatal
    assert "What we did: Awaiting a response" in text and "What we did: We did not change the text" in text
    assert "Proposed wording (the commitment):" in text and "-1 We will pay at once." in text
    assert accounting.NOTHING_SAID in text  # key area 2
    tally = word.tables[0]
    assert tally.rows[0]._tr.trPr is not None
    assert [[c.text for c in row.cells] for row in tally.rows][1:] == [
        ["Strongly agree", "0"], ["Agree", "0"], ["Neither agree nor disagree", "1"], ["Disagree", "0"],
        ["Strongly disagree", "1"],
    ]  # fmt: skip


# --- cost -----------------------------------------------------------------------------------


def feedback(document, block, alice, convenor, n: int, round_) -> None:
    question = ask(round_, block.parent, f"Question {uuid.uuid4().hex[:6]}")
    agree = ask(round_, block.parent, "Agree?", QuestionKind.AGREE)
    for i in range(n):
        comment = services.comment_add(block=block, actor=alice, body=f"Comment {i}")
        if i % 2:
            record(comment, convenor)
        Amendment.objects.create(
            document=document, block=block, proposer=alice, statement=f"We will {i}.", reason=f"Reason {i}",
            base_lock_version=1, base_statement=block.statement, on_behalf_of=OrganisationFactory(),
        )  # fmt: skip
        respond(question, f"Answer {i}", organisation=OrganisationFactory())
        respond(agree, scale=1 + i % 5)


def test_the_cost_stays_flat_as_feedback_grows(client, document, areas, alice, convenor):
    small = add_commitment(document, convenor, areas[0])
    large = add_commitment(document, convenor, areas[1])
    round_ = make_round(document, convenor)
    feedback(document, small, alice, convenor, 2, round_)
    client.force_login(convenor)
    urls = [reverse(name, args=[document.partnership.slug, document.pk])
            for name in ("you_said_we_did", "you_said_we_did_csv", "you_said_we_did_docx")]  # fmt: skip
    for url in urls:
        client.get(url)  # warm up: session and per-page caches
    few = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        few[url] = len(captured)

    feedback(document, large, alice, convenor, 20, round_)

    for url in urls:
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert response.status_code == 200
        assert len(many) <= few[url], (url, [q["sql"] for q in many.captured_queries])
    assert page(client.get(urls[0])).count("Record what we did") == 3 * 22
    assert Answer.objects.count() == 44 and Response.objects.count() == 44
