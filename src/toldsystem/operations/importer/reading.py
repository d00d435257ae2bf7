"""One message block of the page read as a board message: environment, kind, window, work order, effects,
fallback and whether it is over (seed 001). Pure; `now` is the import's instant.

- Environment: TFE when the title says TFE or TEST (or a test environment), PRD when it says PRD, both for
  "TFE/PRD"; a title that says neither takes it from the categories ("TFE (testsystems)" is TFE; with
  other categories beside it, both; without it, PRD).
- Window: the first date with a time range in the body that is not an update, else in the title, else a
  time range without a date on the title's date. The updates above it move it: "<date, time> Done." or
  "Completed." ends it then; "extended to/until 21:00", "The announced end time is changed to 21:00" and
  "Expected end time <date, time>" move its end (the newest, topmost, counts).
- Kind: a window announced (service window, planned or scheduled unavailability, or a window with a WO
  work order) is a planned service window; an incident (INC work order, or a text about difficulties,
  issues, instability, delays, errors) a current disruption — back to normal when an update reports it
  solved; the rest information.
- A message without a window that the text leaves open and that was last updated more than
  `STALE_AFTER` before the import is taken to have ended at its last update (reported), so that an archive
  of old messages does not show them all as current.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from toldsystem.operations.importer import effects as bodies, phrases
from toldsystem.operations.importer.page import Block
from toldsystem.operations.rules import (BACK_TO_NORMAL, DISRUPTION, ENDED, INFORMATION, OPEN, SERVICE_WINDOW,
                                         WITHDRAWN, WORK_ORDER, Effect, Message)
from toldsystem.operations.windows import to_utc, wall_clock

STALE_AFTER = timedelta(days=7)
_I = re.IGNORECASE
_WORK_ORDER_LINE = re.compile(r"^\s*((?:WO|INC|CRQ|PBI)\d{6,15})\s*$")
_UPDATE_LINE = re.compile(r"^\s*(?:\w+\s+)?(?:update|status|opdatering)\b", _I)
_DONE = re.compile(r"^(?:done|completed|finished|afsluttet|færdig)\.?$", _I)
_CANCELLED = re.compile(r"^(?:cancell?ed|aflyst)\.?$", _I)
_EXTENDED = re.compile(r"(?:extended|prolonged|changed|moved|postponed)\s+(?:to|until|till)\s+(?:kl\.?\s*)?"
                       r"((?:[01]\d|2[0-4])[:.]?[0-5]\d)\b", _I)
_EXPECTED_END = re.compile(r"expected\s+end\s+time|new\s+end\s+time", _I)
_PLANNED = re.compile(r"servi[cs]e\s*-?\s*w[ií]nd(?:ow|ue)|(?<!un)scheduled\s+unavailab|planned\s+unavailab|"
                      r"maintenance|platform\s+upgrade|lukkevindue|servicevindue", _I)
_TROUBLE = re.compile(r"difficult|issue|problem|unstab|instab|delay|slow|fail|error|incident|stuck|not\s+possible|"
                      r"response\s*time|login|unavailab|declined|rejected|not\s+responding|crash", _I)
_SOLVED = re.compile(r"\b(?:has\s+been|have\s+been|is\s+now|now|was)\s+(?:resolved|solved|fixed)\b|\bproblem\s+has\s+been"
                     r"\s+solved\b|\bup\s+and\s+running\b|\bback\s+(?:up\s+)?(?:and\s+running|to\s+normal)\b|"
                     r"\bnormal\s+(?:operation|flow)\b.{0,40}\b(?:restored|reported|resumed)\b|\bin\s+normal\s+operation\b|"
                     r"\bhas\s+been\s+restored\b|\boperation\s+has\s+been\s+resumed\b|\bhas\s+stabili[sz]ed\b|"
                     r"\bnormali[sz]ed\b|\bunavailability\s+has\s+passed\b|\bsolution\s+(?:has\s+been|was)\s+(?:found|"
                     r"implemented)|\bshould\s+be\s+solved\b|[-–]\s*resolved\s*$", _I)
_NOT_SOLVED = re.compile(r"temporar|expect|not\s+(?:yet\s+)?been|cannot\s+yet|remains", _I)
_NOW = re.compile(r"\bcurrently\b|\bwe\s+are\s+(?:currently\s+)?experiencing\b|\bexperiencing\b|\bat\s+the\s+moment\b|"
                  r"\bwe\s+have\s+(?:received\s+)?reports?\b|\bunder\s+investigation\b|\bbeing\s+investigated\b|"
                  r"\binvestigating\b|\btroubleshooting\b|\bhas\s+been\s+(?:an\s+)?incident\b", _I)
_INFORMATION = re.compile(r"\binformation\b", _I)
_TFE = re.compile(r"\bTFE\b|\bTEST\b|\btest\s*(?:environment|enviroment|systems?)\b|\bconf(?:luens)?\b", _I)
_PRD = re.compile(r"\bPRD\b")


@dataclass
class Read:
    """A block read as a message, and what could not be read of it (texts for the import's report)."""

    message: Message
    notes: list[str] = field(default_factory=list)  # what could not be read
    assumed: list[str] = field(default_factory=list)  # what the text leaves unsaid and the import assumed


def environments_of(title: str, systems: list[str]) -> tuple[str, ...]:
    """PRD, TFE or both, as the title says, else as the categories say."""
    tfe, prd = bool(_TFE.search(title)), bool(_PRD.search(title))
    if tfe or prd:
        return tuple(e for e, said in (("PRD", prd), ("TFE", tfe)) if said)
    if "tfe" in systems:
        return ("PRD", "TFE") if len(systems) > 1 else ("TFE",)
    return ("PRD",)


def _work_orders(lines: list[str]) -> list[str]:
    found = []
    for line in lines:
        match = _WORK_ORDER_LINE.match(line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def _body_text(lines: list[str]) -> str:
    kept, blank = [], False
    for line in lines:
        if _WORK_ORDER_LINE.match(line):
            continue
        if not line.strip():
            blank = bool(kept)
            continue
        if blank:
            kept.append("")
        kept.append(line.strip())
        blank = False
    return "\n".join(kept)


def _window(block: Block, lines: list[str]) -> tuple[tuple[datetime, datetime] | None, str]:
    """The announced window, or why none was found (a date without times, or no date)."""
    near = wall_clock(block.created or block.updated).date()
    for line in lines:
        if _UPDATE_LINE.match(line):
            continue
        window = next((f for f in phrases.find(line, near) if f.is_window), None)
        if window:
            return (window.start, window.end), ""
    title = phrases.find(block.title, near)
    window = next((f for f in title if f.is_window), None)
    if window:
        return (window.start, window.end), ""
    days = [f.day for f in title] or [f.day for line in lines if not _UPDATE_LINE.match(line)
                                      for f in phrases.find(line, near)]
    if days:
        for line in lines:
            found = phrases.time_range(line, days[0])
            if found:
                return found, ""
        return None, f"a date ({days[0]:%d-%m-%Y}) but no time range for the window could be read"
    return None, "no date and time for the window could be read"


def _moved_end(lines: list[str], start: datetime, end: datetime, near) -> tuple[datetime | None, datetime | None]:
    """(actual end, new planned end) from the updates above the announcement, the topmost that says so."""
    previous_point = None
    for line in lines:
        text = line.strip()
        if not text:
            continue
        found = phrases.find(text, near)
        if _DONE.match(text):
            if previous_point is not None and previous_point > start:
                return previous_point, None
            continue
        if _EXPECTED_END.search(text):
            point = next((f.start for f in found if f.start and not f.is_window), None)
            if point and point > start:
                return None, point
        extended = _EXTENDED.search(text)
        if extended and re.search(r"end|window|vindue|extended", text, _I):
            moved = phrases.at(wall_clock(end).date(), extended.group(1))
            if moved is not None:
                return None, moved if moved > start else moved + timedelta(days=1)
        points = [f.start for f in found if f.start and not f.is_window]
        previous_point = points[0] if points and len(text) < 60 else None
    return None, None


def _resolved_at(block: Block, lines: list[str]) -> datetime | None:
    """When an update reports the disruption solved: its date and time, or its time on the first day from the
    message's creation that puts it after the creation; else, or past the page's updated time, that time."""
    created = block.created or block.updated
    for line in lines:
        if not _SOLVED.search(line) or _NOT_SOLVED.search(line):
            continue
        day = wall_clock(created).date()
        dated = [f for f in phrases.find(line, day) if f.start]
        clocks = phrases.times_in(line)
        if dated:
            at = dated[0].start
        elif clocks:
            at = to_utc(datetime.combine(day, clocks[0]))
            at = at if at >= created else to_utc(datetime.combine(day + timedelta(days=1), clocks[0]))
        else:
            at = block.updated
        return at if created <= at <= block.updated else block.updated
    return None


def _kind(title: str, body: str, work_order: str, window, created: datetime) -> str:
    if _PLANNED.search(title) or (_PLANNED.search(body) and window):
        return SERVICE_WINDOW
    if work_order.startswith("INC"):
        return DISRUPTION
    if window and work_order.startswith("WO") and window[0] > created:  # a change announced ahead of its time
        return SERVICE_WINDOW
    if _INFORMATION.search(title):
        return INFORMATION
    if _TROUBLE.search(title) or (not window and _NOW.search(body)):
        return DISRUPTION
    return INFORMATION


def read_block(block: Block, now: datetime) -> Read:
    """The block as a board message (without id), with notes on what could not be read."""
    lines = block.body
    notes = [f"unknown category {name!r}" for name in block.unknown_categories]
    orders = _work_orders(lines)
    if len(orders) > 1:
        notes.append(f"several work orders ({', '.join(orders)}); the first is kept")
    work_order = orders[0] if orders and WORK_ORDER.match(orders[0]) else ""
    body = _body_text(lines)
    created = block.created or block.updated
    window, missing = _window(block, lines)
    kind = _kind(block.title, body, work_order, window, created)
    if kind == SERVICE_WINDOW and window is None:
        notes.append(f"service window: {missing}")
    said = bodies.read(lines)
    notes += [f"effect not understood: {text!r}" for text in said.unread]
    message = Message(
        systems=tuple(block.categories), environments=environments_of(block.title, block.categories), kind=kind,
        title=block.title, body=body, created=created, updated=max(block.updated, created), work_order=work_order,
        effects=tuple(said.effects), fallback=said.fallback)
    if window:
        message = replace(message, window_start=window[0], window_end=window[1])
        actual, planned = _moved_end(lines, window[0], window[1], wall_clock(window[0]).date())
        if actual:
            message = replace(message, window_end=actual, status=ENDED, ended_at=actual)
        elif planned:
            message = replace(message, window_end=planned)
    if any(_CANCELLED.match(line.strip()) for line in lines) or (
            said.cancelled_for and set(message.systems) <= said.cancelled_for):
        message = replace(message, status=WITHDRAWN)
    elif said.cancelled_for:
        kept = tuple(Effect(e.channel, e.state, tuple(s for s in e.systems if s not in said.cancelled_for))
                     for e in message.effects if not e.systems or not set(e.systems) <= said.cancelled_for)
        message = replace(message, effects=kept)
        notes.append(f"cancelled for {', '.join(sorted(said.cancelled_for))}: their effects are left out")
    if message.kind == DISRUPTION:
        resolved = _resolved_at(block, lines) or (block.updated if "resolved" in block.title.lower() else None)
        if resolved:
            message = replace(message, kind=BACK_TO_NORMAL, status=ENDED, ended_at=resolved)
    if message.status == OPEN and not message.has_window and message.updated < now - STALE_AFTER:
        message = replace(message, status=ENDED, ended_at=message.updated)
        assumed = [f"its end is not stated; taken as its last update ({wall_clock(message.updated):%d-%m-%Y %H:%M})"]
        return Read(message, notes, assumed)
    return Read(message, notes)
