"""A durable delivery queue: one row per announcement, written in the unit of work that made it, sent until
delivered or given up — for every room that pushes (transit's webhooks, the board's webhooks and e-mails).

Each room keeps its own table of deliveries (the columns below, and what it needs beside them) and tells its
`Queue` how one is sent. Once the unit of work has committed, the new deliveries are sent at once (`push`); a
send that fails is retried by the process's one delivery worker after growing pauses (`BACK_OFF`) and given
up after `MAX_ATTEMPTS`, or at once when retrying cannot help. The rows are also the delivery log that the
subscriber reads (`Queue.log`). Nothing waiting is lost at a crash or a restart: the worker starts with the
server and picks up whatever is due.

A delivery table has: id, state (pending | delivered | failed), attempts, next_attempt_at, last_status,
last_error, created_at, delivered_at and body, plus the room's own columns (its owner, where it goes).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Engine, Row, Table, func, select, update

from toldsystem import db
from toldsystem.core import clock
from toldsystem.prepared import insert_row

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACK_OFF = (10, 30, 60, 300, 900, 3600, 3 * 3600)  # seconds to wait after attempt 1, 2, …
LEASE = 60  # seconds an attempt holds its delivery, so no other worker sends it meanwhile
STATES = ("pending", "delivered", "failed")

_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="told-delivery")


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: delivered (no error), or the error and whether retrying could help."""

    status: int | None = None  # the receiver's answer: an HTTP status, an SMTP reply code
    error: str | None = None  # None: delivered
    permanent: bool = False  # give up now (the subscription is gone, the receiver refuses for good)


def default_retries() -> tuple[int, Sequence[float]]:
    """The shared policy, read at each attempt (tests shorten it)."""
    return MAX_ATTEMPTS, BACK_OFF


class Queue:
    """One room's delivery queue: its table, how a claimed delivery is sent, how often it is tried."""

    def __init__(self, name: str, table: Table, send: Callable[[Row], Outcome],
                 retries: Callable[[], tuple[int, Sequence[float]]] = default_retries) -> None:
        self.name, self.table, self.send, self.retries = name, table, send, retries
        self._insert = insert_row(table, table.c.id)  # compiled once: transit adds one on its hot path
        QUEUES.append(self)

    def add(self, conn: Connection, **values) -> int:
        """Inside the caller's unit of work: a new delivery, due now; its id."""
        now = clock.now()
        row = {"state": "pending", "attempts": 0, "next_attempt_at": now, "last_status": None, "last_error": None,
               "created_at": now, "delivered_at": None} | values
        return self._insert.run(conn, row).scalar_one()

    def push(self, delivery_ids: list[int]) -> None:
        """After the commit: send the new deliveries now, in the background; the worker retries what fails."""
        worker()
        for delivery_id in delivery_ids:
            _pool.submit(self.attempt, delivery_id)

    def attempt(self, delivery_id: int) -> str | None:
        """Send one delivery if it is due and no one else is sending it; its state afterwards (None: not due)."""
        d, now = self.table, clock.now()
        with db.transaction() as conn:
            claimed = conn.execute(
                update(d).where((d.c.id == delivery_id) & (d.c.state == "pending") & (d.c.next_attempt_at <= now))
                .values(attempts=d.c.attempts + 1, next_attempt_at=now + timedelta(seconds=LEASE))
                .returning(*d.c)).first()
        if claimed is None:
            return None
        outcome = self.send(claimed)
        if outcome.error is None:
            return self._record(delivery_id, "delivered", outcome.status, None)
        log.warning("%s delivery %s failed (attempt %d): %s", self.name, delivery_id, claimed.attempts, outcome.error)
        most, back_off = self.retries()
        if outcome.permanent or claimed.attempts >= most:
            return self._record(delivery_id, "failed", outcome.status, outcome.error)
        pause = back_off[min(claimed.attempts, len(back_off)) - 1]
        next_attempt = clock.now() + timedelta(seconds=pause)
        return self._record(delivery_id, "pending", outcome.status, outcome.error, next_attempt)

    def _record(self, delivery_id: int, state: str, status: int | None, error: str | None,
                next_attempt: datetime | None = None) -> str:
        d = self.table
        values = {"state": state, "last_status": status, "last_error": error}
        if state == "delivered":
            values["delivered_at"] = clock.now()
        if next_attempt is not None:
            values["next_attempt_at"] = next_attempt
        with db.transaction() as conn:
            # Only a delivery still pending: one given up meanwhile (its subscription removed) stays given up.
            conn.execute(update(d).where((d.c.id == delivery_id) & (d.c.state == "pending")).values(**values))
        return state

    def give_up(self, conn: Connection, condition: ColumnElement[bool], reason: str) -> None:
        """Inside the caller's unit of work: the pending deliveries matching `condition` are not sent."""
        d = self.table
        conn.execute(update(d).where(condition & (d.c.state == "pending")).values(state="failed", last_error=reason))

    def due(self, limit: int = 50) -> list[int]:
        """Deliveries waiting whose time has come, the longest waiting first."""
        d = self.table
        with db.reading() as conn:
            waiting = (d.c.state == "pending") & (d.c.next_attempt_at <= clock.now())
            return list(conn.execute(select(d.c.id).where(waiting).order_by(d.c.next_attempt_at).limit(limit)).scalars())

    def pending(self) -> bool:
        d = self.table
        with db.reading() as conn:
            return conn.execute(select(d.c.id).where(d.c.state == "pending").limit(1)).first() is not None

    def log(self, condition: ColumnElement[bool], describe: Callable[[Row], dict], *, state: str | None = None,
            page: int = 1, page_size: int = 50) -> dict:
        """A subscriber's delivery log (the deliveries matching `condition`), newest first, with counts by state."""
        d = self.table
        chosen = condition if not state else condition & (d.c.state == state)
        with db.reading() as conn:
            rows = conn.execute(select(d).where(chosen).order_by(d.c.id.desc())
                                .limit(page_size + 1).offset((page - 1) * page_size)).all()
            counts = dict(conn.execute(select(d.c.state, func.count()).where(condition).group_by(d.c.state)).all())
        return {"page": page, "page_size": page_size, "has_more": len(rows) > page_size,
                "counts": {s: counts.get(s, 0) for s in STATES},
                "deliveries": [describe(r) | attempts_out(r) for r in rows[:page_size]]}


def attempts_out(row: Row) -> dict:
    """The part of a delivery-log entry every queue shares: its state and attempts."""
    return {"id": row.id, "state": row.state, "attempts": row.attempts, "last_status": row.last_status,
            "last_error": row.last_error, "created_at": row.created_at.isoformat(),
            "next_attempt_at": row.next_attempt_at.isoformat() if row.state == "pending" else None,
            "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None}


QUEUES: list[Queue] = []  # every room's queue, as its module made it; the worker serves them all


# --- the worker --------------------------------------------------------------------------------------------------

class Worker:
    """The process's delivery worker: a thread that hands due deliveries of every queue to the sending pool, for
    the database it was started on.

    While nothing is pending it looks only every `IDLE_POLL` seconds, or at once when this process queues
    something (`start`): deliveries another process queued (`told ops import` at the terminal, another server
    on the same PostgreSQL) are sent too. Its thread ends when stopped, or when the process's database is another
    (tests swap them)."""

    POLL = 1.0  # seconds between looks at the queues while something is pending
    IDLE_POLL = 30.0  # … and while nothing is

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.engine: Engine | None = None
        self.stopped = threading.Event()
        self.nudged = threading.Event()  # something was queued here: look now
        self._lock = threading.Lock()

    def start(self) -> Worker:
        """A thread for the process's database, started if none runs for it, and told to look now."""
        engine = db.engine()
        with self._lock:
            if not (self.alive() and self.engine is engine):
                self.stop()  # a thread of another database ends
                self.engine, self.stopped = engine, threading.Event()
                self.thread = threading.Thread(target=self._run, args=(engine, self.stopped),
                                               name="told-delivery-worker", daemon=True)
                self.thread.start()
            self.nudged.set()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.nudged.set()

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive() and not self.stopped.is_set()

    def _run(self, engine: Engine, stopped: threading.Event) -> None:
        while not stopped.is_set() and db.installed() is engine:
            try:
                found = [(queue, delivery_id) for queue in QUEUES for delivery_id in queue.due()]
                for queue, delivery_id in found:
                    _pool.submit(_attempt_on, engine, queue, delivery_id)
                idle = not found and not any(queue.pending() for queue in QUEUES)
            except Exception:  # noqa: BLE001 — e.g. the database is away: the next push starts a worker again
                log.exception("delivery worker could not read the queues; it stops until the next delivery")
                break
            if idle:
                self.nudged.wait(self.IDLE_POLL)
                self.nudged.clear()
            else:
                stopped.wait(self.POLL)


def _attempt_on(engine: Engine, queue: Queue, delivery_id: int) -> str | None:
    """An attempt the worker scheduled, if its database is still the process's."""
    return queue.attempt(delivery_id) if db.installed() is engine else None


WORKER = Worker()


def worker() -> Worker:
    """The delivery worker, running for the process's database (at server start, and by each push)."""
    return WORKER.start()


def stop_worker() -> None:
    """At server stop: the worker ends; what is pending stays in the queues for the next start."""
    WORKER.stop()
