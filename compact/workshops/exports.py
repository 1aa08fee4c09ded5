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
from compact.core.docx import DOCX_TYPE, plain, set_language, table

from .writeup_build import OTHER_IDEAS, WriteUpContent

CSV_HEADER = ["prompt", "theme", "idea", "organisation", "votes", "after the workshop"]


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


def _paragraphs(document, text: str) -> None:
    """Text as written, one paragraph per blank-line-separated block (never interpreted)."""
    for block in re.split(r"\n\s*\n", plain(text).strip()):
        if block.strip():
            paragraph = document.add_paragraph()
            lines = block.splitlines()
            for n, line in enumerate(lines):
                run = paragraph.add_run(line)
                if n < len(lines) - 1:
                    run.add_break()


def docx_bytes(content: WriteUpContent) -> bytes:
    from docx import Document

    document = Document()
    title = f"Write-up: {plain(content.title)}"
    document.core_properties.title = title[:250]
    document.core_properties.author = plain(content.partnership)[:250]
    document.core_properties.comments = ""
    set_language(document)
    document.add_heading(title, level=1)
    document.add_paragraph(f"{plain(content.partnership)}, {content.date}")

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
        table(document, ["Kind of organisation", "Organisations"], [[k, str(n)] for k, n in a.by_kind],
               "Organisations by kind")  # fmt: skip
        table(document, ["Borough", "Organisations"], [[b, str(n)] for b, n in a.by_borough],
               "Organisations by borough")  # fmt: skip
        table(document, ["Organisation", "Kind", "Borough"], [[o.name, o.kind, o.borough] for o in a.organisations],
               "Organisations that came")  # fmt: skip

    document.add_heading("Ideas by theme", level=2)
    if not content.groups:
        document.add_paragraph("No ideas were added.")
    for group in content.groups:
        heading = plain(group.name)
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
        table(document, header, rows, f"Ideas: {group.name}")

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
