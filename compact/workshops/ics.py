"""A small iCalendar (RFC 5545) writer for workshop invitations: one VEVENT, times in UTC.

Text values are escaped (backslash, semicolon, comma, newline), control characters are dropped,
lines are folded at 75 octets without splitting a UTF-8 character, and every line ends in CRLF.
METHOD:REQUEST (RFC 5546) needs an ORGANIZER and an ATTENDEE, so both are written."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Compact//Workshops//EN"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # everything but HTAB (newlines are escaped first)


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    value = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CONTROL.sub("", value)


def _uri(value: str) -> str:
    """URI values are not escaped, but may not hold controls or spaces."""
    return re.sub(r"[\x00-\x20\x7f]", "", str(value or ""))


def _param(value: str) -> str:
    """A quoted parameter value: no double quotes or controls inside (RFC 5545 3.1 QSAFE-CHAR)."""
    return '"' + _CONTROL.sub("", str(value or "").replace("\t", " ").replace('"', "'")) + '"'


def utc(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware")
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold one content line into physical lines of at most 75 octets, each ending in CRLF;
    continuation lines start with a space (RFC 5545 3.1)."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > MAX_OCTETS:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return CRLF.join(out) + CRLF


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    organizer_email: str
    organizer_name: str = ""
    attendee_email: str = ""
    attendee_name: str = ""
    location: str = ""
    description: str = ""
    url: str = ""
    sequence: int = 0
    stamp: dt.datetime | None = None


def calendar(event: Event, *, method: str = "REQUEST") -> str:
    """The whole .ics file as a string (encode it as UTF-8)."""
    if method not in ("REQUEST", "PUBLISH", "CANCEL"):
        raise ValueError(f"Unsupported METHOD {method}")
    stamp = event.stamp or dt.datetime.now(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SEQUENCE:{int(event.sequence)}",
        f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        lines.append(f"URL:{_uri(event.url)}")
    organizer = f"ORGANIZER;CN={_param(event.organizer_name)}" if event.organizer_name else "ORGANIZER"
    lines.append(f"{organizer}:mailto:{_uri(event.organizer_email)}")
    if event.attendee_email:
        cn = f";CN={_param(event.attendee_name)}" if event.attendee_name else ""
        lines.append(
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE{cn}:mailto:{_uri(event.attendee_email)}"
        )
    lines += ["TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) for line in lines)
