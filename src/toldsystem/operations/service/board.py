"""The board as every channel and page sees it: the availability answer (the hot path), the systems' status
rolled up per group, the messages in the status page's sections, and the availability history.

Each process keeps one `Board` (availability.py) per database, built from every message. A change made in
this process forgets it at once (after its commit); a change made by another process is seen within
`REFRESH_SECONDS`, when the board's revision (one row) is read again. Between those reads an availability
answer costs a dictionary lookup and a scan of the few periods announced for the system — no query.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from toldsystem import db
from toldsystem.core import clock
from toldsystem.core.errors import Rejected, problem
from toldsystem.operations import periods, report, store
from toldsystem.operations.availability import CHANNELS, Availability, Board
from toldsystem.operations.rules import ENVIRONMENTS, Message
from toldsystem.operations.service.messages import all_messages
from toldsystem.operations.systems import SYSTEMS

REFRESH_SECONDS = 2.0


@dataclass
class _Cached:
    board: Board
    revision: tuple | None
    checked: float
    stale: bool = False


_cache: dict[Engine, _Cached] = {}


def _revision() -> tuple | None:
    with db.reading() as conn:
        row = conn.execute(select(store.revision.c.revision, store.revision.c.changed_at)
                           .where(store.revision.c.id == 1)).first()
    return None if row is None else (row.revision, row.changed_at)


def current_board() -> Board:
    """The current database's board (built again when a message changed; see the module's docstring)."""
    key = db.engine()
    cached = _cache.get(key)
    now = time.monotonic()
    if cached is not None and not cached.stale and now - cached.checked <= REFRESH_SECONDS:
        return cached.board
    revision = _revision()
    if cached is not None and not cached.stale and revision == cached.revision:
        cached.checked = now
        return cached.board
    built = _Cached(Board(all_messages()), revision, now)
    _cache[key] = built
    return built.board


def forget() -> None:
    """Build the board again at its next use (after a change in this process, or between tests)."""
    for cached in _cache.values():
        cached.stale = True


def _check_query(system: str, environment: str, channel: str | None = None) -> None:
    found = []
    if system not in SYSTEMS:
        found.append(problem("ops.system_unknown", "system", f"{system!r} is not a system the board knows; known: "
                             f"{', '.join(SYSTEMS)}", f"{system!r} er ikke et kendt system"))
    if environment not in ENVIRONMENTS:
        found.append(problem("ops.environment", "environment", "the environment is PRD or TFE",
                             "miljøet er PRD eller TFE"))
    if channel is not None and channel not in CHANNELS:
        found.append(problem("ops.channel", "channel", f"the channel is one of {', '.join(CHANNELS)}",
                             f"kanalen er en af {', '.join(CHANNELS)}"))
    if found:
        raise Rejected(found)


def availability(system: str, environment: str = "PRD", channel: str = "file",
                 at: datetime | None = None) -> Availability:
    """Whether `channel` of `system` in `environment` is available at `at` (default now): available, rejected,
    queued or degraded, with the message behind it and when its period ends (`until`). Every channel asks this
    before it takes a submission: `file` for system-to-system (the file gateway, the API's message intake),
    `online` for the portal, `sign_in` for signing in. An unknown system, environment or channel is Rejected."""
    if system not in SYSTEMS or environment not in ENVIRONMENTS or channel not in CHANNELS:
        _check_query(system, environment, channel)
    return current_board().availability(system, environment, channel, at or clock.now())


def status(environment: str = "PRD", at: datetime | None = None, board: Board | None = None) -> dict[str, dict]:
    """Per group of systems: its state, each system's state and the ids of the messages that make it so."""
    _check_query("other", environment)
    return (board or current_board()).rollup(environment, at or clock.now())


def with_draft(draft: Message) -> Board:
    """The board as it will be once `draft` is published (in place of the message of its id): the editor's preview
    of the status page, built aside, never the board the channels ask."""
    return Board([draft, *(m for m in current_board().messages if m.id != draft.id)])


def _matches(message: Message, system: str | None, environment: str | None) -> bool:
    return ((system is None or system in message.systems or any(system in e.systems for e in message.effects))
            and (environment is None or environment in message.environments))


def messages(system: str | None = None, environment: str | None = None, board: Board | None = None) -> list[Message]:
    """Every message, newest update first, of a system and an environment if given."""
    if system is not None or environment is not None:
        _check_query("other" if system is None else system, "PRD" if environment is None else environment)
    return [m for m in (board or current_board()).messages if _matches(m, system, environment)]


def sections(system: str | None = None, environment: str | None = None,
             at: datetime | None = None, board: Board | None = None) -> dict[str, list[Message]]:
    """The status page's sections: current (disruptions first, then windows in progress, then information),
    upcoming windows (soonest first), and history (newest first)."""
    at = at or clock.now()
    found: dict[str, list[Message]] = {"current": [], "upcoming": [], "history": []}
    for message in messages(system, environment, board):
        phase = periods.phase(message, at)
        found[{"current": "current", "upcoming": "upcoming"}.get(phase, "history")].append(message)
    order = {"disruption": 0, "service_window": 1}
    found["current"].sort(key=lambda m: (order.get(m.kind, 2), -m.updated.timestamp()))
    found["upcoming"].sort(key=lambda m: (periods.next_period(m, at) or (m.window_start, None))[0])
    return found


def availability_report(year: int, environment: str = "PRD", system: str | None = None,
                        now: datetime | None = None) -> list[report.MonthRow]:
    """Per system and month of `year`: minutes inside planned service windows and inside disruptions."""
    _check_query("other" if system is None else system, environment)
    if not 2000 <= year <= 2100:
        raise Rejected(problem("ops.year", "year", "the year is between 2000 and 2100", "året er mellem 2000 og 2100"))
    return report.monthly(current_board().messages, year, environment, now or clock.now(),
                          None if system is None else [system])
