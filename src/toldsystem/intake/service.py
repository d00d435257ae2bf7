"""The durable intake queue (ARCHITECTURE "Durable intake queue"): the only seam to its table.

`hold` writes a submission the board queues (SPEC O: "will be processed when the service window has passed") as a
row, in the transaction whose commit acknowledges it (the 202): once the sender has its answer, the submission is
on disk. `drain` processes the held rows of a queue — a system, an environment and a channel — one at a time in
arrival order, once the board opens that channel again (`operations.service.availability`), each by the handler
its room registered (`register`): transit's message intake now, the file gateway, import and export later.

Exactly once: a row is marked processed in the same transaction as its handler's effects, so a crash (kill -9)
before that commit undoes both and the row is processed again after the restart; a crash after it leaves nothing
to do. Two processes draining at once take turns per queue (SQLite's single writer; on PostgreSQL an advisory
lock on the queue), so the order holds across processes too. A handler refusing the submission (a ToldError: a
sender no longer authorised, an identification reused) marks it failed with its problems; an unexpected error
(a database away) leaves it held, to be tried again up to rules.MAX_ATTEMPTS times before it is failed, so the
rows behind it are not held up for ever.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, func, select, text, update
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Conflict, NotFound, ToldError, problem
from toldsystem.intake import rules, store
from toldsystem.intake.rules import FAILED, HELD, PROCESSED
from toldsystem.prepared import Prepared, insert_row

log = logging.getLogger(__name__)
_h = store.held

# Every file put into the gateway is held and processed here (and every message a queued window holds): the
# statements are compiled once (prepared.py), not at every call, as on transit's intake path.
_HELD_BY_SENDER = Prepared(select(func.count(), func.coalesce(func.sum(_h.c.size), 0))
                           .where(_h.c.sender == bindparam("sender"), _h.c.state == HELD))
_NEW_HELD = insert_row(_h, _h.c.id)
_OLDEST_HELD = Prepared(select(_h).where(_h.c.system == bindparam("system"), _h.c.environment == bindparam("env"),
                                         _h.c.channel == bindparam("chan"), _h.c.state == HELD)
                        .order_by(_h.c.id).limit(1))
_MARK = Prepared(update(_h).where(_h.c.id == bindparam("held_id"))
                 .values(state=bindparam("new_state"), outcome=bindparam("new_outcome"),
                         processed_at=bindparam("at"), payload=bindparam("cleared")))
_HELD_COUNT = Prepared(select(func.count()).where(_h.c.state == HELD))
_HELD_COUNT_OF = Prepared(select(func.count()).where(_h.c.state == HELD, _h.c.system == bindparam("system")))


class QueueFull(ToldError):
    """The sender already holds as many submissions as the queue keeps for one sender (rules.within_bounds)."""

    status = 429


@dataclass(frozen=True, slots=True)
class Held:
    """A submission in the queue, as its handler and its sender see it."""

    id: int
    system: str
    environment: str
    channel: str
    handler: str
    sender: str
    party: Party
    key: str | None
    digest: str
    payload: bytes | None  # None once processed
    summary: dict
    state: str
    received_at: datetime
    processed_at: datetime | None
    outcome: dict | None
    attempts: int


Handler = Callable[[Held], dict]
_handlers: dict[str, Handler] = {}


def register(name: str, handler: Handler) -> None:
    """Name the function that processes held submissions of `name` (one per room and kind of submission). It runs
    inside the unit of work that marks the row processed and returns what the sender may read of the outcome (JSON
    data); a ToldError it raises marks the submission failed with its problems, and undoes its writes."""
    _handlers[name] = handler


def hold(*, system: str, environment: str, channel: str, handler: str, party: Party, payload: bytes | None,
         digest: str, key: str | None = None, summary: dict | None = None, size: int | None = None) -> int:
    """Keep a submission for later processing and return its id; durable once this returns. The same key from the
    same sender for the same handler is the same submission (its id again, nothing new held); with other content
    (another digest) it is a Conflict. Over the sender's bound (rules.within_bounds) it is QueueFull (429).
    `payload=None` with its `size`: the room keeps the content in a table of its own (the gateway's files), written
    in the same unit of work, so it is not written twice."""
    if handler not in _handlers:
        raise LookupError(f"no intake handler is registered as {handler!r}")
    sender = party.key
    size = len(payload) if payload is not None else size
    if size is None:
        raise TypeError("intake.hold: a submission without its payload needs its size")
    row = {"system": system, "environment": environment, "channel": channel, "handler": handler, "sender": sender,
           "party": jsontext.dumps(_party_out(party)), "idempotency_key": key, "digest": digest, "payload": payload,
           "size": size, "summary": jsontext.dumps(summary or {}), "state": HELD,
           "received_at": clock.now(), "processed_at": None, "outcome": None, "attempts": 0}
    try:
        with db.transaction() as conn:
            if key is not None and (found := _same_key(conn, handler, sender, key, digest)) is not None:
                return found
            count, held_bytes = _HELD_BY_SENDER.run(conn, {"sender": sender}).one()
            refused = rules.within_bounds(count, int(held_bytes), size)
            if refused is not None:
                raise QueueFull(refused)
            return _NEW_HELD.run(conn, row).scalar_one()
    except IntegrityError:  # the same key arrived twice at once: the other copy is the one held
        with db.reading() as conn:
            found = _same_key(conn, handler, sender, key, digest) if key is not None else None
        if found is None:
            raise
        return found


def _same_key(conn: Connection, handler: str, sender: str, key: str, digest: str) -> int | None:
    row = conn.execute(select(_h.c.id, _h.c.digest).where(_h.c.handler == handler, _h.c.sender == sender,
                                                           _h.c.idempotency_key == key)).first()
    if row is None:
        return None
    if row.digest != digest:
        raise Conflict(problem("intake.key_reused", "/messageIdentification",
                               f"{key} was already sent with other content and waits for the service window to end",
                               f"{key} er allerede sendt med andet indhold og venter på, at servicevinduet slutter"))
    return row.id


def get(party: Party, held_id: int, handler: str | None = None) -> Held:
    """A held submission (of `handler`'s, if given) as its sender (or an officer) may read it; to anyone else it is
    unknown (404)."""
    with db.reading() as conn:
        row = conn.execute(select(_h).where(_h.c.id == held_id)).first()
    if row is None or not rules.may_read(party, row.sender) or handler not in (None, row.handler):
        raise NotFound(problem("intake.unknown", "held_id", f"there is no held submission {held_id}",
                               f"der er ingen tilbageholdt indsendelse {held_id}"))
    return _held(row)


def held_count(system: str | None = None) -> int:
    """How many submissions are held now (of a system if given)."""
    with db.reading() as conn:
        if system is None:
            return _HELD_COUNT.run(conn).scalar_one()
        return _HELD_COUNT_OF.run(conn, {"system": system}).scalar_one()


def queues() -> list[tuple[str, str, str]]:
    """The queues (system, environment, channel) that hold submissions now."""
    with db.reading() as conn:
        return [tuple(r) for r in conn.execute(select(_h.c.system, _h.c.environment, _h.c.channel)
                                               .where(_h.c.state == HELD).distinct())]


def drain(system: str | None = None, environment: str | None = None, channel: str | None = None,
          limit: int | None = None) -> int:
    """Process held submissions in arrival order — of one queue, or of every queue that holds some — while the
    board leaves their channel open; return how many were processed (or failed). Stops at a submission that could
    not be processed this time (it is tried again at the next drain)."""
    from toldsystem.operations import service as operations

    done = 0
    for queue in queues() if system is None else [(system, environment or "PRD", channel or "file")]:
        while limit is None or done < limit:
            if not rules.channel_open(operations.availability(*queue).state):
                break
            outcome = process_next(*queue)
            if outcome is None:
                break
            if outcome is HELD:  # could not be processed now: try again at the next drain
                break
            done += 1
    return done


def process_next(system: str, environment: str, channel: str) -> str | None:
    """Process the oldest held submission of the queue in one unit of work with its handler's effects; its new
    state (processed, failed; held when it could not be processed this time), or None if none is held."""
    try:
        with db.transaction() as conn:
            _take_turn(conn, system, environment, channel)
            row = _OLDEST_HELD.run(conn, {"system": system, "env": environment, "chan": channel}).first()
            if row is None:
                return None
            held = _held(row)
            state, outcome = _run(held)
            _mark(conn, held.id, state, outcome)
            return state
    except Exception:  # noqa: BLE001 — nothing of the attempt is kept; count it and go on later
        log.exception("a held submission of %s/%s/%s could not be processed", system, environment, channel)
        return _count_failed_attempt(system, environment, channel)


def _run(held: Held) -> tuple[str, dict]:
    handler = _handlers.get(held.handler)
    if handler is None:
        raise LookupError(f"no intake handler is registered as {held.handler!r}")
    try:
        with db.transaction():  # a savepoint: a refusal leaves none of the handler's own writes
            return PROCESSED, handler(held)
    except ToldError as refused:
        return FAILED, {"status": refused.status, "errors": [p.as_dict() for p in refused.problems]}


def _mark(conn: Connection, held_id: int, state: str, outcome: dict) -> None:
    # The payload goes once it has been processed: it may hold secrets (a guarantee's access code) no longer needed.
    _MARK.run(conn, {"held_id": held_id, "new_state": state, "new_outcome": jsontext.dumps(outcome),
                     "at": clock.now(), "cleared": None})


def _count_failed_attempt(system: str, environment: str, channel: str) -> str | None:
    try:
        with db.transaction() as conn:
            _take_turn(conn, system, environment, channel)
            row = conn.execute(select(_h.c.id, _h.c.attempts).where(
                _h.c.system == system, _h.c.environment == environment, _h.c.channel == channel,
                _h.c.state == HELD).order_by(_h.c.id).limit(1)).first()
            if row is None:
                return None
            if rules.gave_up(row.attempts + 1):
                _mark(conn, row.id, FAILED, {"status": 500, "errors": [_gave_up().as_dict()]})
                return FAILED
            conn.execute(update(_h).where(_h.c.id == row.id).values(attempts=row.attempts + 1))
            return HELD
    except Exception:  # noqa: BLE001 — the database itself is away: everything stays as it was
        log.exception("the intake queue could not be read")
        return HELD


def _gave_up():
    return problem("intake.not_processed", "/",
                   f"the submission could not be processed after {rules.MAX_ATTEMPTS} attempts; send it again",
                   f"indsendelsen kunne ikke behandles efter {rules.MAX_ATTEMPTS} forsøg; send den igen")


def _take_turn(conn: Connection, system: str, environment: str, channel: str) -> None:
    """One drainer per queue at a time, across processes: SQLite has one writer; PostgreSQL locks the queue."""
    if not db.is_sqlite(conn):
        key = zlib.crc32(f"intake/{system}/{environment}/{channel}".encode())
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _party_out(party: Party) -> dict:
    """Who sent it, kept with the row: processed later as that party, the audit log names its user and channel."""
    return {"kind": party.kind, "name": party.name, "eori": party.eori, "office": party.office, "user": party.user,
            "roles": sorted(party.roles), "channel": party.channel, "client": party.client}


def _party_in(stored: dict) -> Party:
    # Rows held before the sender's user and channel were kept name only the party (as the system processed them).
    if "roles" in stored:
        stored = stored | {"roles": frozenset(stored["roles"])}
    return Party(**stored)


def _held(row) -> Held:
    return Held(row.id, row.system, row.environment, row.channel, row.handler, row.sender,
                _party_in(jsontext.loads(row.party)),
                row.idempotency_key, row.digest, row.payload, jsontext.loads(row.summary), row.state, row.received_at,
                row.processed_at, jsontext.loads(row.outcome) if row.outcome else None, row.attempts)


__all__ = ["FAILED", "HELD", "PROCESSED", "Held", "Handler", "QueueFull", "drain", "get", "held_count",
           "hold", "process_next", "queues", "register"]
