"""Checks for case study images and attachments: the name's extension, the size, and the real
content must agree. Images are opened and verified with Pillow, so a script renamed .png, a
truncated file or a decompression bomb is refused. Every problem is a ValidationError with a
plain-English message, never another exception."""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 7,000 x 5,700: more than any photo needs


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    pillow_format: str = ""


IMAGE_TYPES = {
    "png": FileType("PNG image", "image/png", "PNG"),
    "jpg": FileType("JPEG image", "image/jpeg", "JPEG"),
    "jpeg": FileType("JPEG image", "image/jpeg", "JPEG"),
    "gif": FileType("GIF image", "image/gif", "GIF"),
    "webp": FileType("WebP image", "image/webp", "WEBP"),
}
ATTACHMENT_TYPES = {
    "pdf": FileType("PDF", "application/pdf"),
    "docx": FileType("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
IMAGE_NAMES = "PNG, JPEG, GIF or WebP"
ATTACHMENT_NAMES = "PDF or Word (DOCX)"


def extension(name: str) -> str:
    name = (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(f"The file must be {limit // (1024 * 1024)} MB or smaller", code="size")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(limit + 1) if hasattr(upload, "read") else bytes(upload)
    if hasattr(upload, "seek"):
        upload.seek(0)
    if len(data) > limit:
        raise ValidationError(f"The file must be {limit // (1024 * 1024)} MB or smaller", code="size")
    if not data:
        raise ValidationError("The file is empty", code="empty")
    return data


def _refuse_type(ext: str, allowed: str) -> ValidationError:
    shown = f".{ext}" if ext else "with no extension"
    return ValidationError(f"The file must be a {allowed}. A file {shown} is not allowed.", code="type")


def _not_what_it_says(ext: str, label: str) -> ValidationError:
    return ValidationError(
        f"The file is called .{ext} but its contents are not a {label}. "
        "Check you chose the right file, or save it again in that format.",
        code="content",
    )


def _image_format(data: bytes) -> tuple[str, int, int] | None:
    """(format, width, height) of a real, complete image, or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return None
                image.verify()
            # verify() does not decode the pixels; loading them catches truncated files.
            with Image.open(io.BytesIO(data)) as image:
                image.load()
        return fmt, width, height
    except Exception:  # noqa: BLE001 - anything Pillow cannot read is simply "not an image"
        return None


def _check(upload, name, types: dict, allowed: str, limit: int, matches) -> tuple[str, int]:
    name = name if name is not None else getattr(upload, "name", "")
    ext = extension(name)
    file_type = types.get(ext)
    if file_type is None:
        raise _refuse_type(ext, allowed)
    data = _read(upload, limit)
    if not matches(ext, file_type, data):
        raise _not_what_it_says(ext, file_type.label)
    return file_type.content_type, len(data)


def _is_image(ext: str, file_type: FileType, data: bytes) -> bool:
    found = _image_format(data)
    return found is not None and found[0] == file_type.pillow_format


def _is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # noqa: BLE001 - a broken archive is simply "not a DOCX"
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_attachment(ext: str, file_type: FileType, data: bytes) -> bool:
    return data.startswith(b"%PDF-") if ext == "pdf" else _is_docx(data)


def check_image(upload, name: str | None = None) -> tuple[str, int]:
    """Return (content type, size) for an acceptable image, or raise ValidationError."""
    return _check(upload, name, IMAGE_TYPES, IMAGE_NAMES, MAX_IMAGE_BYTES, _is_image)


def check_attachment(upload, name: str | None = None) -> tuple[str, int]:
    """Return (content type, size) for an acceptable attachment, or raise ValidationError."""
    return _check(upload, name, ATTACHMENT_TYPES, ATTACHMENT_NAMES, MAX_ATTACHMENT_BYTES, _is_attachment)
