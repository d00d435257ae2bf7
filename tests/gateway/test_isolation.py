"""Isolation of the file gateway (issue 11 part 7): every folder — inbox/ (a refused file and its explanation),
outbox/ (the answers), archive/ (a processed file) — and every operation — list, read, stat, write, rename,
delete — through SFTP and through FTPS: company B sees none of company A's names, reads none of them, and changes
nothing of A's (an upload of B's under one of A's names is B's own file); A's view is the same afterwards."""

from __future__ import annotations

import ftplib

import asyncssh
import pytest

from tests.gateway.conftest import ftps, ftps_get, ftps_put, run, sftp, sftp_get, sftp_put
from tests.gateway.test_sftp import answers, declaration, listed, settled

BROKEN = b"<ncts:CC015C xmlns:ncts='x'><oops></ncts:CC015C>"
FOLDERS = ("inbox", "outbox", "archive")


def view(port: int, user) -> dict[str, bytes]:
    """Every file of the user's view, by path, with its content."""
    async def read() -> dict[str, bytes]:
        async with sftp(port, user) as client:
            return {f"{folder}/{name}": await sftp_get(client, f"{folder}/{name}")
                    for folder in FOLDERS for name in sorted(await client.listdir(folder)) if name not in (".", "..")}
    return run(read())


def test_company_b_can_neither_read_nor_change_anything_of_company_as_over_sftp_and_ftps(gateway):
    a, b = gateway.forwarder, gateway.importer
    run(_put(gateway.sftp_port, a, "inbox/mine.xml", declaration()))
    run(_put(gateway.sftp_port, a, "inbox/broken.xml", BROKEN))
    assert settled(gateway.sftp_port, a, "mine.xml") == "archive"
    assert settled(gateway.sftp_port, a, "broken.xml") == "refused"
    answers(gateway.sftp_port, a, 4)  # CC928C, CC028C, CC029C and the CC917C
    before = view(gateway.sftp_port, a)
    paths = sorted(before)
    assert {p.split("/")[0] for p in paths} == set(FOLDERS)  # something of A's in every folder
    assert "inbox/broken.xml.error.txt" in paths

    async def over_sftp() -> None:
        async with sftp(gateway.sftp_port, b) as client:
            for folder in FOLDERS:
                assert sorted(await client.listdir(folder)) == [".", ".."]
            for path in paths:
                for attempt in (sftp_get(client, path), client.stat(path), client.remove(path)):
                    with pytest.raises(asyncssh.SFTPNoSuchFile):
                        await attempt
                with pytest.raises((asyncssh.SFTPNoSuchFile, asyncssh.SFTPPermissionDenied)):
                    await client.rename(path, "inbox/taken.xml")
                if not path.startswith("inbox/"):
                    with pytest.raises(asyncssh.SFTPPermissionDenied):
                        await sftp_put(client, path, b"<x/>")

    run(over_sftp())
    client = ftps(gateway.ftps_port, b)
    try:
        for folder in FOLDERS:
            assert client.nlst(folder) == []
        for path in paths:
            for attempt in (lambda: ftps_get(client, path), lambda: client.size(path),
                            lambda: client.sendcmd(f"MDTM {path}"), lambda: client.delete(path),
                            lambda: client.rename(path, "inbox/taken.xml")):
                with pytest.raises(ftplib.error_perm, match="^550"):
                    attempt()
            if not path.startswith("inbox/"):
                with pytest.raises(ftplib.error_perm, match="^550"):
                    ftps_put(client, path, b"<x/>")
        assert ftps_put(client, "inbox/mine.xml", BROKEN).startswith("226")  # B's own, under A's archived name
    finally:
        client.quit()
    run(_put(gateway.sftp_port, b, "inbox/broken.xml", BROKEN))  # B's own file, under A's refused one's name
    assert settled(gateway.sftp_port, b, "mine.xml") == "refused"
    assert view(gateway.sftp_port, a) == before  # nothing of A's changed, nothing of B's appeared
    assert "broken.xml" in listed(gateway.sftp_port, b, "inbox")  # B's own upload, in B's own inbox


async def _put(port: int, user, path: str, content: bytes) -> None:
    async with sftp(port, user) as client:
        await sftp_put(client, path, content)
