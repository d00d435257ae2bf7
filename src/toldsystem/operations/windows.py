"""Time in service windows: Danish wall-clock time to UTC and back, and recurring windows (RFC 5545 RRULE, read by
python-dateutil) expanded in Danish wall-clock time. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from toldsystem.core.clock import COPENHAGEN
from toldsystem.core.errors import Problem, problem

OPEN_END = datetime.max.replace(tzinfo=timezone.utc)  # a disruption not yet over
RECURRENCE_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")


def to_utc(local: datetime, *, later: bool = False) -> datetime:
    """A Danish wall-clock time (naive) as an aware UTC instant; `later` picks the second of the hour that the
    end of summer time repeats (02:00–03:00 on the last Sunday of October), else the first."""
    return local.replace(tzinfo=COPENHAGEN, fold=1 if later else 0).astimezone(timezone.utc)


def wall_clock(at: datetime) -> datetime:
    """An aware instant as naive Danish wall-clock time."""
    return at.astimezone(COPENHAGEN).replace(tzinfo=None)


def check_recurrence(recurrence: str | None) -> list[Problem]:
    """A recurrence is an RRULE (RFC 5545) at most daily, e.g. FREQ=MONTHLY;BYDAY=+3TU for every third Tuesday."""
    if not recurrence:
        return []
    frequency = re.search(r"(?:^|;)FREQ=([A-Z]+)", recurrence.upper())
    if frequency is None or frequency.group(1) not in RECURRENCE_FREQUENCIES:
        return [problem("ops.recurrence_frequency", "recurrence", "a recurrence is an RRULE with FREQ=DAILY, WEEKLY, "
                        "MONTHLY or YEARLY, e.g. FREQ=MONTHLY;BYDAY=+3TU", "en gentagelse er en RRULE med FREQ=DAILY, "
                        "WEEKLY, MONTHLY eller YEARLY, fx FREQ=MONTHLY;BYDAY=+3TU")]
    if len(recurrence) > 200 or "DTSTART" in recurrence.upper():
        return [problem("ops.recurrence", "recurrence", "the RRULE is one rule of at most 200 characters, without "
                        "DTSTART (the window's start is its first occurrence)", "RRULE er én regel på højst 200 tegn "
                        "uden DTSTART (vinduets start er første forekomst)")]
    try:
        _rule(recurrence, datetime(2000, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        return [problem("ops.recurrence", "recurrence", f"the RRULE cannot be read: {exc}",
                        f"RRULE kan ikke læses: {exc}")]
    return []


@lru_cache(maxsize=256)
def _rule(recurrence: str, first: datetime) -> rrule:
    return rrulestr(recurrence, dtstart=first, cache=True)


def occurrences(start: datetime, end: datetime, recurrence: str, since: datetime,
                until: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The occurrences (start, end in UTC) of a window recurring from its first one (start, end) that overlap
    [since, until): each lasts as long on the wall clock as the first."""
    first, length = wall_clock(start), wall_clock(end) - wall_clock(start)
    rule = _rule(recurrence, first)
    low = wall_clock(max(since, start)) - length - timedelta(hours=1)  # an hour's slack for summer time
    high = wall_clock(until) + timedelta(hours=1) if until < OPEN_END else None
    for occurrence in rule.xafter(low, inc=True):
        if high is not None and occurrence > high:
            return
        begins, ends = to_utc(occurrence), to_utc(occurrence + length)
        if begins >= until:
            return
        if ends > since:
            yield begins, ends


def occurrence_at(start: datetime, end: datetime, recurrence: str, at: datetime) -> tuple[datetime, datetime] | None:
    """The occurrence of a recurring window that `at` falls in, if any."""
    first, length = wall_clock(start), wall_clock(end) - wall_clock(start)
    latest = _rule(recurrence, first).before(wall_clock(at), inc=True)
    if latest is None:
        return None
    begins, ends = to_utc(latest), to_utc(latest + length)
    return (begins, ends) if begins <= at < ends else None


def next_occurrence(start: datetime, end: datetime, recurrence: str, after: datetime) -> tuple[datetime, datetime] | None:
    """The first occurrence that begins after `after`, if any."""
    first, length = wall_clock(start), wall_clock(end) - wall_clock(start)
    upcoming = _rule(recurrence, first).after(wall_clock(after), inc=False)
    return None if upcoming is None else (to_utc(upcoming), to_utc(upcoming + length))


def last_occurrence_end(start: datetime, end: datetime, recurrence: str) -> datetime | None:
    """When a recurring window's last occurrence ends; None while it recurs without end."""
    if not re.search(r"(?:^|;)(?:COUNT|UNTIL)=", recurrence.upper()):
        return None
    rule = _rule(recurrence, wall_clock(start))
    last = rule[-1] if rule.count() else None
    return None if last is None else to_utc(last + (wall_clock(end) - wall_clock(start)))
