"""Upload checks under arbitrary input: whatever the bytes and the name, the answer is the file's
type and size or a ValidationError with a message, never another exception. Damaged copies of a
real image are refused unless Pillow can still decode every pixel."""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from compact.casestudies import uploads

from ..factories import png_bytes

NAMES = st.one_of(
    st.sampled_from(
        ["a.png", "a.jpg", "a.JPEG", "a.gif", "a.webp", "a.pdf", "a.docx", "a.exe", "a", ".png", "a.png.exe"]
    ),
    st.text(max_size=80),
)
REAL_PNG = png_bytes(width=8, height=8, noise=True)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(kind, name, data):
    upload = SimpleUploadedFile("upload", data)  # the name a browser sent is passed on its own
    checker = uploads.check_image if kind == "image" else uploads.check_attachment
    try:
        return checker(upload, name)
    except ValidationError as error:
        assert error.messages and all(m.strip() for m in error.messages)
        return None


@FUZZ
@given(kind=st.sampled_from(["image", "attachment"]), name=NAMES, data=st.binary(max_size=4096))
def test_any_bytes_under_any_name_give_a_type_or_a_clear_error(kind, name, data):
    result = _check(kind, name, data)
    if result is not None:
        content_type, size = result
        assert size == len(data) and content_type


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(REAL_PNG) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.integers(0, len(REAL_PNG)))  # fmt: skip
def test_a_damaged_image_is_refused_unless_it_still_decodes(flips, cut):
    data = bytearray(REAL_PNG)
    for at, value in flips:
        data[at] = value
    data = bytes(data[:cut] if cut else data)
    accepted = _check("image", "photo.png", data) is not None
    if accepted:
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # what was accepted really is an image
