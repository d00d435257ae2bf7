"""The worker that processes the files waiting in inboxes: woken by each upload, and at start for those
left waiting when the server last stopped (however it stopped)."""

from __future__ import annotations

import logging
import threading

from toldsystem.gateway import service

log = logging.getLogger(__name__)


class Worker:
    """One thread that drains the waiting files in arrival order until stopped."""

    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="told-gateway-worker", daemon=True)

    def start(self) -> Worker:
        service.on_upload(self._wake.set)
        self._thread.start()
        return self

    def stop(self) -> None:
        service.off_upload(self._wake.set)
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()  # before looking: an upload from now on wakes the next round
            try:
                while service.process_pending() and not self._stopping.is_set():
                    pass
            except Exception:  # noqa: BLE001 — a failed round leaves its files waiting; tried again shortly
                log.exception("processing the gateway's inbox failed; trying again")
                self._stopping.wait(1.0)
            self._wake.wait(timeout=1.0)
