"""Benchmark: portal page times with 10,000 movements in the store (issue 12, "must show").

Run: .venv/bin/python bench/portal.py [--movements 10000] [--requests 200]

On a fresh SQLite file (WAL, synchronous=FULL) it registers bench/transit.py's holder and guarantee, a clerk of
the holder (transit and guarantees roles) and an officer at the office of departure (DK009264), each with a
password set as seed 000 wants it, then declares `--movements` 5-item CC015C declarations through transit's
service exactly as the API takes them: seven in ten by an authorised consignor (released at once), three in ten
without (waiting at the office: the officer's work list). Then it starts `told serve` on a free loopback port,
signs both in (POST /api/v1/access/session: the session cookie the pages read) and asks, one after another,
`--requests` times each:
- `dashboard`: GET /dashboard — the clerk's movements (newest first, paged) and newest messages, and the board;
- `movement`: GET /transit/movements/{mrn} — a movement's page, a different movement each time;
- `office`: GET /office — the officer's home with the work lists of the office.
Each figure is the time from sending the request to having the whole page (p50 and p99, ms), measured by this
script's client on the same two cores as the server. The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import transit as transit_bench  # noqa: E402 — bench/transit.py: the holder, its guarantee and the messages

OFFICE = "DK009264"  # the office of departure of transit.example's declarations
PASSWORD = "Bench26x"  # 8 characters, 6 letters, 2 digits: seed 000's rules


def users() -> dict[str, str]:
    """The clerk and the officer, each with PASSWORD (their temporary one changed, as at a first sign-in)."""
    from toldsystem.access.service import signin, users as accounts

    made = {}
    for label, roles, options in (("clerk", ["transit", "guarantees"], {"eori": transit_bench.HOLDER}),
                                  ("officer", ["transit", "guarantees"], {"officer": True, "office": OFFICE})):
        user, temporary = accounts.create(f"Bench {label}", roles, **options)
        signin.change_password(user.username, temporary, PASSWORD, channel="api")
        made[label] = user.username
    return made


def declare(grn: str, code: str, count: int) -> list[str]:
    """`count` declarations through transit's service (8 in flight, as the API's clients); their MRNs."""
    from toldsystem import batching
    from toldsystem.access.rules import Party
    from toldsystem.transit import service
    from toldsystem.transit.example import example_declaration
    from toldsystem.transit.messages import render

    party = Party(kind="company", name=transit_bench.HOLDER, eori=transit_bench.HOLDER)
    mrns: list[str] = []
    in_flight: deque = deque()
    for n in range(count):
        data = example_declaration(transit_bench.HOLDER, "Bench Spedition A/S", grn, code, items=5,
                                   authorised_consignor=n % 10 < 7, lrn=f"PORTAL{n:08d}")
        if len(in_flight) >= 8:
            mrns.append(in_flight.popleft().result().mrn)
        in_flight.append(batching.submit(service.receive_xml, party, render("CC015C", data)))
    while in_flight:
        mrns.append(in_flight.popleft().result().mrn)
    assert all(mrns), "every declaration was accepted"
    return mrns


def signed_in(url: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    answer = client.post("/api/v1/access/session", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client


def page_times(client: httpx.Client, paths: list[str]) -> dict:
    """p50 and p99 (ms) of GETting each path in turn, after a few unmeasured ones."""
    for path in paths[:10]:
        client.get(path)
    times = []
    for path in paths:
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html"), (
            path, answer.status_code, answer.text[:300])
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)], 1),
            "requests": len(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movements", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="told-bench-portal-"))
    os.environ.setdefault("TOLD_SECRET_KEY", "bench-secret")
    os.environ["TOLD_VAR_DIR"] = str(work)
    url = f"sqlite:///{work / 'portal.db'}"

    grn, code = transit_bench.prepare(url)
    accounts = users()
    started = time.perf_counter()
    mrns = declare(grn, code, args.movements)
    seeded_s = time.perf_counter() - started
    from toldsystem import db

    db.engine().dispose()

    port = transit_bench.free_port()
    env = dict(os.environ, TOLD_DATABASE_URL=url, TOLD_SFTP_PORT="off", TOLD_FTPS_PORT="off",
               TOLD_INSECURE_COOKIES="1")  # plain http on loopback: the cookie without Secure
    server = subprocess.Popen([sys.executable, "-c", "from toldsystem.cli import main; main()", "serve", "--host",
                               "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        transit_bench.wait_for(port, server, seconds=120)
        base = f"http://127.0.0.1:{port}"
        clerk, officer = signed_in(base, accounts["clerk"]), signed_in(base, accounts["officer"])
        chosen = random.Random(5).sample(mrns, min(args.requests + 10, len(mrns)))
        results = {
            "dashboard": page_times(clerk, ["/dashboard"] * args.requests),
            "movement": page_times(clerk, [f"/transit/movements/{mrn}" for mrn in chosen]),
            "office": page_times(officer, ["/office"] * args.requests),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    results |= {"movements": len(mrns), "seeding_declarations_per_s": round(len(mrns) / seeded_s, 1)}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
