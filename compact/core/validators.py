import re

from django.core.exceptions import ValidationError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029]")


def single_line(value: str) -> None:
    """Names and titles are one line: line breaks and control characters are refused
    (they break email subjects, CSV exports and headings)."""
    if _LINE_BREAK.search(value or "") or _CONTROL.search(value or ""):
        raise ValidationError("Enter this on one line, without line breaks or control characters", code="single_line")


def no_control_characters(value: str) -> None:
    if _CONTROL.search(value or ""):
        raise ValidationError("Remove the hidden control characters from this text", code="control_characters")
