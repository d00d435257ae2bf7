"""When a message governs: its periods (a window, each occurrence of a recurring one, or a disruption from its
start until it is over), and where it stands at an instant — current, upcoming or past. Pure."""

from __future__ import annotations

from datetime import datetime

from toldsystem.operations import windows
from toldsystem.operations.rules import BACK_TO_NORMAL, DISRUPTION, WITHDRAWN, Message
from toldsystem.operations.windows import OPEN_END

CURRENT, UPCOMING, PAST = "current", "upcoming", "past"


def stop_of(message: Message) -> datetime:
    """The instant the message stops governing: when it was ended, else never."""
    return message.ended_at or OPEN_END


def periods(message: Message, since: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
    """The message's periods that overlap [since, until), as (start, end) in UTC, clipped to when it was ended.

    A window is its period (each occurrence, when it recurs); a disruption without a window runs from its
    creation until it is back to normal; information without a window has none; a withdrawn message none."""
    if message.status == WITHDRAWN:
        return []
    stop = stop_of(message)
    if message.has_window and message.recurrence:
        spans = windows.occurrences(message.window_start, message.window_end, message.recurrence, since,
                                    min(until, stop))
    elif message.has_window:
        spans = iter([(message.window_start, message.window_end)])
    elif message.kind in (DISRUPTION, BACK_TO_NORMAL):
        spans = iter([(message.created, OPEN_END)])
    else:
        return []
    found = []
    for start, end in spans:
        end = min(end, stop)
        if start < end and start < until and end > since:
            found.append((start, end))
    return found


def period_at(message: Message, at: datetime) -> tuple[datetime, datetime] | None:
    """The period `at` falls in, if any (cheap for a recurring window: no expansion)."""
    if message.status == WITHDRAWN or at >= stop_of(message):
        return None
    if message.has_window and message.recurrence:
        found = windows.occurrence_at(message.window_start, message.window_end, message.recurrence, at)
        return None if found is None else (found[0], min(found[1], stop_of(message)))
    if message.has_window:
        start, end = message.window_start, min(message.window_end, stop_of(message))
    elif message.kind in (DISRUPTION, BACK_TO_NORMAL):
        start, end = message.created, stop_of(message)
    else:
        return None
    return (start, end) if start <= at < end else None


def next_period(message: Message, after: datetime) -> tuple[datetime, datetime] | None:
    """The first period that begins after `after`."""
    if message.status == WITHDRAWN or after >= stop_of(message):
        return None
    if message.has_window and message.recurrence:
        found = windows.next_occurrence(message.window_start, message.window_end, message.recurrence, after)
        return found if found is not None and found[0] < stop_of(message) else None
    if message.has_window and message.window_start > after:
        return message.window_start, min(message.window_end, stop_of(message))
    return None


def last_end(message: Message) -> datetime | None:
    """When the message's last period ends (None: it recurs without end, or has no period, or runs on)."""
    if message.has_window and message.recurrence:
        last = windows.last_occurrence_end(message.window_start, message.window_end, message.recurrence)
        return None if last is None else min(last, stop_of(message))
    if message.has_window:
        return min(message.window_end, stop_of(message))
    return message.ended_at


def phase(message: Message, at: datetime) -> str:
    """Where the message stands at `at`: current (inside a period, or an open disruption or information),
    upcoming (its next period is still to come) or past."""
    if message.status == WITHDRAWN:
        return PAST
    if period_at(message, at) is not None:
        return CURRENT
    if next_period(message, at) is not None:
        return UPCOMING
    if not message.has_window and message.ended_at is None:
        return CURRENT  # an open disruption, or information that has not been ended
    return PAST
