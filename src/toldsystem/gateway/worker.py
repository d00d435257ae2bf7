"""The gateway's nudge: each upload wakes a thread that has the intake queue process the transit file channel's
waiting submissions at once, rather than at the queue worker's next look (up to a second later).

It runs the queue's own `process_next` — the oldest waiting submission of the queue, under the queue's turn, in
the unit of work that marks it — only while the board leaves the channel open, as the queue's `drain` does; but it
hands several to the writer at once (batching.submit), so on SQLite they share one durable commit instead of
paying one each. Arrival order holds: each takes the oldest still waiting when its turn comes."""

from __future__ import annotations

import logging
import threading

from toldsystem import batching
from toldsystem.gateway import inbox
from toldsystem.intake import rules as queue_rules
from toldsystem.intake import service as intake
from toldsystem.intake import worker as intake_worker
from toldsystem.operations import service as operations

log = logging.getLogger(__name__)
ROUND = 32  # submissions handed to the writer at once


class Worker:
    """One thread that processes the queue whenever an upload arrived (and every second), until stopped."""

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="told-gateway-nudge", daemon=True)

    def start(self) -> Worker:
        inbox.on_upload(self._wake.set)
        intake_worker.served_elsewhere(inbox.QUEUE)  # this thread drains transit's file queue, API's held ones too
        self._thread.start()
        return self

    def stop(self) -> None:
        intake_worker.served_elsewhere(inbox.QUEUE, served=False)
        inbox.off_upload(self._wake.set)
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # before looking: an upload from now on wakes the next round
            try:
                while self._round() and not self._stopping.is_set():
                    pass
            except Exception:  # noqa: BLE001 — what is left waits for the next round
                log.exception("processing the intake queue for the gateway failed")
            self._wake.wait(timeout=1.0)

    def _round(self) -> bool:
        """Process up to ROUND waiting submissions; whether there may be more."""
        if not queue_rules.channel_open(operations.availability(*inbox.QUEUE).state):
            return False
        waiting = min(intake.held_count(inbox.QUEUE[0]), ROUND)
        outcomes = [future.result() for future in
                    [batching.submit(intake.process_next, *inbox.QUEUE) for _ in range(waiting)]]
        return bool(outcomes) and all(state not in (None, queue_rules.HELD) for state in outcomes)
