"""Brand colours must keep white header and button text readable (WCAG 2.2, 1.4.3)."""

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compact.core.colour import MIN_CONTRAST, contrast_ratio, relative_luminance, validate_brand_colour

colours = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06x}")


def reference_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast, written out independently of the app's code."""

    def lum(hex_colour):
        rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = max(lum(a), lum(b)), min(lum(a), lum(b))
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#777777", "#ffffff", 4.48),
        ("#1d70b8", "#ffffff", 5.17),  # GOV.UK blue
        ("#d4351c", "#ffffff", 4.86),  # GOV.UK red
        ("#00703c", "#ffffff", 6.21),  # GOV.UK green
        ("#ffdd00", "#0b0c0c", 14.55),  # GOV.UK focus yellow on black
    ],
)
def test_known_contrast_ratios(a, b, expected):
    assert contrast_ratio(a, b) == pytest.approx(expected, abs=0.01)


def test_luminance_of_black_and_white():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert relative_luminance("#FFFFFF") == relative_luminance("#ffffff")


@pytest.mark.parametrize("colour", ["#1d4f7a", "#1d70b8", "#0b0c0c", "#000000", "#767676", "#1D70B8", "#d4351c"])
def test_dark_enough_colours_are_accepted(colour):
    validate_brand_colour(colour)


@pytest.mark.parametrize(
    ("colour", "shown"),
    [("#ffffff", "1.0"), ("#ffdd00", "1.3"), ("#28a197", "3.1"), ("#777777", "4.4"), ("#f47738", "2.7")],
)
def test_light_colours_are_refused_with_the_ratio_and_the_need(colour, shown):
    with pytest.raises(ValidationError) as info:
        validate_brand_colour(colour)
    assert info.value.code == "contrast"
    assert info.value.messages == [
        f"White text on {colour} has a contrast of {shown} to 1. Choose a darker colour: it needs at least 4.5 to 1"
    ]


@pytest.mark.parametrize(
    "value", ["", None, "1d70b8", "#1d70b", "#1d70b8f", "#fff", "#ggg000", " #1d70b8", "#1d70b8\n", "red"]
)
def test_badly_formed_colours_are_refused_with_an_example(value):
    with pytest.raises(ValidationError) as info:
        validate_brand_colour(value)
    assert info.value.code == "format"
    assert "#1d70b8" in info.value.messages[0]


@settings(max_examples=300)
@given(a=colours, b=colours)
@example("#000000", "#ffffff")
@example("#ffffff", "#ffffff")
def test_contrast_ratio_is_symmetric_and_between_1_and_21(a, b):
    ratio = contrast_ratio(a, b)
    assert ratio == contrast_ratio(b, a)
    assert 1 <= ratio <= 21
    assert ratio == pytest.approx(reference_ratio(a, b), rel=1e-9)
    assert contrast_ratio(a, a) == 1


@settings(max_examples=500)
@given(colour=colours, upper=st.booleans())
@example("#767676", False)
@example("#777777", False)
@example("#ffffff", False)
@example("#000000", True)
def test_accepts_exactly_the_colours_with_at_least_4_5_to_1_against_white(colour, upper):
    if upper:
        colour = colour.upper()
    passes = reference_ratio(colour, "#ffffff") >= MIN_CONTRAST
    try:
        validate_brand_colour(colour)
    except ValidationError as error:
        assert not passes, f"{colour} was refused but has {reference_ratio(colour, '#ffffff'):.3f} to 1"
        assert error.code == "contrast"
        # The ratio shown never looks like it meets the minimum.
        shown = float(re.search(r"contrast of ([0-9.]+) to 1", error.messages[0]).group(1))
        assert shown < MIN_CONTRAST
    else:
        assert passes, f"{colour} was accepted but has only {reference_ratio(colour, '#ffffff'):.3f} to 1"
