"""Benchmark: CC015C declarations (5 goods items) through the file gateway, end to end, beside the API in the same run.

Run: .venv/bin/python bench/gateway.py [--count 300] [--concurrency 8]

It prepares a fresh SQLite store as bench/transit.py does (its `prepare` and `bodies`: a holder, its token, a large
comprehensive guarantee, pre-built declarations each with its own LRN), adds a gateway user with the transit role,
and starts `told serve` (uvicorn, one process, SFTP and FTPS on free loopback ports). Then, one after the other:
- `api_per_s`: declarations posted over HTTP by `concurrency` clients (bench/transit.py's httpx client), each
  answered inline — every answer is committed when the response comes;
- `sftp_files_per_s` / `ftps_files_per_s`: the same number of declarations put into inbox/ by `concurrency`
  clients (asyncssh's SFTP client; ftplib's FTP_TLS, one thread each; signed in before the clock starts, as the
  API's connections are open), timed from the first upload until the last file is processed — its answers (CC928C, CC028C, CC029C) committed to the outbox it lists — read from the store;
  `*_upload_per_s` is the uploads alone (each acknowledged once committed).
`*_vs_api` is the file channel's rate over the API's (the goal is at least 0.5). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import ftplib
import importlib.util
import io
import json
import os
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
_spec = importlib.util.spec_from_file_location("bench_transit", ROOT / "bench" / "transit.py")
transit_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(transit_bench)  # its preparation and HTTP client, not a copy of them

PASSWORD = "Bench123"


def gateway_user(holder: str) -> str:
    """A user of the holder with the transit role, its first password changed (seed 000)."""
    from toldsystem.access import service as access

    created, temporary = access.users.create("Bench Gateway", ["transit"], eori=holder)
    access.change_password(created.username, temporary, PASSWORD, channel="api")
    return created.username


def processed(url: str, channel: str) -> int:
    from sqlalchemy import func, select

    from toldsystem import db
    from toldsystem.gateway import store

    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(store.files).where(
                store.files.c.channel == channel, store.files.c.state != "pending")).scalar_one()
    finally:
        engine.dispose()


def until_processed(url: str, channel: str, count: int, started: float, seconds: float = 600) -> float:
    """Seconds from `started` until `count` files of the channel are processed."""
    while processed(url, channel) < count:
        if time.perf_counter() - started > seconds:
            raise SystemExit(f"{channel}: only {processed(url, channel)} of {count} files processed in {seconds} s")
        time.sleep(0.02)
    return time.perf_counter() - started


async def sftp_upload(port: int, username: str, files: list[bytes], concurrency: int, tag: str) -> float:
    """Sessions are opened first (signing in is not timed, as the API's connections are not); the time from the
    first upload."""
    import asyncssh

    queue = list(enumerate(files))
    sessions = []
    for _ in range(concurrency):
        conn = await asyncssh.connect("127.0.0.1", port, username=username, password=PASSWORD, known_hosts=None,
                                      client_keys=None, agent_path=None)
        sessions.append((conn, await conn.start_sftp_client()))

    async def client(sftp) -> None:
        while queue:
            n, body = queue.pop()
            async with sftp.open(f"inbox/{tag}{n:06d}.xml", "wb") as remote:
                await remote.write(body)

    started = time.perf_counter()
    await asyncio.gather(*(client(sftp) for _conn, sftp in sessions))
    for conn, sftp in sessions:
        sftp.exit()
        conn.close()
    return started


def ftps_upload(port: int, username: str, files: list[bytes], concurrency: int, tag: str, certificate: Path) -> float:
    """Sessions signed in first, as for SFTP; the time from the first upload."""
    queue = list(enumerate(files))
    lock = threading.Lock()
    failures: list[BaseException] = []
    sessions = []
    for _ in range(concurrency):
        session = ftplib.FTP_TLS(context=ssl.create_default_context(cafile=str(certificate)), timeout=60)
        session.connect("127.0.0.1", port)
        session.login(username, PASSWORD)
        session.prot_p()
        sessions.append(session)

    def client(session) -> None:
        try:
            while True:
                with lock:
                    if not queue:
                        break
                    n, body = queue.pop()
                session.storbinary(f"STOR inbox/{tag}{n:06d}.xml", io.BytesIO(body))
            session.quit()
        except BaseException as error:  # noqa: BLE001 — reported below
            failures.append(error)

    threads = [threading.Thread(target=client, args=(session,)) for session in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"FTPS upload failed: {failures[0]!r}")
    return started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="told-bench-gateway-"))
    os.environ.setdefault("TOLD_SECRET_KEY", "bench-secret")
    os.environ["TOLD_VAR_DIR"] = str(work)
    url = f"sqlite:///{work / 'gateway.db'}"
    grn, code = transit_bench.prepare(url)
    username = gateway_user(transit_bench.HOLDER)
    api, sftp, ftps = (transit_bench.bodies(grn, code, args.count + 20, tag) for tag in ("GA", "GS", "GF"))
    http_port, sftp_port, ftps_port = (transit_bench.free_port() for _ in range(3))
    env = dict(os.environ, TOLD_DATABASE_URL=url, TOLD_SFTP_PORT=str(sftp_port), TOLD_FTPS_PORT=str(ftps_port))
    server = subprocess.Popen([sys.executable, "-c", "from toldsystem.cli import main; main()", "serve",
                               "--host", "127.0.0.1", "--port", str(http_port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=(work / "server.log").open("wb"))
    results: dict = {"count": args.count, "concurrency": args.concurrency, "store": "sqlite", "goods_items": 5}
    try:
        transit_bench.wait_for(http_port, server, 120)
        asyncio.run(transit_bench.post_all(http_port, api[:20], args.concurrency))  # warm up each channel once
        asyncio.run(sftp_upload(sftp_port, username, sftp[:20], 4, "warm"))
        ftps_upload(ftps_port, username, ftps[:20], 4, "warm", work / "gateway" / "ftps.pem")
        until_processed(url, "ftps", 20, time.perf_counter())

        transit_bench.quiet_disk()
        elapsed, _latencies, outcomes = asyncio.run(transit_bench.post_all(http_port, api[20:], args.concurrency))
        results |= {"api_per_s": round(args.count / elapsed, 1), "api_outcomes": outcomes}

        transit_bench.quiet_disk()
        started = asyncio.run(sftp_upload(sftp_port, username, sftp[20:], args.concurrency, "bench"))
        uploaded = time.perf_counter() - started
        done = until_processed(url, "sftp", args.count + 20, started)
        results |= {"sftp_files_per_s": round(args.count / done, 1),
                    "sftp_upload_per_s": round(args.count / uploaded, 1)}

        transit_bench.quiet_disk()
        started = ftps_upload(ftps_port, username, ftps[20:], args.concurrency, "bench", work / "gateway" / "ftps.pem")
        uploaded = time.perf_counter() - started
        done = until_processed(url, "ftps", args.count + 20, started)
        results |= {"ftps_files_per_s": round(args.count / done, 1),
                    "ftps_upload_per_s": round(args.count / uploaded, 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)
    results["released"] = transit_bench.released_count(url)
    for channel in ("sftp", "ftps"):
        results[f"{channel}_vs_api"] = round(results[f"{channel}_files_per_s"] / results["api_per_s"], 2)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
