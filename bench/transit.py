"""Benchmark: CC015C declarations with 5 goods items over HTTP, on SQLite and PostgreSQL.

Run: .venv/bin/python bench/transit.py [--count 1500] [--concurrency 8] [--postgres URL]

For each store it starts `told serve` (uvicorn, one process) on a free loopback port against a
fresh database (a new SQLite file in WAL with synchronous=FULL, so every commit is durable; a
fresh PostgreSQL schema), registers a holder with a large comprehensive guarantee, then posts
pre-built CC015C messages from concurrent clients and measures declarations per second and the
latency of each answer. It also measures, in process and without HTTP:
- `floor_per_s`: the true floor: lxml parsing the message's bytes plus validating them against
  our CC015C schema, and nothing else — the least any intake of the message must do;
- `parse_to_data_per_s`: our own reading of the message (the hardened parser, schema validation
  and the conversion into the message's data); `conversion_us` is what that costs per message
  beyond the floor;
- `in_process_per_s`: the whole intake path (parse, validate, rules, MRN, GMS, answers, durable
  commit), driven as the API drives it, with as many declarations in flight as HTTP clients;
- `full_path_vs_floor`: how many times the true floor's time the whole path takes (measured in
  alternating chunks, so the shared machine's ups and downs fall on both alike).
The last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

HOLDER = "DK13585628"
WORKERS = 1
TOKEN = "told_bench_transit_holder"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str) -> tuple[str, str]:
    """Migrate, load reference data, register the holder, its token and a large guarantee."""
    from toldsystem import db, migrate
    from toldsystem.access import service as access
    from toldsystem.companies import service as companies
    from toldsystem.guarantees import service as guarantees
    from toldsystem.reference import service as reference

    engine = db.make_engine(url)
    migrate.upgrade(engine)
    db.use(engine)
    reference.forget_snapshot()
    reference.load_bundled()
    companies.register(HOLDER, "Bench Spedition A/S", "Industrivej 12", "Padborg", "6330", registered_import=True)
    companies.grant(HOLDER, "authorised_consignor", date(2020, 1, 1))
    companies.grant(HOLDER, "comprehensive_guarantee", date(2020, 1, 1))
    access.issue_company_token(HOLDER, "bench", token=TOKEN)
    guarantee, code = guarantees.register_comprehensive(HOLDER, "9999999999.00", "EUR", office_of_guarantee="DK009860")
    return guarantee.grn, code.code


def bodies(grn: str, code: str, count: int, tag: str) -> list[bytes]:
    from toldsystem.transit.example import example_declaration
    from toldsystem.transit.messages import render

    out = []
    for n in range(count):
        data = example_declaration(HOLDER, "Bench Spedition A/S", grn, code, items=5, authorised_consignor=True,
                                   lrn=f"{tag}{n:08d}")
        out.append(render("CC015C", data))
    return out


async def post_all(port: int, messages: list[bytes], concurrency: int) -> tuple[float, list[float], dict[str, int]]:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/xml", "Accept": "application/json"}
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    queue = list(reversed(messages))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers, limits=limits,
                                 timeout=60) as client:
        async def worker() -> None:
            while queue:
                body = queue.pop()
                started = time.perf_counter()
                answer = await client.post("/api/transit/messages", content=body)
                latencies.append(time.perf_counter() - started)
                kinds = [a["messageType"] for a in answer.json().get("answers", [])] if answer.status_code < 500 else []
                key = "+".join(kinds) or str(answer.status_code)
                outcomes[key] = outcomes.get(key, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return elapsed, latencies, outcomes


WRK_SCRIPT = """
-- Every request is a new declaration: its own LRN and message identification.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", string.format("%02d", threads))
end
function init(args)
  local f = io.open(args[1], "rb"); template = f:read("*a"); f:close()
  counter = 0
end
function request()
  counter = counter + 1
  local n = string.format("W%s%08d", id, counter)
  local body = template:gsub("__LRN__", n):gsub("__MSGID__", n)
  return wrk.format("POST", "/api/transit/messages", nil, body)
end
"""


def post_with_wrk(port: int, template: bytes, seconds: int, concurrency: int, work: Path) -> dict:
    """Post fresh declarations (each its own LRN and message identification) for `seconds` with wrk."""
    (work / "cc015c.xml").write_bytes(template)
    script = work / "declare.lua"
    script.write_text(WRK_SCRIPT)
    headers = ["-H", f"Authorization: Bearer {TOKEN}", "-H", "Content-Type: application/xml",
               "-H", "Accept: application/json"]
    out = subprocess.run(["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--latency", *headers, "-s", str(script),
                          f"http://127.0.0.1:{port}", "--", str(work / "cc015c.xml")],
                         capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"declarations_per_s": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), 1),
            "p50_ms": millis("50%"), "p99_ms": millis("99%"), "non_2xx": int(errors.group(1)) if errors else 0}


def wait_for(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def over_http(url: str, count: int, concurrency: int, tag: str, seconds: int, work: Path) -> dict:
    grn, code = prepare(url)
    messages = bodies(grn, code, count + 50, tag)
    template = bodies(grn, code, 1, "__LRN__")[0]
    template = re.sub(rb"<messageIdentification>[^<]+<", b"<messageIdentification>__MSGID__<", template)
    port = free_port()
    env = dict(os.environ, TOLD_DATABASE_URL=url)
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "toldsystem.app:create_app", "--factory",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--no-access-log", "--workers", str(WORKERS)], env=env, cwd=ROOT)
    try:
        wait_for(port, server)
        asyncio.run(post_all(port, messages[:50], concurrency))  # warm up
        if shutil.which("wrk"):
            figures = post_with_wrk(port, template, seconds, concurrency, work)
            figures["client"] = "wrk"
            figures["released"] = released_count(url)
            return figures
        elapsed, latencies, outcomes = asyncio.run(post_all(port, messages[50:], concurrency))
    finally:
        server.terminate()
        server.wait(timeout=10)
    latencies.sort()
    return {"declarations_per_s": round(count / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
            "outcomes": outcomes, "client": "httpx"}


def released_count(url: str) -> int:
    """How many movements the run left released (each a CC029C answer)."""
    from sqlalchemy import func, select

    from toldsystem import db
    from toldsystem.transit import store

    engine = db.make_engine(url)
    with engine.connect() as conn:
        found = conn.execute(select(func.count()).select_from(store.movements)
                             .where(store.movements.c.state == "released")).scalar_one()
    engine.dispose()
    return found


def in_process(url: str, count: int, tag: str, concurrency: int) -> dict:
    """The true floor (lxml parse + schema validation), our parse into data, and the whole intake path.

    The whole path is driven as the API drives it (batching.submit: on SQLite the writer thread,
    several declarations per durable commit), with `concurrency` declarations in flight: a new
    one is sent as soon as one is answered. The floor and our parse are measured on the same
    thread (parsing there is faster than in this script's main thread, whose heap the set-up has
    churned), and all three in alternating chunks of 100, so that the machine's ups and downs
    fall on each alike. The ratio is the median of the chunks' ratios (their range is printed
    too): one stall of the shared machine's disk during one chunk must not stand for the whole run.
    """
    from collections import deque

    from lxml import etree

    from toldsystem import batching
    from toldsystem.core import heap
    from toldsystem.access.rules import Party
    from toldsystem.transit import service
    from toldsystem.transit.messages import parse_message
    from toldsystem.transit.messages.schemas import compiled_schema

    grn, code = prepare(url)
    messages = bodies(grn, code, count + 100, tag)
    party = Party(kind="company", name=HOLDER, eori=HOLDER)
    for body in messages[:100]:  # warm up: caches, compiled statements, the writer thread
        batching.submit(service.receive_xml, party, body).result()
    heap.settle()  # as the server does at start (app.py): setup objects stay out of the collector's scans
    floor_seconds = parse_seconds = full_seconds = 0.0
    outcomes: dict[str, int] = {}
    schema = compiled_schema("CC015C")
    xml_parser = etree.XMLParser(resolve_entities=False, no_network=True)

    def answered(future) -> None:
        kind = future.result().answers[-1].message_type
        outcomes[kind] = outcomes.get(kind, 0) + 1

    def floor(chunk: list[bytes]) -> float:
        """lxml parsing of the bytes plus validation against our schema, and nothing else."""
        started = time.perf_counter()
        for body in chunk:
            if not schema.validate(etree.fromstring(body, xml_parser)):
                raise AssertionError(schema.error_log.last_error)
        return time.perf_counter() - started

    def parse_to_data(chunk: list[bytes]) -> float:
        started = time.perf_counter()
        for body in chunk:
            parse_message(body)
        return time.perf_counter() - started

    ratios = []
    for start in range(100, count + 100, 100):
        chunk = messages[start:start + 100]
        floor_chunk = batching.submit(floor, chunk).result()
        floor_seconds += floor_chunk
        parse_seconds += batching.submit(parse_to_data, chunk).result()
        in_flight: deque = deque()
        started = time.perf_counter()
        for body in chunk:
            if len(in_flight) >= concurrency:
                answered(in_flight.popleft())
            in_flight.append(batching.submit(service.receive_xml, party, body))
        while in_flight:
            answered(in_flight.popleft())
        full_chunk = time.perf_counter() - started
        full_seconds += full_chunk
        ratios.append(full_chunk / floor_chunk)
    assert outcomes == {"CC029C": count}, outcomes  # every declaration released
    return {"floor_per_s": round(count / floor_seconds, 1), "parse_to_data_per_s": round(count / parse_seconds, 1),
            "conversion_us": round((parse_seconds - floor_seconds) / count * 1e6, 1),
            "in_process_per_s": round(count / full_seconds, 1),
            "full_path_vs_floor": round(statistics.median(ratios), 2),
            "chunk_ratios_min_max": [round(min(ratios), 2), round(max(ratios), 2)]}


def quiet_disk() -> None:
    """Write back what the previous run left dirty, so that its flushing does not slow the next run's commits."""
    os.sync()
    time.sleep(1)


def postgres_schema_url(base: str, schema: str) -> str:
    from sqlalchemy import text

    from toldsystem import db

    admin = db.make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{schema}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10, help="how long wrk posts (when wrk is installed)")
    parser.add_argument("--postgres", default=os.environ.get("TOLD_BENCH_POSTGRES_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    global WORKERS
    WORKERS = args.workers
    work = Path(tempfile.mkdtemp(prefix="told-bench-transit-"))
    os.environ.setdefault("TOLD_SECRET_KEY", "bench-secret")
    os.environ["TOLD_VAR_DIR"] = str(work)

    results: dict = {}
    for store in ("sqlite", "postgres"):
        tag = "S" if store == "sqlite" else "P"
        url = (f"sqlite:///{work / 'http.db'}" if store == "sqlite"
               else postgres_schema_url(args.postgres, "told_bench_transit_http"))
        quiet_disk()
        results[store] = over_http(url, args.count, args.concurrency, tag + "H", args.seconds, work)
        url = (f"sqlite:///{work / 'inproc.db'}" if store == "sqlite"
               else postgres_schema_url(args.postgres, "told_bench_transit_inproc"))
        quiet_disk()
        results[store].update(in_process(url, args.count, tag + "I", args.concurrency))
        print(f"{store}: {results[store]}", flush=True)
    results["concurrency"] = args.concurrency
    results["goods_items"] = 5
    print(json.dumps(results))


if __name__ == "__main__":
    main()
