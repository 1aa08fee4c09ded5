"""Word (DOCX) helpers shared by the exports: plain text that XML can hold, tables whose header
rows repeat on every page, and the document's language. python-docx is imported lazily, so pages
that never export do not pay for it."""

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
