"""Crash safety with a real server and real clients (issue 11): `told serve` is killed with SIGKILL in the middle
of a batch of SFTP uploads, then started again; every file whose upload was acknowledged is processed exactly once
— one movement and one CC928C per declaration, each file once in archive/ — and nothing else is lost."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncssh
from sqlalchemy import create_engine, text

from tests.api.conftest import TOLD, _die_with_parent, _free_port
from tests.conftest import TEST_SECRET

ROOT = Path(__file__).resolve().parents[2]
FILES = 60

PREPARE = """
import json, sys
from pathlib import Path
from toldsystem import demo
from toldsystem.transit.messages import render
from tests.gateway.conftest import company_user
user = company_user("DK13585628")
out = Path(sys.argv[1])
for n in range(int(sys.argv[2])):
    (out / f"declaration-{n:03d}.xml").write_bytes(render("CC015C", demo.declaration()))
print(json.dumps([user.username, user.password]))
"""


def _serve(env: dict, var: Path, log_name: str) -> subprocess.Popen:
    log = (var / log_name).open("wb")
    return subprocess.Popen([*TOLD, "serve", "--host", "127.0.0.1", "--port", str(_free_port())], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)


def _listening(port: int, server: subprocess.Popen, var: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        assert server.poll() is None, (var / "first.log").read_text()[-2000:]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the SFTP gateway did not start within 90 s"
            time.sleep(0.2)


async def _upload_until_killed(port: int, user: list[str], files: list[Path], server: subprocess.Popen) -> list[str]:
    """Four clients upload the batch; after a third of it is acknowledged the server is killed. The names whose
    upload (its close) was acknowledged."""
    acknowledged: list[str] = []
    queue = list(files)

    async def client() -> None:
        try:
            async with asyncssh.connect("127.0.0.1", port, username=user[0], password=user[1], known_hosts=None,
                                        client_keys=None, agent_path=None) as conn:
                async with conn.start_sftp_client() as sftp:
                    while queue:
                        path = queue.pop(0)
                        async with sftp.open(f"inbox/{path.name}", "wb") as remote:
                            await remote.write(path.read_bytes())
                        acknowledged.append(path.name)  # the close came back: the server holds the file
                        if len(acknowledged) == FILES // 3:
                            os.kill(server.pid, signal.SIGKILL)
        except (OSError, asyncssh.Error):
            pass  # the server went away mid-batch: what was not acknowledged was not promised

    await asyncio.gather(*(client() for _ in range(4)))
    return acknowledged


def test_every_acknowledged_file_is_processed_exactly_once_after_kill_9(tmp_path):
    var, batch = tmp_path / "var", tmp_path / "batch"
    var.mkdir(), batch.mkdir()
    sftp_port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOLD_")}
    env |= {"TOLD_VAR_DIR": str(var), "TOLD_SECRET_KEY": TEST_SECRET, "TOLD_SFTP_PORT": str(sftp_port),
            "TOLD_FTPS_PORT": "off", "PYTHONPATH": str(ROOT)}
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run([*TOLD, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    prepared = subprocess.run([sys.executable, "-c", PREPARE, str(batch), str(FILES)], env=env, cwd=ROOT, check=True,
                              capture_output=True, text=True)
    user = json.loads(prepared.stdout.strip().splitlines()[-1])

    first = _serve(env, var, "first.log")
    _listening(sftp_port, first, var)
    acknowledged = asyncio.run(_upload_until_killed(sftp_port, user, sorted(batch.iterdir()), first))
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert FILES // 3 <= len(acknowledged) < FILES  # killed mid-batch

    second = _serve(env, var, "second.log")
    try:
        _listening(sftp_port, second, var)
        store = create_engine(f"sqlite:///{var / 'told.db'}")
        deadline = time.monotonic() + 120
        while True:
            with store.connect() as conn:
                waiting = conn.execute(text("SELECT count(*) FROM gateway_files WHERE state = 'pending'")).scalar()
            if waiting == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        with store.connect() as conn:
            files = conn.execute(text("SELECT name, state, count(*) FROM gateway_files GROUP BY name, state")).all()
            acks = conn.execute(text("SELECT correlation_identifier, count(*) FROM transit_messages WHERE "
                                     "message_type = 'CC928C' GROUP BY correlation_identifier")).all()
            movements = conn.execute(text("SELECT count(*) FROM transit_movements")).scalar()
            held = conn.execute(text("SELECT state, count(*) FROM intake_held GROUP BY state")).all()
        store.dispose()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)

    kept = {name: (state, count) for name, state, count in files}
    assert all(kept.get(name) == ("processed", 1) for name in acknowledged), kept  # every acknowledged file, once
    assert all(count == 1 for _name, _state, count in files)  # and no file (acknowledged or not) twice
    assert all(state == "processed" for _name, state, _count in files)
    assert all(count == 1 for _identification, count in acks) and len(acks) == len(files) == movements
    assert dict(held) == {"processed": len(files)}
