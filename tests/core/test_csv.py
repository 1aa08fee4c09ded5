"""CSV exports cannot smuggle spreadsheet formulas (CSV injection)."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compact.core.csv import safe_cell

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example","Click")',
        "=1+1",
        "+44 20 7946 0000",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=cmd|' /C calc'!A0",
        "\r=1+1",
    ],
)
def test_formula_starts_are_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("South East London", "South East London"),
        ("GB-CHC-1090095", "GB-CHC-1090095"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (3.5, "3.5"),
        (-7, "'-7"),
        (True, "True"),
    ],
)
def test_ordinary_values_pass_through(value, expected):
    assert safe_cell(value) == expected


@settings(max_examples=300)
@given(st.one_of(st.text(), st.integers(), st.none(), st.floats(allow_nan=False)))
def test_no_cell_starts_a_formula_and_nothing_is_lost(value):
    cell = safe_cell(value)
    text = "" if value is None else str(value)
    assert not cell.startswith(tuple(FORMULA_STARTS))
    assert cell in (text, "'" + text)
    assert cell == text or text.startswith(tuple(FORMULA_STARTS))


def test_written_csv_has_no_live_formulas():
    rows = [["=1+1", "@A1", "ok"], ["-1", "+1", "\t=x"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[safe_cell(v) for v in row] for row in rows])
    read_back = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert read_back == [["'=1+1", "'@A1", "ok"], ["'-1", "'+1", "'\t=x"]]
    for row in read_back:
        for cell in row:
            assert cell == "ok" or cell.startswith("'")
