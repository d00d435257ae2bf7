"""Availability history (SPEC O): per system and month, the minutes inside planned service windows and inside
disruptions. Months are Danish calendar months; windows that overlap (the same hours announced twice, or
for two of a system's channels) count once; an open disruption counts up to `now`. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from datetime import datetime

from toldsystem.operations.periods import periods
from toldsystem.operations.rules import BACK_TO_NORMAL, DISRUPTION, SERVICE_WINDOW, Message
from toldsystem.operations.systems import SYSTEMS
from toldsystem.operations.windows import to_utc

PLANNED, UNPLANNED = "planned", "disruption"


@dataclass(frozen=True, slots=True)
class MonthRow:
    system: str
    month: int
    planned_minutes: int
    disruption_minutes: int


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """A Danish calendar month as [start, end) in UTC."""
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return to_utc(datetime(year, month, 1)), to_utc(datetime(*following, 1))


def _minutes(spans: list[tuple[datetime, datetime]]) -> int:
    """Minutes covered by the spans, overlaps counted once."""
    total, reach = 0.0, None
    for start, end in sorted(spans):
        if reach is not None and start < reach:
            start = reach
        if end > start:
            total += (end - start).total_seconds()
            reach = end if reach is None or end > reach else reach
    return int(round(total / 60))


def _class(message: Message) -> str | None:
    if message.kind == SERVICE_WINDOW:
        return PLANNED
    if message.kind in (DISRUPTION, BACK_TO_NORMAL):
        return UNPLANNED
    return None


def monthly(messages: Iterable[Message], year: int, environment: str, now: datetime,
            systems: Iterable[str] | None = None) -> list[MonthRow]:
    """Per system (in the code list's order) and month of `year`: planned and disruption minutes in `environment`.
    A message counts for the systems it concerns and those its effects name ("TFE (testsystems)" for itself)."""
    wanted = list(systems) if systems is not None else list(SYSTEMS)
    year_start, _ = month_bounds(year, 1)
    _, year_end = month_bounds(year, 12)
    until = min(year_end, now)
    spans: dict[tuple[str, str], list[tuple[datetime, datetime]]] = {}
    for message in messages:
        kind = _class(message)
        if kind is None or environment not in message.environments:
            continue
        found = periods(message, year_start, until)
        if not found:
            continue
        concerned = set(message.systems)
        for effect in message.effects:
            concerned.update(effect.systems)
        for system in concerned:
            spans.setdefault((system, kind), []).extend((max(s, year_start), min(e, until)) for s, e in found)
    rows = []
    for system in wanted:
        for month in range(1, 13):
            start, end = month_bounds(year, month)
            clip = lambda kind: [(max(s, start), min(e, end)) for s, e in spans.get((system, kind), ())  # noqa: E731
                                 if s < end and e > start]
            rows.append(MonthRow(system, month, _minutes(clip(PLANNED)), _minutes(clip(UNPLANNED))))
    return rows
