"""Benchmark: service-level check_and_reserve throughput at 1 and 16 threads, SQLite and PostgreSQL.

Run: .venv/bin/python bench/guarantees.py [--seconds 4] [--postgres postgresql://postgres@127.0.0.1:5432/test]
Sets up a fresh SQLite file and a fresh PostgreSQL schema `told_bench`, migrates, registers a
company with a big comprehensive guarantee, then reserves small amounts as fast as it can.
Checks that nothing was overspent (ledger sum vs reference amount, ledger vs open amount).
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import func, select, text  # noqa: E402

from toldsystem import config, db, migrate  # noqa: E402

HOLDER = "DK13585628"
OFFICE = "DK009860"


def _setup(engine) -> tuple[str, str]:
    from toldsystem.companies import service as companies
    from toldsystem.guarantees import service
    from toldsystem.reference import service as reference

    db.use(engine)
    reference.forget_snapshot()
    reference.load_bundled()
    companies.register(HOLDER, "Bench Spedition A/S", "Havnegade 1", "Padborg", "6330", registered_import=True)
    companies.grant(HOLDER, "comprehensive_guarantee", date(2020, 1, 1))
    g, code = service.register_comprehensive(HOLDER, "9999999999.00", "EUR", office_of_guarantee=OFFICE)
    return g.grn, code.code


def _run(grn: str, code: str, threads: int, seconds: float, tag: str) -> float:
    from toldsystem.guarantees import service

    counts = [0] * threads
    failures: list[BaseException] = []
    stop = time.perf_counter() + seconds
    barrier = threading.Barrier(threads + 1)

    def worker(n: int) -> None:
        barrier.wait()
        i = 0
        try:
            while time.perf_counter() < stop:
                service.check_and_reserve(HOLDER, grn, code, "10.00", "EUR", ["DK", "DE"], f"{tag}-{n}-{i}")
                i += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        counts[n] = i

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    began = time.perf_counter()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise failures[0]
    return sum(counts) / elapsed


def _overspend(grn: str) -> int:
    from toldsystem.guarantees import service, store

    g = service.get(grn)
    ledger_sum = service.ledger_balance(grn)
    with db.reading() as conn:
        reserved = conn.execute(select(func.coalesce(func.sum(store.ledger.c.amount_cents), 0))
                                .where(store.ledger.c.grn == grn, store.ledger.c.kind == "reserve")).scalar_one()
    bad = 0
    if Decimal(reserved).scaleb(-2) > g.reference_amount:
        bad += 1
    if ledger_sum != g.open_amount:
        bad += 1
    return bad


def bench(name: str, engine, seconds: float) -> tuple[dict[str, float], int]:
    migrate.upgrade(engine)
    grn, code = _setup(engine)
    figures = {}
    for threads in (1, 16):
        rate = _run(grn, code, threads, seconds, f"{name}{threads}")
        figures[str(threads)] = round(rate, 1)
        print(f"{name:8s} {threads:2d} thread(s): {rate:8.1f} reservations/s")
    bad = _overspend(grn)
    from toldsystem.guarantees import service

    g = service.get(grn)
    print(f"{name:8s} open amount {g.open_amount} EUR, ledger {service.ledger_balance(grn)} EUR, "
          f"{len(service.ledger(grn))} ledger rows, overspend checks failed: {bad}")
    engine.dispose()
    return figures, bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--postgres", default=os.environ.get("TOLD_BENCH_POSTGRES_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="told-bench-"))
    os.environ.setdefault("TOLD_SECRET_KEY", "bench-secret-key")
    os.environ["TOLD_VAR_DIR"] = str(var)
    config.override(config.load())
    logging_quiet()

    sqlite_engine = db.make_engine(f"sqlite:///{var / 'bench.db'}")
    sqlite_figures, sqlite_bad = bench("sqlite", sqlite_engine, args.seconds)

    admin = db.make_engine(args.postgres, pool_size=1, max_overflow=0)
    with admin.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS told_bench CASCADE"))
        conn.execute(text("CREATE SCHEMA told_bench"))
    admin.dispose()
    pg_engine = db.make_engine(args.postgres, connect_args={"options": "-csearch_path=told_bench"})
    pg_figures, pg_bad = bench("postgres", pg_engine, args.seconds)

    result = {"sqlite": sqlite_figures, "postgres": pg_figures,
              "reservations_per_s": {"sqlite": sqlite_figures, "postgres": pg_figures},
              "overspend": sqlite_bad + pg_bad}
    print(json.dumps(result))


def logging_quiet() -> None:
    import logging

    logging.getLogger("toldsystem").setLevel(logging.WARNING)


if __name__ == "__main__":
    main()
