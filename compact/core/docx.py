"""Word (DOCX) helpers shared by the exports: plain text that XML can hold, a writer that adds
paragraphs in constant time (for long exports), tables whose header rows repeat on every page, and
the document's language. python-docx is imported lazily, so pages that never export do not pay
for it."""

from __future__ import annotations

import io
import re

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "en-GB"
# XML 1.0 cannot hold these (python-docx would refuse the whole document).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def plain(text) -> str:
    """Text as typed, less the characters XML cannot hold."""
    return NOT_XML.sub("", str(text or ""))


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PRESERVE = ("{http://www.w3.org/XML/1998/namespace}space", "preserve")


class Writer:
    """Adds paragraphs to a python-docx document, in order, straight into its XML.

    python-docx's add_paragraph and add_heading look for the body's section properties among every
    paragraph written so far and walk the styles for each name, so a document of thousands of
    paragraphs takes minutes; this takes the same time for each paragraph. Text goes into runs as
    plain text (never interpreted), less the characters XML cannot hold; line breaks and tabs become
    Word's. Tables made afterwards with `table` (or add_table) follow what was written."""

    def __init__(self, document):
        from lxml.etree import Element, SubElement

        self.document = document
        self._element, self._child = Element, SubElement
        self._body = document.element.body
        self._end = self._body.sectPr  # paragraphs go before the section properties, as Word requires
        self._style_ids: dict[str, str] = {}

    def paragraph(self, *runs: tuple[str, bool], style: str | None = None) -> None:
        """A paragraph of (text, bold) runs in the style named `style` ("Quote", "List Bullet")."""
        child = self._child
        paragraph = self._element(f"{W}p")  # plain lxml elements: python-docx's classes are slower to make
        if style:
            if style not in self._style_ids:
                self._style_ids[style] = self.document.styles[style].style_id
            child(child(paragraph, f"{W}pPr"), f"{W}pStyle").set(f"{W}val", self._style_ids[style])
        for text, bold in runs:
            run = child(paragraph, f"{W}r")
            if bold:
                child(child(run, f"{W}rPr"), f"{W}b")
            for n, line in enumerate(plain(text).splitlines() or [""]):
                if n:
                    child(run, f"{W}br")
                for m, words in enumerate(line.split("\t") if "\t" in line else (line,)):
                    if m:
                        child(run, f"{W}tab")
                    if words:
                        element = child(run, f"{W}t")
                        element.text = words
                        element.set(*PRESERVE)
        if self._end is not None:
            self._end.addprevious(paragraph)  # once in the document, python-docx reads it as its own
        else:
            self._body.append(paragraph)

    def heading(self, text: str, level: int) -> None:
        self.paragraph((text, False), style=f"Heading {level}")

    def text(self, text: str, style: str | None = None) -> None:
        """Text as written: a paragraph for each run of lines between blank lines, its lines kept as
        line breaks; nothing for text that is only spaces."""
        for block in re.split(r"\n\s*\n", "\n".join(plain(text).strip().splitlines())):
            lines = [line for line in block.split("\n") if line.strip()]
            if lines:
                self.paragraph(("\n".join(lines), False), style=style)


def table(document, header: list[str], rows: list[list[str]], caption: str):
    """A table with a caption (read by screen readers) and a header row repeated on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    tbl_pr = table._tbl.tblPr
    caption_el = OxmlElement("w:tblCaption")
    caption_el.set(qn("w:val"), plain(caption)[:200])
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
            cell.paragraphs[0].add_run(plain(text))
    return table


def set_language(document) -> None:
    """en-GB in the core properties and on the Normal style, so spelling and speech use it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.core_properties.language = LANGUAGE
    r_pr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    r_pr.append(lang)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
