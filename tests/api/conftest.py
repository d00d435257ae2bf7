"""A real server for the API tests that need one: `told serve` on 127.0.0.1 at a port chosen now, on a
fresh SQLite database with the demo data; stopped at the end of the module (and with the test process)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]
TOLD = [sys.executable, "-c", "from toldsystem.cli import main; main()"]


@dataclass
class LiveServer:
    url: str
    pid: int
    env: dict

    def peak_memory_mb(self) -> float:
        """The server process's peak resident memory so far (VmHWM)."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmHWM for the server process")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the server's process: end when the test process ends, however it ends."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    var = tmp_path_factory.mktemp("live")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOLD_")}
    # The file gateway stays closed: its fixed default ports would clash between test processes (tests/gateway
    # open it on free ports).
    env |= {"TOLD_VAR_DIR": str(var), "TOLD_SECRET_KEY": TEST_SECRET, "TOLD_SFTP_PORT": "off", "TOLD_FTPS_PORT": "off"}
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*TOLD, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    log = (var / "server.log").open("wb")  # a file, not a pipe: a full pipe would stall the server
    server = subprocess.Popen([*TOLD, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded shared machine has taken over 60 s
        while True:
            if server.poll() is not None:
                raise AssertionError(f"the server stopped: {(var / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the server did not start within 120 s")
            time.sleep(0.2)
        yield LiveServer(url, server.pid, env)
    finally:
        log.close()
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
