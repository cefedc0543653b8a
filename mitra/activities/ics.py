"""iCalendar (RFC 5545) output for the appointments feed.

Written by hand rather than with a library: the feed needs a dozen properties, and the
rules that matter are few — text escaping, UTC times with a Z, whole-day events as
DATE values, CRLF line ends and lines folded at 75 octets without splitting a
character.
"""

import datetime as dt

from django.utils import timezone

PRODID = "-//Mitra CRM//Appointments//EN"


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


def event_lines(appt, *, url="", tz=None, stamp=None):
    """The VEVENT of one appointment. Whole-day events use the local dates in `tz`."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{appt.public_id}@mitra-crm",
        f"DTSTAMP:{utc(stamp or timezone.now())}",
    ]
    if appt.all_day:
        tz = tz or timezone.get_current_timezone()
        first = appt.start.astimezone(tz).date()
        last = appt.end.astimezone(tz).date()
        if appt.end.astimezone(tz).time() == dt.time(0, 0) and last > first:
            last -= dt.timedelta(days=1)
        lines += [
            f"DTSTART;VALUE=DATE:{date_value(first)}",
            f"DTEND;VALUE=DATE:{date_value(last + dt.timedelta(days=1))}",
        ]
    else:
        lines += [f"DTSTART:{utc(appt.start)}", f"DTEND:{utc(appt.end)}"]
    lines.append(f"SUMMARY:{escape(appt.subject)}")
    if appt.place:
        lines.append(f"LOCATION:{escape(appt.place)}")
    if appt.description:
        lines.append(f"DESCRIPTION:{escape(appt.description)}")
    if url:
        lines.append(f"URL:{url}")
    status = {"cancelled": "CANCELLED", "done": "CONFIRMED"}.get(appt.status, "CONFIRMED")
    lines.append(f"STATUS:{status}")
    if appt.is_private:
        lines.append("CLASS:PRIVATE")
    if appt.updated_at:
        lines.append(f"LAST-MODIFIED:{utc(appt.updated_at)}")
    if appt.reminder_minutes is not None and appt.status != "cancelled" and not appt.all_day:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape(appt.subject)}",
            f"TRIGGER:-PT{int(appt.reminder_minutes)}M",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


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
