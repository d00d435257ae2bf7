"""The reference amount is never overspent, whatever the concurrency (SPEC G), on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import threading
from decimal import Decimal

import pytest

from tests.conftest import FORWARDER
from tests.guarantees.conftest import comprehensive
from toldsystem.core.errors import Conflict, Rejected
from toldsystem.guarantees import service
from toldsystem.guarantees.service import reserving

THREADS = 16
STEP = Decimal("37.00")  # 1000 / 37 leaves a remainder: the guarantee cannot end exactly full


@pytest.fixture(params=["queued", "unqueued"])
def queueing(request, monkeypatch):
    """With and without the in-process per-GRN queue: unqueued, only the database stands guard."""
    if request.param == "unqueued":
        monkeypatch.setattr(reserving, "queue_for", lambda grn: contextlib.nullcontext())
    return request.param


def test_concurrent_reservations_never_overspend_and_none_is_lost(store, queueing):
    g, code = comprehensive(amount="1000.00")
    succeeded: list[str] = []
    refused: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def client(n: int) -> None:
        start.wait()
        for i in range(200):
            ref = f"T{n:02d}-{i:03d}"
            try:
                service.check_and_reserve(FORWARDER, g.grn, code.code, STEP, "EUR", ["DK"], ref)
            except (Rejected, Conflict):
                with lock:
                    refused.append(ref)
                if service.get(g.grn).available < STEP:
                    return
                continue
            with lock:
                succeeded.append(ref)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    final = service.get(g.grn)
    entries = service.ledger(g.grn)
    reserved = sum((e.amount for e in entries), Decimal(0))
    assert reserved <= final.reference_amount
    assert sorted(e.movement_ref for e in entries) == sorted(succeeded)  # exactly the successes, none lost
    assert all(e.kind == "reserve" for e in entries)
    assert service.ledger_balance(g.grn) == final.open_amount == reserved == STEP * len(succeeded)
    assert final.reference_amount - final.open_amount < STEP  # full, or less than one reservation left
    assert len(succeeded) == int(Decimal("1000") // STEP)
    assert refused  # threads kept trying after the guarantee was full


def test_concurrent_replays_of_one_movement_reserve_once(store, queueing):
    g, code = comprehensive(amount="1000.00")
    start = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def client() -> None:
        start.wait()
        try:
            service.check_and_reserve(FORWARDER, g.grn, code.code, "400", "EUR", ["DK"], "SAME-MRN")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=client) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert service.get(g.grn).open_amount == Decimal("400.00")
    assert len(service.ledger(g.grn)) == 1
