"""The thread that drains the durable intake queue while the server runs (started in app.py's lifespan).

At start it drains at once what a restart left held (a window that ended while the server was down); then it looks
every POLL seconds — one small indexed query, not a query per message — and drains each queue the board has opened
again. It ends when stopped or when the process's database is another (tests swap them).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from toldsystem import db
from toldsystem.intake import service

log = logging.getLogger(__name__)

POLL = 1.0  # seconds between looks at the queue: a window's end is processed within about a second


class Worker:
    """Drains every queue whose channel the board has opened again, for the database it was started on."""

    def __init__(self, engine: Engine, poll: float = POLL) -> None:
        self.engine = engine
        self.poll = poll
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="told-intake-worker", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def alive(self) -> bool:
        return self.thread.is_alive() and not self.stopped.is_set()

    def _run(self) -> None:
        while not self.stopped.is_set() and db.installed() is self.engine:
            try:
                for queue in service.queues():
                    if queue not in _served:
                        service.drain(*queue)
            except Exception:  # noqa: BLE001 — e.g. the database is away for a moment: look again later
                log.exception("the intake worker could not drain the queue")
            self.stopped.wait(self.poll)


# Queues another worker of this process drains (the file gateway's nudge, through the writer): left to it, so that
# two threads do not take turns on one queue — each of this worker's submissions would pay a commit of its own.
_served: set[tuple[str, str, str]] = set()


def served_elsewhere(queue: tuple[str, str, str], served: bool = True) -> None:
    """Say that another worker of this process drains `queue` (system, environment, channel) while it runs."""
    (_served.add if served else _served.discard)(queue)


_worker: Worker | None = None
_lock = threading.Lock()


def start(poll: float = POLL) -> Worker:
    """The intake worker for the process's database, started if none runs."""
    global _worker
    engine = db.engine()
    with _lock:
        if _worker is None or _worker.engine is not engine or not _worker.alive():
            _worker = Worker(engine, poll)
        return _worker


def stop() -> None:
    """At server stop: the worker ends; what is held stays in the queue for the next start."""
    with _lock:
        if _worker is not None:
            _worker.stop()
