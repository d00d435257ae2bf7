"""Injectable clock: services ask `clock.now()`, tests stand still or move time.

Stored times are aware UTC; pages show Europe/Copenhagen.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class Clock:
    """The system clock."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FixedClock(Clock):
    """A clock that stands at a given instant until moved (for tests and demos)."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)


clock: Clock = Clock()


def now() -> datetime:
    """The current instant, aware UTC, from the installed clock."""
    return clock.now()


def install(new: Clock) -> Clock:
    """Install a clock (tests, demos); returns the previous one."""
    global clock
    previous, clock = clock, new
    return previous


def local(at: datetime) -> datetime:
    """An instant as Danish local time, for display."""
    return at.astimezone(COPENHAGEN)
