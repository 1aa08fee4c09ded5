"""Checks for meeting papers: the name's extension and the file's real content must agree.

A file is refused unless its extension is on the list, it is no larger than MAX_PAPER_BYTES, and
its first bytes match what that type of file always starts with (a script renamed .pdf is not a
PDF). Office files are zip archives; the archive must hold what that format needs. Every problem
is a ValidationError with a message in plain English, never any other exception."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

MAX_PAPER_BYTES = 10 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    kind: str  # pdf, ooxml, odf, png, jpeg, text


FILE_TYPES = {
    "pdf": FileType("PDF", "application/pdf", "pdf"),
    "docx": FileType(
        "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ooxml"
    ),
    "xlsx": FileType("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml"),
    "pptx": FileType(
        "PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "ooxml"
    ),
    "odt": FileType("OpenDocument text", "application/vnd.oasis.opendocument.text", "odf"),
    "txt": FileType("text file", "text/plain; charset=utf-8", "text"),
    "png": FileType("PNG image", "image/png", "png"),
    "jpg": FileType("JPEG image", "image/jpeg", "jpeg"),
    "jpeg": FileType("JPEG image", "image/jpeg", "jpeg"),
}
ALLOWED_NAMES = "PDF, DOCX, XLSX, PPTX, ODT, TXT, PNG or JPEG"


def _extension(name: str) -> str:
    name = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, RuntimeError, KeyError):
        return None


def _odf_mimetype(data: bytes) -> bytes | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return None
            return archive.read("mimetype").strip()
    except Exception:  # noqa: BLE001 - any broken archive is simply "not an ODT"
        return None


def _content_matches(file_type: FileType, data: bytes) -> bool:
    kind = file_type.kind
    if kind == "pdf":
        return data.startswith(b"%PDF-")
    if kind == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if kind == "text":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    if not data.startswith(ZIP_MAGIC):
        return False
    if kind == "ooxml":
        names = _zip_names(data)
        return names is not None and "[Content_Types].xml" in names
    if kind == "odf":
        return _odf_mimetype(data) == file_type.content_type.encode()
    return False


def check_paper(upload, name: str | None = None) -> tuple[str, int]:
    """Return (content type, size) for an acceptable paper, or raise ValidationError."""
    name = name if name is not None else getattr(upload, "name", "")
    extension = _extension(name)
    file_type = FILE_TYPES.get(extension)
    if file_type is None:
        shown = f".{extension}" if extension else "with no extension"
        raise ValidationError(f"The file must be a {ALLOWED_NAMES}. A file {shown} is not allowed.", code="type")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PAPER_BYTES:
        raise ValidationError("The file must be 10 MB or smaller", code="size")
    data = _read(upload)
    if len(data) > MAX_PAPER_BYTES:
        raise ValidationError("The file must be 10 MB or smaller", code="size")
    if not data:
        raise ValidationError("The file is empty", code="empty")
    if not _content_matches(file_type, data):
        raise ValidationError(
            f"The file is called .{extension} but its contents are not a {file_type.label}. "
            "Check you chose the right file, or save it again in that format.",
            code="content",
        )
    return file_type.content_type, len(data)
