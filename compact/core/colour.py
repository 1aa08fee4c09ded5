"""WCAG 2.2 contrast, for partnership brand colours."""

import math
import re

from django.core.exceptions import ValidationError

HEX = re.compile(r"#[0-9a-fA-F]{6}")
MIN_CONTRAST = 4.5  # WCAG 1.4.3, normal text


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def validate_brand_colour(value: str) -> None:
    """The brand colour is a background for white text in the header and buttons."""
    if not HEX.fullmatch(value or ""):
        raise ValidationError("Enter the colour as a hex code of 6 digits, like #1d70b8", code="format")
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < MIN_CONTRAST:
        # Round down, so a refused colour never shows as "4.5 to 1" beside "needs at least 4.5".
        shown = math.floor(ratio * 10) / 10
        raise ValidationError(
            f"White text on {value} has a contrast of {shown:.1f} to 1. "
            f"Choose a darker colour: it needs at least {MIN_CONTRAST} to 1",
            code="contrast",
        )
