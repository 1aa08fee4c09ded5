"""The write-up as CSV (one row per idea) and as an accessible Word document (DOCX).

CSV: every cell goes through `safe_cell`, so nothing a person typed can run as a spreadsheet
formula. DOCX: real headings (Heading 1 and 2), the title and language in the document's core
properties, tables whose header rows repeat on every page, no images. Everything people typed
is put into runs as plain text: Word never interprets it (and Markdown notes stay as written)."""

from __future__ import annotations

import csv
import io
import re

from django.http import HttpResponse
from django.utils.text import slugify

from compact.core.csv import safe_cell

from .writeup_build import OTHER_IDEAS, WriteUpContent

CSV_HEADER = ["prompt", "theme", "idea", "organisation", "votes", "after the workshop"]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "en-GB"
# XML 1.0 cannot hold these (python-docx would refuse the whole document).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def filename(content: WriteUpContent, ext: str) -> str:
    return f"write-up-{slugify(content.title)[:60] or 'workshop'}.{ext}"


def _votes_cell(content: WriteUpContent, votes) -> str:
    return "" if votes is None else str(votes)


# CSV ------------------------------------------------------------------------------------------


def csv_rows(content: WriteUpContent):
    yield CSV_HEADER
    for idea in content.ideas:
        yield [
            safe_cell(value)
            for value in (idea.prompt, idea.theme or OTHER_IDEAS, idea.text, idea.source,
                          _votes_cell(content, idea.votes), "yes" if idea.after_workshop else "no")
        ]  # fmt: skip


def write_up_csv(content: WriteUpContent) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(content, "csv")}"'
    response.write("\ufeff")  # so Excel reads UTF-8 (names with accents, non-Latin scripts)
    writer = csv.writer(response)
    for row in csv_rows(content):
        writer.writerow(row)
    return response


# DOCX -----------------------------------------------------------------------------------------


def _plain(text) -> str:
    return _NOT_XML.sub("", str(text or ""))


def _paragraphs(document, text: str) -> None:
    """Text as written, one paragraph per blank-line-separated block (never interpreted)."""
    for block in re.split(r"\n\s*\n", _plain(text).strip()):
        if block.strip():
            paragraph = document.add_paragraph()
            lines = block.splitlines()
            for n, line in enumerate(lines):
                run = paragraph.add_run(line)
                if n < len(lines) - 1:
                    run.add_break()


def _table(document, header: list[str], rows: list[list[str]], caption: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    tbl_pr = table._tbl.tblPr
    caption_el = OxmlElement("w:tblCaption")
    caption_el.set(qn("w:val"), _plain(caption)[:200])
    tbl_pr.append(caption_el)
    head = table.rows[0]
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(_plain(text))
    return table


def _set_language(document) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.core_properties.language = LANGUAGE
    r_pr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    r_pr.append(lang)


def docx_bytes(content: WriteUpContent) -> bytes:
    from docx import Document

    document = Document()
    title = f"Write-up: {_plain(content.title)}"
    document.core_properties.title = title[:250]
    document.core_properties.author = _plain(content.partnership)[:250]
    document.core_properties.comments = ""
    _set_language(document)
    document.add_heading(title, level=1)
    document.add_paragraph(f"{_plain(content.partnership)}, {content.date}")

    if content.summary.strip():
        document.add_heading("Summary", level=2)
        _paragraphs(document, content.summary)

    a = content.attendance
    document.add_heading("Who came", level=2)
    document.add_paragraph(
        f"{a.registered} {'person' if a.registered == 1 else 'people'} registered and "
        f"{a.took_part} took part, from {len(a.organisations)} "
        f"organisation{'' if len(a.organisations) == 1 else 's'}."
    )
    if a.organisations:
        _table(document, ["Kind of organisation", "Organisations"], [[k, str(n)] for k, n in a.by_kind],
               "Organisations by kind")  # fmt: skip
        _table(document, ["Borough", "Organisations"], [[b, str(n)] for b, n in a.by_borough],
               "Organisations by borough")  # fmt: skip
        _table(document, ["Organisation", "Kind", "Borough"], [[o.name, o.kind, o.borough] for o in a.organisations],
               "Organisations that came")  # fmt: skip

    document.add_heading("Ideas by theme", level=2)
    if not content.groups:
        document.add_paragraph("No ideas were added.")
    for group in content.groups:
        heading = _plain(group.name)
        if group.votes is not None:
            heading += f" ({group.votes} dot{'' if group.votes == 1 else 's'})"
        document.add_heading(heading, level=3)
        if group.note.strip():
            _paragraphs(document, group.note)
        if not group.ideas:
            document.add_paragraph("No ideas in this theme.")
            continue
        header = ["Idea", "Question", "From"] + (["Dots"] if content.show_votes and group.ideas[0].votes is not None
                                                 else [])  # fmt: skip
        rows = []
        for idea in group.ideas:
            text = idea.text + (" (sent after the workshop)" if idea.after_workshop else "")
            row = [text, idea.prompt, idea.source]
            if len(header) == 4:
                row.append(_votes_cell(content, idea.votes))
            rows.append(row)
        _table(document, header, rows, f"Ideas: {group.name}")

    if content.facilitator_notes.strip():
        document.add_heading("Facilitator's notes", level=2)
        _paragraphs(document, content.facilitator_notes)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_up_docx(content: WriteUpContent) -> HttpResponse:
    response = HttpResponse(docx_bytes(content), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(content, "docx")}"'
    return response
