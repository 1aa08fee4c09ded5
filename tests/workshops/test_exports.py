"""The write-up's CSV and DOCX: one CSV row per idea with formulas defused; a DOCX with real
headings, title and language, repeating table headers, no images, and people's text as plain
text (script, formulas, Markdown never interpreted). Access needs appear nowhere."""

import csv
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from compact.partnerships.models import Role
from compact.workshops import exports, writeup_build
from compact.workshops.services import writeup as writeup_services

from .test_writeup import ACCESS_NEED, FORMULA, SCRIPT, _kinds, _no_language_model, wall_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(wall, people):
    writeup_services.write_up_update(
        workshop=wall["workshop"], actor=people[Role.FACILITATOR],
        summary="We **agreed** three things.\n\n<img src=x onerror=alert(1)>", facilitator_notes="+SUM(A1:A9)",
        theme_notes={wall["money"].pk: "=1+1 and <b>bold</b>"},
    )  # fmt: skip
    return writeup_build.build(wall["workshop"], show_votes=True)


def test_csv_has_one_row_per_visible_idea_with_formulas_defused(content):
    response = exports.write_up_csv(content)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="write-up-shaping-the-charter.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == exports.CSV_HEADER
    body = rows[1:]
    assert len(body) == len(content.ideas) == 4
    by_text = {r[2]: r for r in body}
    assert by_text["'" + FORMULA] == ["What should the ICB commit to on procurement?", "Other ideas", "'" + FORMULA,
                                      "Table 3", "1", "no"]  # fmt: skip
    assert by_text[SCRIPT][1] == "Plain words"  # text stays text
    assert by_text["Pay invoices within 30 days"][1:6] == ["Paying on time", "Pay invoices within 30 days",
                                                           "Lewisham Foodbank", "6", "no"]  # fmt: skip
    assert by_text["Sent after the workshop: share minutes"][5] == "yes"
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert ACCESS_NEED not in response.content.decode()


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "\t=1", "\r=1"])
def test_every_dangerous_start_is_defused(text):
    attendance = writeup_build.Attendance(0, 0, [], [], [])
    idea = writeup_build.IdeaRow(1, text, text, text, text, None, False)
    group = writeup_build.ThemeGroup(None, "Other ideas", "", None, [idea])
    content = writeup_build.WriteUpContent("T", "P", "1 May 2026", "", "", attendance, [group], False, "ideas", False)
    row = list(exports.csv_rows(content))[1]
    assert row[0] == row[2] == row[3] == "'" + text


def _document(content):
    return Document(io.BytesIO(exports.docx_bytes(content)))


def test_docx_has_real_headings_title_language_and_no_images(content):
    document = _document(content)
    assert document.core_properties.title == "Write-up: Shaping the charter"
    assert document.core_properties.language == "en-GB"
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Write-up: Shaping the charter")
    assert ("Heading 2", "Summary") in headings and ("Heading 2", "Who came") in headings
    assert ("Heading 2", "Ideas by theme") in headings and ("Heading 2", "Facilitator's notes") in headings
    assert ("Heading 3", "Paying on time (6 dots)") not in headings  # ideas were voted on, not themes
    assert [h for s, h in headings if s == "Heading 3"] == ["Paying on time", "Plain words", "Other ideas"]
    assert not document.inline_shapes and not document.part.package.image_parts
    normal_lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal_lang.get(qn("w:val")) == "en-GB"


def test_docx_tables_have_repeating_header_rows_and_plain_text(content):
    document = _document(content)
    assert len(document.tables) == 6  # by kind, by borough, organisations, three theme groups
    for table in document.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblCaption")) is not None
    ideas = document.tables[3]
    assert [c.text for c in ideas.rows[0].cells] == ["Idea", "Question", "From", "Dots"]
    assert [c.text for c in ideas.rows[1].cells][0] == "Pay invoices within 30 days"
    assert ideas.rows[1].cells[3].text == "6"
    everything = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert SCRIPT in everything and FORMULA in everything  # shown as typed, never run
    assert "We **agreed** three things." in everything and "<img src=x onerror=alert(1)>" in everything
    assert "=1+1 and <b>bold</b>" in everything and "+SUM(A1:A9)" in everything
    assert "Sent after the workshop: share minutes (sent after the workshop)" in everything
    assert "Names a council officer" not in everything and ACCESS_NEED not in everything
    assert "Lewisham Foodbank" in everything and "Catford Youth" in everything


def test_docx_survives_characters_xml_cannot_hold(content):
    content.summary = "Bell\x07 and vertical tab\x0b and \ud800 lone surrogate"
    document = _document(content)
    assert any("Bell and vertical tab and  lone surrogate" in p.text for p in document.paragraphs)


def test_docx_without_votes_has_no_dots_column(wall):
    document = _document(writeup_build.build(wall["workshop"], show_votes=False))
    for table in document.tables[3:]:
        assert "Dots" not in [c.text for c in table.rows[0].cells]
