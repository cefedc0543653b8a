"""iCalendar (RFC 5545) output: the value rules and the VCALENDAR wrapper, for any feed
(an app writes its own VEVENT lines with `escape`, `utc`, `date_value`).

Written by hand rather than with a library: the feed needs a dozen properties, and the
rules that matter are few — text escaping, UTC times with a Z, whole-day events as
DATE values, CRLF line ends and lines folded at 75 octets without splitting a
character.
"""

import datetime as dt

PRODID = "-//Mitra CRM//Appointments//EN"  # kept: calendar clients key on it


def escape(text):
    """TEXT value escaping: backslash, semicolon, comma and line breaks."""
    text = str(text or "")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line):
    """Split a content line into pieces of at most 75 octets (continuations start with a
    space), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size = " ", 1  # the leading space counts toward the next line
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def utc(value):
    """20250320T063000Z"""
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def date_value(value):
    return value.strftime("%Y%m%d")


def calendar(events, *, name=""):
    """A whole VCALENDAR from iterables of VEVENT lines; returns text with CRLF ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
