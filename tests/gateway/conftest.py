"""The file gateway running in the test process on free loopback ports, and real clients for it:
asyncssh's SFTP client and the standard library's ftplib.FTP_TLS (explicit FTPS, the certificate checked)."""

from __future__ import annotations

import asyncio
import dataclasses
import ftplib
import io
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import asyncssh
import pytest

from toldsystem import config, demo
from toldsystem.access import service as access
from toldsystem.gateway import keys, serving

FORWARDER, IMPORTER = "DK13585628", "DK12345674"  # demo companies
PASSWORD = "Told2024"  # seed 000: 6-8 characters, at least 4 letters and 2 digits, none special


@dataclass(frozen=True)
class User:
    username: str
    password: str


def company_user(eori: str, roles: tuple[str, ...] = ("transit",), password: str = PASSWORD) -> User:
    """A user of the company with these roles, its temporary password changed (seed 000's forced change)."""
    created, temporary = access.users.create("Gateway Tester", list(roles), eori=eori)
    access.change_password(created.username, temporary, password, channel="api")
    return User(created.username, password)


@dataclass
class Running:
    sftp_port: int
    ftps_port: int
    forwarder: User
    importer: User


@pytest.fixture
def gateway(store) -> Iterator[Running]:
    """The demo world with a gateway user for two companies, and the gateway (SFTP and FTPS on any free ports,
    its nudge) until the test ends; on SQLite and on PostgreSQL."""
    yield from _running()


@pytest.fixture
def sqlite_gateway(sqlite_store) -> Iterator[Running]:
    """The same on SQLite only, for what the protocol front ends decide alone (paths, TLS, names)."""
    yield from _running()


def _running() -> Iterator[Running]:
    demo.load()
    forwarder, importer = company_user(FORWARDER), company_user(IMPORTER)
    previous = config.settings()
    config.override(dataclasses.replace(previous, sftp_port=0, ftps_port=0, ftps_passive_ports=range(0)))
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    running = asyncio.run_coroutine_threadsafe(serving.start("127.0.0.1"), loop).result(30)
    try:
        yield Running(running.sftp_port, running.ftps_port, forwarder, importer)
    finally:
        asyncio.run_coroutine_threadsafe(running.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        config.override(previous)


# --- SFTP ----------------------------------------------------------------------------------------

def sftp(port: int, user: User, **options):
    """An SFTP session as a context manager: `async with sftp(...) as client:`."""
    return _Sftp(port, user, options)


class _Sftp:
    def __init__(self, port: int, user: User, options: dict) -> None:
        self.args = dict(host="127.0.0.1", port=port, username=user.username, password=user.password,
                         known_hosts=None, client_keys=None, agent_path=None) | options

    async def __aenter__(self) -> asyncssh.SFTPClient:
        self.conn = await asyncssh.connect(**self.args)
        self.client = await self.conn.start_sftp_client()
        return self.client

    async def __aexit__(self, *exc) -> None:
        self.client.exit()
        self.conn.close()
        await self.conn.wait_closed()


async def sftp_put(client: asyncssh.SFTPClient, path: str, content: bytes) -> None:
    async with client.open(path, "wb") as remote:
        await remote.write(content)


async def sftp_get(client: asyncssh.SFTPClient, path: str) -> bytes:
    async with client.open(path, "rb") as remote:
        return await remote.read()


def run(coroutine):
    return asyncio.run(coroutine)


# --- FTPS ----------------------------------------------------------------------------------------

def ftps(port: int, user: User) -> ftplib.FTP_TLS:
    """A signed-in FTPS session (AUTH TLS, then PROT P), the server's certificate checked against its own."""
    context = ssl.create_default_context(cafile=str(keys.tls_certificate()))
    client = ftplib.FTP_TLS(context=context, timeout=30)
    client.connect("127.0.0.1", port)
    client.login(user.username, user.password)
    client.prot_p()
    return client


def ftps_put(client: ftplib.FTP_TLS, path: str, content: bytes) -> str:
    return client.storbinary(f"STOR {path}", io.BytesIO(content))


def ftps_get(client: ftplib.FTP_TLS, path: str) -> bytes:
    out = io.BytesIO()
    client.retrbinary(f"RETR {path}", out.write)
    return out.getvalue()


def wait_for(check, seconds: float = 30.0):
    """Poll `check()` until it returns something true (the worker processes in the background)."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)
