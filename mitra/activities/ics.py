"""The appointments feed's VEVENTs (iCalendar, RFC 5545); the format's rules and the
VCALENDAR wrapper are `mitra.core.ics`."""

import datetime as dt

from django.utils import timezone

from mitra.core.ics import calendar, date_value, escape, utc

__all__ = ["calendar", "event_lines"]


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
