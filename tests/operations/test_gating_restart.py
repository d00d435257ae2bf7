"""A queued window's messages survive the server's death (SPEC O, issue 10 part 3: "nothing queued is lost or
processed twice across a restart or a kill -9"), against a real `told serve` on SQLite: messages sent during the
window are answered 202; the server is killed (SIGKILL) mid-window and started again; the officer ends the window
from the terminal (another process: the server sees it within the board's refresh); the intake worker processes
every held message once, in arrival order — and again when the server is killed while it is processing them."""

from __future__ import annotations

import copy
import ctypes
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET
from toldsystem.transit.messages import render

ROOT = Path(__file__).resolve().parents[2]
TOLD = [sys.executable, "-c", "from toldsystem.cli import main; main()"]
FORWARDER = {"Authorization": "Bearer told_demo_forwarder"}
OFFICER = {"Authorization": "Bearer told_demo_officer"}


def _die_with_parent() -> None:
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """`told serve` on a port chosen now, started and killed at will on one database."""

    def __init__(self, env: dict, var: Path) -> None:
        self.env, self.var, self.process = env, var, None
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.url = f"http://127.0.0.1:{s.getsockname()[1]}"

    def start(self) -> None:
        log = (self.var / "server.log").open("ab")
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen([*TOLD, "serve", "--host", "127.0.0.1", "--port", port], env=self.env,
                                        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        log.close()
        deadline = time.monotonic() + 120  # a loaded shared machine has taken 36 s
        while True:
            assert self.process.poll() is None, (self.var / "server.log").read_text()[-2000:]
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start within 120 s"
            time.sleep(0.1)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOLD_")}
    env |= {"TOLD_VAR_DIR": str(tmp_path), "TOLD_SECRET_KEY": TEST_SECRET,
            "TOLD_SFTP_PORT": "off", "TOLD_FTPS_PORT": "off"}  # the file gateway's fixed ports would clash
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*TOLD, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    found = Server(env, tmp_path)
    yield found
    found.stop()


def numbered(template: dict, count: int) -> list[dict]:
    """`count` copies of the declaration, each with its own LRN and message identification."""
    run = uuid.uuid4().hex[:6].upper()
    out = []
    for n in range(count):
        data = copy.deepcopy(template)
        data["messageIdentification"] = f"{run}{n:06d}"
        data["TransitOperation"]["LRN"] = f"GATING{run}{n:06d}"
        out.append(data)
    return out


def told(server: Server, *args: str) -> str:
    return subprocess.run([*TOLD, *args], env=server.env, cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout


def queued_window(server: Server) -> int:
    """A queued window on DMS Forsendelse (NCTS) file access, from five minutes ago for two hours (the officer's
    API)."""
    now = datetime.now(timezone.utc)
    made = httpx.post(f"{server.url}/api/v1/operations/messages", headers=OFFICER, timeout=30, json={
        "systems": ["dms_transit"], "kind": "service_window", "title": "PRD-servicewindow DMS Forsendelse (NCTS)",
        "work_order": "WO0000001650003", "window_start": (now - timedelta(minutes=5)).isoformat(),
        "window_end": (now + timedelta(hours=2)).isoformat(), "effects": [{"channel": "file", "state": "queued"}]})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def send_all(server: Server, declarations: list[dict]) -> list[str]:
    locations = []
    for declaration in declarations:
        answered = httpx.post(f"{server.url}/api/v1/transit/messages", content=render("CC015C", declaration),
                              headers=FORWARDER | {"Content-Type": "application/xml"}, timeout=30)
        assert answered.status_code == 202, answered.text
        locations.append(answered.headers["Location"])
    return locations


def states(server: Server, locations: list[str]) -> list[str]:
    return [outcome["state"] for outcome in outcomes(server, locations)]


def outcomes(server: Server, locations: list[str]) -> list[dict]:
    return [httpx.get(server.url + location, headers=FORWARDER, timeout=30).json() for location in locations]


def wait_until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.01)


def test_held_messages_survive_kills_mid_window_and_mid_processing_each_processed_once_in_order(server):
    template = json.loads(told(server, "demo", "declaration", "--json"))
    server.start()
    window = queued_window(server)
    declarations = numbered(template, 206)  # enough that the processing lasts well beyond the kill's latency
    locations = send_all(server, declarations[:6])
    server.kill()  # mid-window: only the acknowledged rows survive
    server.start()
    assert states(server, locations) == ["held"] * 6
    locations += send_all(server, declarations[6:])  # still the window: held behind the first six
    ended = httpx.post(f"{server.url}/api/v1/operations/messages/{window}/end", headers=OFFICER, json={}, timeout=30)
    assert ended.status_code == 200, ended.text
    wait_until(lambda: "processed" in kept_states(server), 30)  # the database itself, not a slower HTTP look
    server.kill()  # while the worker is processing the rest
    assert "held" in states_after_restart(server, locations), "the kill came too late to interrupt the processing"
    wait_until(lambda: states(server, locations[-1:]) != ["held"])
    found = outcomes(server, locations)
    assert [o["state"] for o in found] == ["processed"] * len(found)
    assert not any(o["repeated"] for o in found)  # a second run of one would have been a replay
    assert [o["LRN"] for o in found] == [d["TransitOperation"]["LRN"] for d in declarations]
    first_answers = [o["answers"][0]["id"] for o in found]
    assert first_answers == sorted(first_answers)  # processed in arrival order
    lrns = sorted(d["TransitOperation"]["LRN"] for d in declarations)
    movements = httpx.get(f"{server.url}/api/v1/transit/movements?holder=DK13585628&page_size=500",
                          headers=OFFICER, timeout=30).json()["movements"]
    assert sorted(m["lrn"] for m in movements if m["lrn"].startswith("GATING")) == lrns  # one movement each
    logged = httpx.get(f"{server.url}/api/v1/transit/messages?messageType=CC015C&page_size=500", headers=OFFICER,
                       timeout=30).json()["messages"]
    assert sorted(m["data"]["TransitOperation"]["LRN"] for m in logged) == lrns  # each CC015C logged once


def kept_states(server: Server) -> list[str]:
    """The held submissions' states as the database holds them now, in arrival order."""
    with closing(sqlite3.connect(f"file:{server.var / 'told.db'}?mode=ro", uri=True, timeout=30)) as conn:
        return [row[0] for row in conn.execute("SELECT state FROM intake_held ORDER BY id")]


def states_after_restart(server: Server, locations: list[str]) -> list[str]:
    """The states as the database kept them at the kill (read before the new server's worker goes on)."""
    kept = kept_states(server)
    assert len(kept) == len(locations)
    server.start()
    return kept
