"""Case study exports: what a person opening the CSV or the Word document would notice. Both go
through shown(), so the anonymised version leaves out what the page leaves out."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml.ns import qn

from compact.casestudies import exports, services
from compact.casestudies.models import CaseStudy, MediaKind, Status, Version
from compact.casestudies.presentation import shown

from ..factories import png_bytes
from .conftest import ANONYMISED, put_in

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil")'
SCRIPT = "<script>alert(1)</script>"
ALT = "Link workers talking with a visitor at the hub"


def _reload(case_study):
    return CaseStudy.objects.get(pk=case_study.pk)


def _anonymise(case_study):
    """Editors write the anonymised version during review; here it is simply stored."""
    CaseStudy.objects.filter(pk=case_study.pk).update(**ANONYMISED)
    return _reload(case_study)


def _image(case_study, cast, *, width=40, height=20, **kwargs):
    upload = SimpleUploadedFile("hub.png", png_bytes(width, height), content_type="image/png")
    return services.media_add(
        case_study=case_study, actor=cast["author"], file=upload, alt_text=ALT, credit="Lewisham Mind", **kwargs
    )


def _attachment(case_study, cast):
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.7\n%%EOF", content_type="application/pdf")
    return services.media_add(case_study=case_study, actor=cast["author"], file=upload, kind=MediaKind.ATTACHMENT)


def _csv(items):
    response = exports.csv_response(items, "case-studies-export")
    assert response["Content-Disposition"] == 'attachment; filename="case-studies-export.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def _docx(items, title="Case studies"):
    response = exports.docx_response(items, title, exports.filename_stem(items, title))
    assert response["Content-Type"] == exports.DOCX_TYPE
    return Document(io.BytesIO(response.content)), response


def _headings(document):
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def _text(document):
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# CSV ------------------------------------------------------------------------------------------


def test_csv_has_a_header_and_a_row_per_case_study(case_study, cast, charity):
    services.case_study_update(
        case_study=case_study, actor=cast["author"], period_start=date(2024, 3, 1), period_end=date(2024, 9, 1)
    )
    rows = _csv([shown(_reload(case_study))])
    assert rows[0] == exports.CSV_HEADER
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["title"] == "Link workers in Lewisham"
    assert (row["status"], row["version"], row["published"]) == ("Draft", "named", "")
    assert row["period"] == "March 2024 to September 2024"
    assert row["organisations"] == "Lewisham Mind"
    assert row["impact"] == "Waiting times fell by half."
    assert row["quotes"] == "It changed how we work. — Priya Patel, link worker"


def test_csv_cells_cannot_run_as_formulas_and_html_stays_literal(case_study, cast):
    services.case_study_update(case_study=case_study, actor=cast["author"], title=FORMULA, challenge=SCRIPT)
    row = dict(zip(*_csv([shown(_reload(case_study))]), strict=True))
    assert row["title"] == "'" + FORMULA
    assert row["challenge"] == SCRIPT


def test_csv_of_the_anonymised_version(case_study, cast):
    services.quote_add(case_study=case_study, actor=cast["author"], text="Unattributed words.", attribution="Bo")
    row = dict(zip(*_csv([shown(_anonymise(case_study), Version.ANONYMISED)]), strict=True))
    assert (row["title"], row["version"]) == (ANONYMISED["anonymised_title"], "anonymised")
    assert row["organisations"] == ""
    assert row["quotes"] == "It changed how we work. — A link worker"
    everything = ",".join(row.values())
    assert "Lewisham Mind" not in everything and "Priya" not in everything and "Unattributed" not in everything


def test_csv_of_several_case_studies(case_study, cast, partnership):
    other = services.case_study_create(partnership=partnership, actor=cast["author"], title="Second")
    rows = _csv([shown(_reload(case_study)), shown(other)])
    assert [r[0] for r in rows[1:]] == ["Link workers in Lewisham", "Second"]


# DOCX -----------------------------------------------------------------------------------------


def test_docx_headings_title_language_and_filename(case_study):
    item = shown(_reload(case_study))
    document, response = _docx([item], item.title)
    assert response["Content-Disposition"] == 'attachment; filename="case-study-link-workers-in-lewisham.docx"'
    assert (document.core_properties.title, document.core_properties.language) == (item.title, "en-GB")
    assert _headings(document) == [
        ("Title", "Link workers in Lewisham"),
        ("Heading 1", "Link workers in Lewisham"),
        ("Heading 2", "The challenge"),
        ("Heading 2", "The solution"),
        ("Heading 2", "What we did"),
        ("Heading 2", "The impact"),
        ("Heading 2", "Quotes"),
    ]
    normal_lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert normal_lang.get(qn("w:val")) == "en-GB"
    details = document.tables[0]
    assert [c.text for c in details.rows[0].cells] == ["Detail", "Value"]
    assert details.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [[c.text for c in r.cells] for r in details.rows[1:]] == [["Organisations", "Lewisham Mind"]]
    quote = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quote) == 1 and "It changed how we work." in quote[0].text
    assert "— Priya Patel, link worker" in quote[0].text


def test_docx_markdown_is_plain_text_and_html_stays_literal(case_study, cast):
    services.case_study_update(
        case_study=case_study, actor=cast["author"], title=FORMULA,
        solution=f"We **really** _listened_ to [people](https://example.org/a_b_c).\n\n- first\n- second\n\n{SCRIPT}",
    )  # fmt: skip
    document, _ = _docx([shown(_reload(case_study))])
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Normal", "We really listened to people (https://example.org/a_b_c).") in paragraphs
    assert ("List Bullet", "first") in paragraphs and ("List Bullet", "second") in paragraphs
    assert ("Normal", SCRIPT) in paragraphs
    assert ("Heading 1", FORMULA) in paragraphs


def test_docx_embeds_an_image_with_its_alt_text_and_credit(case_study, cast):
    _image(case_study, cast, width=3000, height=1500)
    document, _ = _docx([shown(_reload(case_study))])
    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert picture._inline.docPr.get("descr") == ALT
    assert picture.width <= 15 * 360000 and abs(picture.width / picture.height - 2) < 0.01  # 15 cm, in proportion
    assert ("Caption", "Photo: Lewisham Mind") in [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 2", "Images") in _headings(document)


def test_docx_anonymised_leaves_out_names_pictured_people_and_attachments(case_study, cast):
    _image(case_study, cast, pictured=[case_study.person])
    _attachment(case_study, cast)
    services.quote_add(case_study=case_study, actor=cast["author"], text="Unattributed words.", attribution="Bo")
    item = shown(_anonymise(case_study), Version.ANONYMISED)
    document, response = _docx([item], item.title)
    assert response["Content-Disposition"].endswith('filename="case-study-a-community-link-worker-service.docx"')
    assert _headings(document)[1] == ("Heading 1", ANONYMISED["anonymised_title"])
    assert not document.inline_shapes and not document.part.package.image_parts
    everything = _text(document)
    assert "Lewisham" not in everything and "Priya" not in everything and "report.pdf" not in everything
    assert "Unattributed" not in everything and "— A link worker" in everything
    assert ANONYMISED["anonymised_impact"] in everything


def test_docx_anonymised_keeps_an_image_of_no_one(case_study, cast):
    _image(case_study, cast)
    document, _ = _docx([shown(_anonymise(case_study), Version.ANONYMISED)])
    assert len(document.inline_shapes) == 1


def test_docx_survives_characters_xml_cannot_hold(case_study):
    # Set in memory: the services refuse these, and PostgreSQL cannot even store a NUL.
    loaded = _reload(case_study)
    loaded.title, loaded.summary, loaded.impact = "Bell\x07 title", "Vertical\x0b tab and \x00 null", "Escape\x1b here"
    document, _ = _docx([shown(loaded)])
    everything = _text(document)
    assert "Bell title" in everything and "Vertical tab and  null" in everything and "Escape here" in everything


def test_docx_says_when_an_image_file_is_missing(case_study, cast):
    media = _image(case_study, cast)
    media.file.storage.delete(media.file.name)
    document, _ = _docx([shown(_reload(case_study))])
    assert not document.inline_shapes
    assert f"[Image not available: {ALT}]" in _text(document)


def test_docx_of_a_selection_has_contents_and_every_case_study(case_study, cast, partnership):
    other = services.case_study_create(
        partnership=partnership, actor=cast["author"], title="Walking groups", impact="More people walk."
    )
    document, response = _docx([shown(_reload(case_study)), shown(other)], "Our case studies")
    assert response["Content-Disposition"] == 'attachment; filename="case-studies-our-case-studies.docx"'
    headings = _headings(document)
    assert headings[:2] == [("Title", "Our case studies"), ("Heading 1", "Contents")]
    assert [h for s, h in headings if s == "Heading 1"][1:] == ["Link workers in Lewisham", "Walking groups"]
    contents = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert contents == ["Link workers in Lewisham", "Walking groups"]
    assert headings[-2:] == [("Heading 1", "Walking groups"), ("Heading 2", "The impact")]


def test_csv_gives_the_published_date_and_status(case_study):
    published = put_in(case_study, Status.PUBLISHED)
    CaseStudy.objects.filter(pk=case_study.pk).update(published_at=datetime(2025, 5, 6, 12, tzinfo=UTC))
    row = dict(zip(*_csv([shown(_reload(published))]), strict=True))
    assert (row["status"], row["version"], row["published"]) == ("Published", "named", "2025-05-06")
