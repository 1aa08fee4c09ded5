"""The .ics writer, read back by a strict parser written from RFC 5545 (section 3.1 content
lines and folding, 3.3.5 UTC date-times, 3.3.11 TEXT escaping, 3.6 and 3.8 required properties).
The `icalendar` package is not installed, so it is not used here."""

import datetime as dt
import re
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compact.workshops import ics

CONTROL = "\x00-\x08\x0a-\x1f\x7f"
NAME = r"[A-Za-z0-9-]+"
PARAM_VALUE = rf'(?:"[^"{CONTROL}]*"|[^";:,{CONTROL}]*)'
CONTENT_LINE = re.compile(
    rf"^(?P<name>{NAME})(?P<params>(?:;{NAME}={PARAM_VALUE}(?:,{PARAM_VALUE})*)*):(?P<value>[^{CONTROL}]*)$"
)
PARAM = re.compile(rf";(?P<name>{NAME})=(?P<value>{PARAM_VALUE})")
TEXT = re.compile(rf"^(?:\\[\\;,nN]|[^\\;,{CONTROL}])*$")
UTC_TIME = re.compile(r"^\d{8}T\d{6}Z$")
TEXT_PROPS = {"SUMMARY", "LOCATION", "DESCRIPTION", "UID"}


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(data: bytes) -> dict:
    """{component: {property: [(params, value)]}}, refusing anything RFC 5545 does not allow."""
    assert data.endswith(b"\r\n"), "the last line must end in CRLF"
    physical = data[:-2].split(b"\r\n")
    logical: list[str] = []
    for raw in physical:
        assert b"\r" not in raw and b"\n" not in raw, "bare CR or LF"
        assert len(raw) <= 75, f"line longer than 75 octets: {raw!r}"
        line = raw.decode("utf-8")  # strict: a folded line never splits a UTF-8 character
        if line[:1] in (" ", "\t"):
            assert logical, "a continuation line cannot come first"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack, components = [], {}
    for line in logical:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        name, value = match["name"].upper(), match["value"]
        params = {p["name"].upper(): p["value"] for p in PARAM.finditer(match["params"])}
        if name == "BEGIN":
            stack.append(value)
            components.setdefault(value, {})
        elif name == "END":
            assert stack and stack.pop() == value, f"END:{value} does not close the open component"
        else:
            assert stack, f"{name} outside any component"
            if name in TEXT_PROPS:
                assert TEXT.match(value), f"unescaped character in {name}: {value!r}"
            components[stack[-1]].setdefault(name, []).append((params, value))
    assert stack == [], "components left open"
    return components


def one(component: dict, name: str) -> str:
    assert len(component.get(name, [])) == 1, f"{name} must appear exactly once"
    return component[name][0][1]


def make(**overrides) -> bytes:
    london = zoneinfo.ZoneInfo("Europe/London")
    fields = {
        "uid": "workshop-1@compact.example", "starts_at": dt.datetime(2026, 6, 3, 10, 0, tzinfo=london),
        "ends_at": dt.datetime(2026, 6, 3, 13, 0, tzinfo=london), "summary": "Shaping the charter",
        "organizer_email": "no-reply@compact.example", "organizer_name": "South East London",
        "attendee_email": "ada@example.org", "attendee_name": "Ada Lovelace", "location": "Civic Centre, Lewisham",
        "description": "Gather ideas; then vote.", "url": "https://compact.example/p/x/",
        "stamp": dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC),
    } | overrides  # fmt: skip
    return ics.calendar(ics.Event(**fields)).encode("utf-8")


def test_a_calendar_has_the_required_properties_in_utc():
    parsed = parse(make())
    calendar, event = parsed["VCALENDAR"], parsed["VEVENT"]
    assert one(calendar, "VERSION") == "2.0" and one(calendar, "PRODID") and one(calendar, "METHOD") == "REQUEST"
    assert one(event, "UID") == "workshop-1@compact.example"
    assert one(event, "DTSTAMP") == "20260501T093000Z"
    # 10:00 in London in June is 09:00 UTC (British Summer Time).
    assert one(event, "DTSTART") == "20260603T090000Z" and one(event, "DTEND") == "20260603T120000Z"
    assert all(UTC_TIME.match(one(event, p)) for p in ("DTSTAMP", "DTSTART", "DTEND"))
    assert unescape(one(event, "SUMMARY")) == "Shaping the charter"
    assert unescape(one(event, "LOCATION")) == "Civic Centre, Lewisham"
    assert one(event, "LOCATION") == "Civic Centre\\, Lewisham"
    assert unescape(one(event, "DESCRIPTION")) == "Gather ideas; then vote."
    assert one(event, "URL") == "https://compact.example/p/x/"
    organizer_params, organizer = event["ORGANIZER"][0]
    assert organizer == "mailto:no-reply@compact.example" and organizer_params["CN"] == '"South East London"'
    attendee_params, attendee = event["ATTENDEE"][0]
    assert attendee == "mailto:ada@example.org" and attendee_params["PARTSTAT"] == "ACCEPTED"


def test_winter_times_are_utc_too_and_naive_times_are_refused():
    london = zoneinfo.ZoneInfo("Europe/London")
    event = parse(make(starts_at=dt.datetime(2026, 1, 5, 18, 0, tzinfo=london),
                       ends_at=dt.datetime(2026, 1, 5, 20, 0, tzinfo=london)))["VEVENT"]  # fmt: skip
    assert one(event, "DTSTART") == "20260105T180000Z"
    with pytest.raises(ValueError):
        make(starts_at=dt.datetime(2026, 1, 5, 18, 0))


def test_escaping_of_backslashes_commas_semicolons_and_newlines():
    text = "a\\b, c; d\r\ne\nf\rg"
    event = parse(make(summary=text, description=text))["VEVENT"]
    assert one(event, "SUMMARY") == "a\\\\b\\, c\\; d\\ne\\nf\\ng"
    assert unescape(one(event, "DESCRIPTION")) == "a\\b, c; d\ne\nf\ng"


def test_hostile_text_cannot_add_properties_or_break_parameters():
    event = parse(make(summary="x\r\nATTENDEE:mailto:evil@example.org", attendee_name='Ada "CN=x";ROLE=CHAIR',
                       organizer_name="Org\r\nX:1", url="https://e.example/\r\nX-EVIL:1"))["VEVENT"]  # fmt: skip
    assert len(event["ATTENDEE"]) == 1 and "X-EVIL" not in event and "X" not in event
    assert one(event, "URL") == "https://e.example/X-EVIL:1"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    summary = "Ŵorkshop 🌍 " * 30
    data = make(summary=summary, description="é" * 200)
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    assert unescape(one(parse(data)["VEVENT"], "SUMMARY")) == summary


def test_fold_keeps_short_lines_whole():
    assert ics.fold("SUMMARY:x") == "SUMMARY:x\r\n"
    assert ics.fold("A" * 75) == "A" * 75 + "\r\n"
    assert ics.fold("A" * 76) == "A" * 75 + "\r\n A\r\n"


@settings(max_examples=200, deadline=None)
@given(
    summary=st.text(max_size=300),
    location=st.text(max_size=120),
    description=st.text(max_size=600),
    name=st.text(max_size=80),
)
def test_any_text_survives_the_round_trip(summary, location, description, name):
    parsed = parse(make(summary=summary, location=location, description=description, attendee_name=name))
    event = parsed["VEVENT"]

    def expected(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)  # controls go; newlines stay

    assert unescape(one(event, "SUMMARY")) == expected(summary)
    if location:
        assert unescape(one(event, "LOCATION")) == expected(location)
    if description:
        assert unescape(one(event, "DESCRIPTION")) == expected(description)
    assert len(event["ATTENDEE"]) == 1
