"""Names and titles stay on one line; long text has no hidden control characters."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from compact.core.validators import no_control_characters, single_line

CONTROL = [chr(c) for c in range(0x00, 0x20) if c not in (0x09, 0x0A, 0x0D)] + [chr(c) for c in range(0x7F, 0xA0)]
LINE_BREAKS = ["\n", "\r", "\u2028", "\u2029"]


@pytest.mark.parametrize(
    "value",
    ["South East London VCSE Charter", "Café – Ĳssel ✓ 💚", "O'Neill & Partners (2026/27)", "", None, "Tab\tseparated"],
)
def test_single_line_accepts_ordinary_one_line_text(value):
    single_line(value)


@pytest.mark.parametrize("value", ["Two\nlines", "Carriage\rreturn", "Windows\r\nbreak", "trailing\n", "\nleading"])
def test_single_line_refuses_line_breaks(value):
    with pytest.raises(ValidationError) as info:
        single_line(value)
    assert info.value.code == "single_line"
    assert info.value.messages == ["Enter this on one line, without line breaks or control characters"]


@pytest.mark.parametrize("char", CONTROL, ids=lambda c: f"U+{ord(c):04X}")
def test_single_line_refuses_control_characters(char):
    with pytest.raises(ValidationError) as info:
        single_line(f"Name{char}here")
    assert info.value.code == "single_line"


@pytest.mark.parametrize("value", ["Para one\n\nPara two", "Line\r\nbreak", "Indented\tlist", "", None, "Plain ✓"])
def test_no_control_characters_allows_line_breaks_and_tabs(value):
    no_control_characters(value)


@pytest.mark.parametrize("char", CONTROL, ids=lambda c: f"U+{ord(c):04X}")
def test_no_control_characters_refuses_hidden_characters(char):
    with pytest.raises(ValidationError) as info:
        no_control_characters(f"Some text{char}more text")
    assert info.value.code == "control_characters"
    assert info.value.messages == ["Remove the hidden control characters from this text"]


@settings(max_examples=200)
@given(st.text())
def test_validators_agree_with_their_definitions(value):
    has_control = any(ch in CONTROL for ch in value)
    has_break = any(ch in LINE_BREAKS for ch in value)
    try:
        no_control_characters(value)
        assert not has_control
    except ValidationError:
        assert has_control
    try:
        single_line(value)
        assert not (has_control or has_break)
    except ValidationError:
        assert has_control or has_break


@pytest.mark.parametrize("char", ["\u2028", "\u2029"], ids=["line-separator", "paragraph-separator"])
def test_single_line_refuses_unicode_line_separators(char):
    with pytest.raises(ValidationError):
        single_line(f"Name{char}Bcc: someone@example.org")
