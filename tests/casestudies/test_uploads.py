"""Images and attachments: extension, size and real content must agree."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from compact.casestudies import services, uploads
from compact.casestudies.models import MediaFile, MediaKind

from ..factories import png_bytes, png_upload

pytestmark = pytest.mark.django_db


def upload(name, data, content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def test_real_images_pass():
    assert uploads.check_image(png_upload("a.png")) == ("image/png", len(png_bytes()))
    assert uploads.check_image(upload("photo.JPG", jpeg_bytes()))[0] == "image/jpeg"


@pytest.mark.parametrize(
    "name, data, code",
    [
        ("evil.png", b"#!/bin/sh\nrm -rf /\n", "content"),
        ("evil.png", b"<script>alert(1)</script>", "content"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "content"),  # the right magic, then nothing real
        ("truncated.png", png_bytes(64, 64, noise=True)[:200], "content"),
        ("photo.png", None, "content"),  # a real JPEG called .png
        ("page.html", b"<html></html>", "type"),
        ("script.svg", b"<svg onload='alert(1)'/>", "type"),
        ("noextension", png_bytes(), "type"),
        ("empty.png", b"", "empty"),
    ],
)
def test_disguised_or_broken_images_are_refused(name, data, code):
    data = jpeg_bytes() if data is None else data
    with pytest.raises(ValidationError) as error:
        uploads.check_image(upload(name, data))
    assert error.value.code == code


def test_an_oversize_image_is_refused(settings):
    big = upload("big.png", png_bytes(1500, 1200, noise=True))
    assert big.size > uploads.MAX_IMAGE_BYTES
    with pytest.raises(ValidationError) as error:
        uploads.check_image(big)
    assert error.value.code == "size"


def test_a_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ValidationError):
        uploads.check_image(upload("wide.png", png_bytes(20, 20)))


def docx_bytes(with_document=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if with_document:
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_attachments():
    assert uploads.check_attachment(upload("r.pdf", b"%PDF-1.7\n%%EOF"))[0] == "application/pdf"
    assert uploads.check_attachment(upload("r.docx", docx_bytes()))[0].endswith("document")
    for name, data in [
        ("r.pdf", b"MZ\x90\x00"),
        ("r.docx", docx_bytes(with_document=False)),
        ("r.docx", b"PK\x03\x04"),
    ]:
        with pytest.raises(ValidationError):
            uploads.check_attachment(upload(name, data))
    with pytest.raises(ValidationError):
        uploads.check_attachment(upload("r.exe", b"MZ"))


def test_the_service_refuses_a_script_under_the_file_key_and_saves_nothing(case_study, cast):
    with pytest.raises(ValidationError) as error:
        services.media_add(case_study=case_study, actor=cast["author"], file=upload("x.png", b"#!/bin/sh\necho hi\n"))
    assert "file" in error.value.message_dict
    assert not MediaFile.objects.exists()


def test_the_service_stores_checked_type_and_size(case_study, cast):
    media = services.media_add(
        case_study=case_study, actor=cast["author"], file=upload("p.png", png_bytes(), content_type="text/html"),
        alt_text="  Volunteers at the hub  ", credit="Photo: Lewisham Mind", pictured=[case_study.person],
    )  # fmt: skip
    media.refresh_from_db()
    assert (media.kind, media.content_type, media.size) == (MediaKind.IMAGE, "image/png", len(png_bytes()))
    assert media.alt_text == "Volunteers at the hub"
    assert list(media.pictured.all()) == [case_study.person]


def test_alt_text_must_be_one_line_and_short(case_study, cast):
    with pytest.raises(ValidationError) as error:
        services.media_add(case_study=case_study, actor=cast["author"], file=png_upload(), alt_text="a" * 301)
    assert "alt_text" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.media_add(case_study=case_study, actor=cast["author"], file=png_upload(), credit="a\x00b")
    assert "credit" in error.value.message_dict
