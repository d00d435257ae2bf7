"""The gateway's nudge: each upload wakes a thread that drains the intake queue's transit file channel at once,
so a file is processed within moments of its upload rather than at the queue worker's next look (up to a second
later). It drains the same queue, in the same order, under the same turn (intake.service.process_next); the
queue's own worker still drains what a restart or a window's end leaves."""

from __future__ import annotations

import logging
import threading

from toldsystem.gateway import inbox
from toldsystem.intake import service as intake

log = logging.getLogger(__name__)


class Worker:
    """One thread that drains the queue whenever an upload arrived, until stopped."""

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="told-gateway-nudge", daemon=True)

    def start(self) -> Worker:
        inbox.on_upload(self._wake.set)
        self._thread.start()
        return self

    def stop(self) -> None:
        inbox.off_upload(self._wake.set)
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # before draining: an upload from now on wakes the next round
            try:
                intake.drain(*inbox.QUEUE)
            except Exception:  # noqa: BLE001 — what is left waits for the next round (or the queue's worker)
                log.exception("draining the intake queue for the gateway failed")
            self._wake.wait(timeout=1.0)
