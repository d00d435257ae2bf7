"""SFTP with a real client (asyncssh): a CC015C put into inbox/ comes back as CC928C, CC028C and CC029C in outbox/."""

from __future__ import annotations

import asyncssh
import pytest

from tests.gateway.conftest import FORWARDER, IMPORTER, IMPORTER_TOKEN, run, sftp, sftp_get, sftp_put, wait_for
from toldsystem import demo
from toldsystem.gateway import credentials
from toldsystem.transit.messages import render


def declaration() -> bytes:
    return render("CC015C", demo.declaration())


async def _outbox(port: int, user: str = FORWARDER, password: str = "told_demo_forwarder") -> list[str]:
    async with sftp(port, user, password) as client:
        return sorted(await client.listdir("outbox"))


def answers(port: int, count: int, **who) -> list[str]:
    return wait_for(lambda: [n for n in run(_outbox(port, **who)) if n.endswith(".xml")][:count]
                    if len([n for n in run(_outbox(port, **who)) if n.endswith(".xml")]) >= count else None) or []


def test_a_declaration_put_into_inbox_is_answered_in_outbox_and_archived(gateway):
    body = declaration()

    async def upload() -> list[str]:
        async with sftp(gateway.sftp_port) as client:
            assert sorted(await client.listdir("/")) == [".", "..", "archive", "inbox", "outbox"]
            await sftp_put(client, "inbox/declaration-1.xml", body)
            return await client.listdir("inbox")

    assert "declaration-1.xml" in run(upload())
    names = answers(gateway.sftp_port, 3)
    assert [n.split("_")[1] for n in names] == ["CC928C.xml", "CC028C.xml", "CC029C.xml"]

    async def fetch() -> tuple[bytes, list[str], bytes, list[str]]:
        async with sftp(gateway.sftp_port) as client:
            release = await sftp_get(client, f"outbox/{names[2]}")
            archived = await sftp_get(client, "archive/declaration-1.xml")
            await client.remove(f"outbox/{names[2]}")
            return release, await client.listdir("outbox"), archived, await client.listdir("inbox")

    release, left, archived, inbox = run(fetch())
    assert b"<ncts:CC029C" in release or b"CC029C" in release[:200]
    assert names[2] not in left and names[0] in left
    assert archived == body
    assert inbox == [".", ".."]
