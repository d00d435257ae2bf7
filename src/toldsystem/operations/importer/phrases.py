"""Dates, times and windows as the agency's page writes them, in English with Danish leftovers (seed 001):

    Wednesday May 20, 2026, 1200-1300            Tuesday May 27th, 2025, 18:00-23:30
    Friday June 6, 2025, 2100 – Saturday June 7, 2025, 2200
    Sunday October 26, 2025, 0245 (DST) – 0315 (ST)
    Tuesday the 9th of December at 00:01-06:00   on Saturday the 13th of December at 21:00 until Sunday the
    14th of December at 06:00                    at 02.10.2025 from 17:00 until 03.10.2025 01:00
    22-06-2025 in the time period 08:00 - 22:00   Tuesday 9/9 at 8-9 am      on 28/08 18-20
    Saturday Oktober 25, 2025, 0800-2359         9. december 2025 kl. 00:01-06:00

Times are Danish wall-clock time; a range whose end is earlier than its start ends the next day. A date
without a year takes the year that puts it nearest the message's creation. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from toldsystem.operations.windows import to_utc

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan", "januar"), ("february", "feb", "februar"), ("march", "mar", "marts"), ("april", "apr"),
    ("may", "maj"), ("june", "jun", "juni"), ("july", "jul", "juli"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct", "oktober", "okt"), ("november", "nov"),
    ("december", "dec")), start=1) for name in names}
WEEKDAYS = {name: number for number, names in enumerate((
    ("monday", "mon", "mandag"), ("tuesday", "tue", "tues", "tirsdag"), ("wednesday", "wed", "onsdag"),
    ("thursday", "thu", "thurs", "torsdag"), ("friday", "fri", "fredag"), ("saturday", "sat", "lørdag"),
    ("sunday", "sun", "søndag"))) for name in names}


def _alternation(names) -> str:
    return "|".join(sorted(names, key=len, reverse=True))


_WD = rf"(?:{_alternation(WEEKDAYS)})\b"
_MONTH = rf"(?:{_alternation(MONTHS)})\b"
_DATE = (rf"(?:{_WD},?\s+)?(?:"
         rf"(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?"
         rf"|(?:the\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<m2>{_MONTH})\.?(?:,?\s+(?P<y2>\d{{4}})\b)?"
         rf"|(?<![\d.:/-])(?P<y4>\d{{4}})-(?P<m4>\d{{2}})-(?P<d4>\d{{2}})(?![\d])"
         rf"|(?<![\d.:/-])(?P<d3>\d{{1,2}})(?P<s3>[-./])(?P<m3>\d{{1,2}})[-./](?P<y3>\d{{4}})(?![\d])"
         rf"|(?<![\d.:/-])(?P<d5>\d{{1,2}})/(?P<m5>\d{{1,2}})(?![\d/.:-]))")
DATE = re.compile(_DATE, re.IGNORECASE)
_T = r"(?:[01]\d|2[0-4])[0-5]\d(?!\d)|(?:[01]?\d|2[0-4])(?:[:.][0-5]\d)?(?![\d])"
_TIME = re.compile(rf"(?P<h>[01]?\d|2[0-4])(?:[:.]?(?P<m>[0-5]\d))?$")
_DASH = r"(?:-|–|—|\bto\b|\buntil\b|\btill\b)"
_LEAD = r"[\s,]*(?:(?:at|from|between|kl\.?|in the time period|in the period|the period)\s*)*"
_RANGE = (rf"(?P<t1>{_T})\s*(?:\((?P<z1>DST|ST)\)\s*)?(?P<p1>am|pm)?\s*{_DASH}\s*"
          rf"(?:(?P<wd2>{_WD})\s+(?=\d))?"
          rf"(?:(?P<date2>{_DATE.replace('?P<', '?P<e')})\s*(?:,|\bat\b|kl\.?)?\s*)?"
          rf"(?P<t2>{_T})\s*(?:\((?P<z2>DST|ST)\))?\s*(?P<p2>am|pm)?")
RANGE_AFTER_DATE = re.compile(_LEAD + _RANGE, re.IGNORECASE)
POINT_AFTER_DATE = re.compile(_LEAD + rf"(?P<t1>{_T})(?!\s*(?:\((?:DST|ST)\)\s*)?{_DASH})", re.IGNORECASE)
TIME_RANGE = re.compile(rf"(?<![\d:./-])" + _RANGE, re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Found:
    """A date, a point in time or a window found in a line: where, and what (start; end for a window)."""

    start_index: int
    end_index: int
    day: date
    start: datetime | None = None  # UTC
    end: datetime | None = None  # UTC

    @property
    def is_window(self) -> bool:
        return self.end is not None


def _year_near(month: int, day: int, near: date) -> date | None:
    candidates = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs((d - near).days)) if candidates else None


def _date_of(match: re.Match, near: date, prefix: str = "") -> date | None:
    g = {k[len(prefix):]: v for k, v in match.groupdict().items() if k.startswith(prefix) and v}
    for d, m, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d4", "m4", "y4"), ("d3", "m3", "y3"),
                    ("d5", "m5", "y5")):
        if d in g:
            month = MONTHS.get(g[m].lower().rstrip(".")) if not g[m].isdigit() else int(g[m])
            if month is None or not 1 <= month <= 12:
                return None
            if y in g:
                try:
                    return date(int(g[y]), month, int(g[d]))
                except ValueError:
                    return None
            return _year_near(month, int(g[d]), near)
    return None


def _clock(text: str, meridiem: str | None) -> tuple[time, bool] | None:
    """A time as written (1800, 18:00, 18.00, 18); the flag says it is 24:00, the end of the day."""
    found = _TIME.match(text.replace(".", ":") if len(text) > 2 else text)
    if found is None:
        return None
    hour, minute = int(found.group("h")), int(found.group("m") or 0)
    if meridiem:
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    if hour == 24 and minute == 0:
        return time(0, 0), True
    if hour > 23:
        return None
    return time(hour, minute), False


def _instant(day: date, text: str, meridiem: str | None, zone: str | None) -> datetime | None:
    clock = _clock(text, meridiem)
    if clock is None:
        return None
    at, next_day = clock
    local = datetime.combine(day + timedelta(days=1 if next_day else 0), at)
    return to_utc(local, later=(zone or "").upper() == "ST")


def _window(day: date, m: re.Match, near: date) -> tuple[datetime, datetime] | None:
    """Start and end of a range found after `day` (or standing alone, on `day`)."""
    p2 = m.group("p2")
    start = _instant(day, m.group("t1"), m.group("p1") or p2, m.group("z1"))
    end_day = day
    if m.group("date2"):
        end_day = _date_of(m, near, "e") or day
    elif m.group("wd2"):
        wanted = WEEKDAYS[m.group("wd2").lower()]
        end_day = day + timedelta(days=(wanted - day.weekday()) % 7)
    end = _instant(end_day, m.group("t2"), p2, m.group("z2"))
    if start is None or end is None:
        return None
    if end <= start and not m.group("date2") and not m.group("wd2"):
        end = _instant(end_day + timedelta(days=1), m.group("t2"), p2, m.group("z2"))
    return (start, end) if end > start else None


def find(line: str, near: date) -> list[Found]:
    """Every date in a line, each with the window or point in time that follows it, if one does."""
    found = []
    position = 0
    while True:
        match = DATE.search(line, position)
        if match is None:
            return found
        day = _date_of(match, near)
        position = match.end()
        if day is None:
            continue
        rest = line[match.end():]
        ranged = RANGE_AFTER_DATE.match(rest)
        if ranged and (window := _window(day, ranged, near)):
            found.append(Found(match.start(), match.end() + ranged.end(), day, *window))
            position = match.end() + ranged.end()
            continue
        point = POINT_AFTER_DATE.match(rest)
        at = _instant(day, point.group("t1"), None, None) if point and _is_clock_time(point.group("t1")) else None
        found.append(Found(match.start(), match.end() + (point.end() if at else 0), day, at))


def at(day: date, text: str) -> datetime | None:
    """A time as written (1800, 18:00, 18.00) on a day, as a UTC instant."""
    return _instant(day, text, None, None)


def _is_clock_time(text: str) -> bool:
    """A lone number after a date is a time only when written as one (1915, 19:15), not a bare hour or a year."""
    return bool(re.fullmatch(r"(?:[01]\d|2[0-3])[0-5]\d|(?:[01]?\d|2[0-3])[:.][0-5]\d", text))


def time_range(line: str, day: date) -> tuple[datetime, datetime] | None:
    """A range of times standing without a date ("from 12-15:00", "during the time window 10-15:00"), on `day`;
    a bare hour counts only when the other end is written as a time."""
    for match in TIME_RANGE.finditer(line):
        if match.group("date2") or not (":" in match.group(0) or "." in match.group(0)
                                         or re.search(r"\d{4}", match.group(0)) or match.group("p2")):
            continue
        window = _window(day, match, day)
        if window:
            return window
    return None


def times_in(line: str) -> list[time]:
    """The clock times written in a line (18:00, 18.00, 1800 where it stands after 'at' or 'until')."""
    found = []
    for match in re.finditer(r"(?<![\d:.])((?:[01]?\d|2[0-3])[:.][0-5]\d)(?![\d:.])|(?:at|until|to)\s+((?:[01]\d|2[0-3])"
                             r"[0-5]\d)\b", line, re.IGNORECASE):
        clock = _clock(match.group(1) or match.group(2), None)
        if clock:
            found.append(clock[0])
    return found
