"""Benchmark: what the board's governing of the channels costs transit's message intake (issue 10, SPEC O).

Run: .venv/bin/python bench/operations.py [--calls 200000] [--count 1000]

On a fresh SQLite database (WAL, synchronous=FULL) with the agency's 2024–2025 page imported (the realistic board:
tests/operations/data/driftsmeddelelser-2024-2025.txt), it measures
- `availability_us`: one call of `operations.service.availability("dms_transit", "PRD", "file")`, the question
  every message asks, as the median over chunks of 10,000 calls (`gate_us`: the same through
  `transit.service.gate()`, as the API asks it) — with no window active and with an unrelated one active;
- `intake_per_s`: declarations (CC015C, 5 goods items) per second through the whole intake path in process, as
  bench/transit.py drives it (its preparation and messages, reused; `batching.submit`, 8 in flight) but through the
  gate — `gate()`, reading, `admit()` — with no window active (`no_window`) and with an active window on DMS Import
  file access that transit does not ask about (`unrelated_window`); and, for the gate's own cost, bench/transit.py's
  path exactly (`receive_xml`, no gate: `ungated`). In alternating chunks of 100, so that the shared machine's ups
  and downs fall on each alike (each case in every place of the order in turn).
The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import tempfile
import time
from collections import deque
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
PAGE = ROOT / "tests" / "operations" / "data" / "driftsmeddelelser-2024-2025.txt"
FAR = datetime(2099, 1, 1, 12, tzinfo=timezone.utc)


def _bench_transit():
    """bench/transit.py as a module: its preparation (holder, token, guarantee) and its messages."""
    spec = importlib.util.spec_from_file_location("bench_transit", ROOT / "bench" / "transit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def availability_cost(calls: int, gate: bool = False) -> float:
    """Median µs per call over chunks of 10,000 calls."""
    from toldsystem.operations import service as operations
    from toldsystem.transit import service

    ask = service.gate if gate else (lambda: operations.availability("dms_transit", "PRD", "file"))
    ask()  # the board is built once, outside the timing
    per_call = []
    for _chunk in range(max(1, calls // 10_000)):
        started = time.perf_counter()
        for _ in range(10_000):
            ask()
        per_call.append((time.perf_counter() - started) / 10_000 * 1e6)
    return round(statistics.median(per_call), 3)


def unrelated_window():
    """A service window on DMS Import file access (rejected), not yet begun; `place` moves it now or far ahead."""
    from toldsystem.operations import service as operations
    from toldsystem.operations.rules import Effect

    made = operations.create(systems=["dms_import"], kind="service_window", title="PRD-servicewindow DMS Import",
                             work_order="WO0000001700009", window_start=FAR, window_end=FAR + timedelta(hours=1),
                             effects=[Effect("file", "rejected"), Effect("online", "unavailable")])

    def place(active: bool) -> None:
        now = datetime.now(timezone.utc)
        start = now - timedelta(hours=1) if active else FAR
        operations.update(made.id, window_start=start, window_end=start + timedelta(hours=2), note="bench")
    return place


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200_000, help="availability calls per case")
    parser.add_argument("--count", type=int, default=1000, help="declarations per case")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    args.count = max(100, -(-args.count // 100) * 100)  # whole chunks of 100
    work = Path(tempfile.mkdtemp(prefix="told-bench-operations-"))
    os.environ.setdefault("TOLD_SECRET_KEY", "bench-secret")
    os.environ["TOLD_VAR_DIR"] = str(work)

    from toldsystem import batching
    from toldsystem.core import heap
    from toldsystem.access.rules import Party
    from toldsystem.operations import service as operations
    from toldsystem.transit import service

    bench = _bench_transit()
    grn, code = bench.prepare(f"sqlite:///{work / 'operations.db'}")
    imported = operations.import_text(PAGE.read_text(encoding="utf-8"))
    place = unrelated_window()
    results: dict = {"board_messages": len(operations.messages()), "imported_blocks": imported.blocks}

    for label, active in (("no_window", False), ("unrelated_window", True)):
        place(active)
        assert service.gate().available and (
            operations.availability("dms_import", "PRD", "file").state == ("rejected" if active else "available"))
        results[f"availability_us_{label}"] = availability_cost(args.calls)
        results[f"gate_us_{label}"] = availability_cost(args.calls, gate=True)

    party = Party(kind="company", name=bench.HOLDER, eori=bench.HOLDER)

    def gated(body: bytes):
        """The API's path without HTTP: ask the board, read, admit (bench/transit.py: receive_xml)."""
        return service.admit(party, service.read_xml(body), body, service.gate())

    cases = (("ungated", False, lambda body: batching.submit(service.receive_xml, party, body)),
             ("no_window", False, lambda body: batching.submit(gated, body)),
             ("unrelated_window", True, lambda body: batching.submit(gated, body)))
    messages = bench.bodies(grn, code, len(cases) * args.count + 100, "O")
    for body in messages[:100]:  # warm up: caches, compiled statements, the writer thread
        batching.submit(gated, body).result()
    heap.settle()  # as the server does at start (app.py)
    seconds = {label: 0.0 for label, _active, _send in cases}
    outcomes: dict[str, int] = {}
    position, round_ = 100, 0
    while position < len(messages):
        turn = round_ % len(cases)  # each case comes first, second and last in turn: no place in a round is favoured
        round_ += 1
        for label, active, send in cases[turn:] + cases[:turn]:
            place(active)
            service.gate()  # the board is built again after the change, outside the timing
            chunk, position = messages[position:position + 100], position + 100
            in_flight: deque = deque()
            started = time.perf_counter()
            for body in chunk:
                if len(in_flight) >= args.concurrency:
                    kind = in_flight.popleft().result().answers[-1].message_type
                    outcomes[kind] = outcomes.get(kind, 0) + 1
                in_flight.append(send(body))
            while in_flight:
                kind = in_flight.popleft().result().answers[-1].message_type
                outcomes[kind] = outcomes.get(kind, 0) + 1
            seconds[label] += time.perf_counter() - started
    assert outcomes == {"CC029C": len(cases) * args.count}, outcomes  # every declaration released
    for label, spent in seconds.items():
        results[f"intake_per_s_{label}"] = round(args.count / spent, 1)
    results["intake_unrelated_vs_none"] = round(seconds["no_window"] / seconds["unrelated_window"], 3)
    results["intake_gated_vs_ungated"] = round(seconds["ungated"] / seconds["no_window"], 3)
    results |= {"store": "sqlite", "concurrency": args.concurrency, "goods_items": 5, "declarations": args.count,
                "availability_calls": args.calls}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
