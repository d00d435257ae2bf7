"""SFTP with a real client (asyncssh's): a CC015C put into inbox/ is answered by CC928C, CC028C and CC029C in
outbox/ and moves to archive/; a company sees only its own folders, nothing outside them, and writes only into
inbox/; wrong passwords are refused and counted; a huge file is refused; a malformed or repeated file gets an
explanation beside it."""

from __future__ import annotations

import dataclasses

import asyncssh
import pytest

from tests.gateway.conftest import FORWARDER, company_user, run, sftp, sftp_get, sftp_put, wait_for
from toldsystem import config, demo
from toldsystem.access import service as access
from toldsystem.transit.messages import render


def declaration() -> bytes:
    return render("CC015C", demo.declaration())


def listed(port: int, user, folder: str) -> list[str]:
    async def names() -> list[str]:
        async with sftp(port, user) as client:
            return sorted(n for n in await client.listdir(folder) if n not in (".", ".."))
    return run(names())


def answers(port: int, user, count: int) -> list[str]:
    """The outbox once it holds `count` answers (the worker processes in the background)."""
    return wait_for(lambda: (lambda found: found if len(found) >= count else None)(listed(port, user, "outbox"))) or []


def settled(port: int, user, name: str) -> str:
    """Where `name` ends up: archive/ once processed, or inbox/ with its explanation once refused."""
    def where():
        if name in listed(port, user, "archive"):
            return "archive"
        if f"{name}.error.txt" in listed(port, user, "inbox"):
            return "refused"
        return None
    return wait_for(where) or "still waiting"


def test_a_declaration_put_into_inbox_is_answered_in_outbox_and_archived(gateway):
    body, user = declaration(), gateway.forwarder

    async def upload() -> list[str]:
        async with sftp(gateway.sftp_port, user) as client:
            assert sorted(await client.listdir("/")) == [".", "..", "archive", "inbox", "outbox"]
            await sftp_put(client, "inbox/declaration-1.xml", body)
            return await client.listdir("inbox")

    assert "declaration-1.xml" in run(upload()) or settled(gateway.sftp_port, user, "declaration-1.xml") == "archive"
    names = answers(gateway.sftp_port, user, 3)
    assert [n.split("_", 1)[1] for n in names] == ["CC928C.xml", "CC028C.xml", "CC029C.xml"]
    assert settled(gateway.sftp_port, user, "declaration-1.xml") == "archive"

    async def fetch():
        async with sftp(gateway.sftp_port, user) as client:
            release = await sftp_get(client, f"outbox/{names[2]}")
            archived = await sftp_get(client, "archive/declaration-1.xml")
            await client.remove(f"outbox/{names[2]}")
            return release, archived, await client.listdir("outbox"), await client.listdir("inbox")

    release, archived, left, inbox = run(fetch())
    assert b"CC029C" in release and demo.declaration()["HolderOfTheTransitProcedure"]["identificationNumber"].encode() \
        in release
    assert archived == body
    assert names[2] not in left and names[0] in left  # a fetched answer deleted is gone; the others stay
    assert sorted(inbox) == [".", ".."]


def test_another_company_sees_none_of_its_files_and_cannot_fetch_them_by_name(gateway):
    run(_put(gateway.sftp_port, gateway.forwarder, "inbox/mine.xml", declaration()))
    names = answers(gateway.sftp_port, gateway.forwarder, 3)
    settled(gateway.sftp_port, gateway.forwarder, "mine.xml")

    async def as_importer():
        async with sftp(gateway.sftp_port, gateway.importer) as client:
            seen = {folder: await client.listdir(folder) for folder in ("inbox", "outbox", "archive")}
            for path in (f"outbox/{names[0]}", "archive/mine.xml", "inbox/mine.xml"):
                with pytest.raises(asyncssh.SFTPNoSuchFile):
                    await sftp_get(client, path)
                with pytest.raises(asyncssh.SFTPNoSuchFile):
                    await client.remove(path)
            return seen

    seen = run(as_importer())
    assert all(sorted(names_) == [".", ".."] for names_ in seen.values()), seen
    assert len(listed(gateway.sftp_port, gateway.forwarder, "outbox")) == 3  # untouched by the other's attempts


def test_no_path_leads_outside_the_companys_view(sqlite_gateway):
    async def probe():
        async with sftp(sqlite_gateway.sftp_port, sqlite_gateway.forwarder) as client:
            assert await client.realpath("inbox/../../..") == "/"
            assert sorted(await client.listdir("../../")) == [".", "..", "archive", "inbox", "outbox"]
            for path in ("/etc/passwd", "../../etc/passwd", "inbox/../../etc/hostname", "/var", "inbox/a/b"):
                with pytest.raises(asyncssh.SFTPNoSuchFile):
                    await sftp_get(client, path)
            with pytest.raises(asyncssh.SFTPPermissionDenied):
                await client.symlink("/etc/passwd", "inbox/link")
            with pytest.raises(asyncssh.SFTPNoSuchFile):
                await client.readlink("inbox")
            for refused in (client.mkdir("inbox/sub"), client.rmdir("inbox"), client.rename("inbox", "x")):
                with pytest.raises(asyncssh.SFTPPermissionDenied):
                    await refused

    run(probe())


def test_files_are_written_into_inbox_only(sqlite_gateway):
    async def attempts():
        async with sftp(sqlite_gateway.sftp_port, sqlite_gateway.forwarder) as client:
            for path in ("outbox/x.xml", "archive/x.xml", "x.xml", "inbox/../x.xml", "inbox/.hidden",
                         "inbox/a b.xml", "inbox/x.xml.error.txt"):
                with pytest.raises(asyncssh.SFTPPermissionDenied):
                    await sftp_put(client, path, b"<x/>")

    run(attempts())
    assert listed(sqlite_gateway.sftp_port, sqlite_gateway.forwarder, "outbox") == []


def test_wrong_passwords_are_refused_and_counted(gateway):
    wrong = dataclasses.replace(gateway.forwarder, password="Wrong123")
    for _attempt in range(3):
        with pytest.raises(asyncssh.PermissionDenied):
            run(_connect(gateway.sftp_port, wrong))
    assert access.users.get(gateway.forwarder.username).waiting_until is not None  # counted: the user now waits
    with pytest.raises(asyncssh.PermissionDenied):  # even the right password, until the wait is over
        run(_connect(gateway.sftp_port, gateway.forwarder))
    with pytest.raises(asyncssh.PermissionDenied):  # an unknown user reads exactly the same
        run(_connect(gateway.sftp_port, dataclasses.replace(gateway.forwarder, username="DK999999990001")))


def test_a_user_signs_in_with_its_registered_ssh_key(sqlite_gateway):
    key = asyncssh.generate_private_key("ssh-ed25519")
    access.users.add_key(sqlite_gateway.forwarder.username, key.export_public_key().decode())
    keyless = dataclasses.replace(sqlite_gateway.forwarder, password="")
    assert "inbox" in run(_list(sqlite_gateway.sftp_port, keyless, client_keys=[key], preferred_auth="publickey"))
    other = asyncssh.generate_private_key("ssh-ed25519")
    with pytest.raises(asyncssh.PermissionDenied):
        run(_list(sqlite_gateway.sftp_port, keyless, client_keys=[other], preferred_auth="publickey"))


def test_a_user_without_the_transit_role_cannot_send_files_nor_see_the_answers(sqlite_gateway):
    run(_put(sqlite_gateway.sftp_port, sqlite_gateway.forwarder, "inbox/declaration.xml", declaration()))
    answered = answers(sqlite_gateway.sftp_port, sqlite_gateway.forwarder, 3)
    exporter = company_user(FORWARDER, roles=("export",))
    with pytest.raises(asyncssh.SFTPPermissionDenied, match="transit"):
        run(_put(sqlite_gateway.sftp_port, exporter, "inbox/declaration.xml", declaration()))
    assert listed(sqlite_gateway.sftp_port, exporter, "outbox") == []
    with pytest.raises(asyncssh.SFTPNoSuchFile):
        run(_get(sqlite_gateway.sftp_port, exporter, f"outbox/{answered[0]}"))


def test_a_file_larger_than_the_limit_is_refused_and_nothing_is_kept(sqlite_gateway):
    limits = dataclasses.replace(config.settings().limits, max_body_bytes=64 * 1024)
    config.override(dataclasses.replace(config.settings(), limits=limits))
    with pytest.raises(asyncssh.SFTPFailure, match="larger than 65536 bytes"):
        run(_put(sqlite_gateway.sftp_port, sqlite_gateway.forwarder, "inbox/huge.xml", b"<a>" + b"x" * (200 * 1024) + b"</a>"))
    assert listed(sqlite_gateway.sftp_port, sqlite_gateway.forwarder, "inbox") == []


def test_malformed_xml_gets_an_explanation_beside_it_and_a_cc917c(gateway):
    run(_put(gateway.sftp_port, gateway.forwarder, "inbox/broken.xml", b"<ncts:CC015C xmlns:ncts='x'><oops></ncts:CC015C>"))
    assert settled(gateway.sftp_port, gateway.forwarder, "broken.xml") == "refused"
    explanation = run(_get(gateway.sftp_port, gateway.forwarder, "inbox/broken.xml.error.txt")).decode()
    assert "Filen broken.xml" in explanation and "The file broken.xml" in explanation  # Danish, then English
    assert "line 1" in explanation  # where
    [answer] = listed(gateway.sftp_port, gateway.forwarder, "outbox")
    assert answer.endswith("_CC917C.xml") and answer in explanation

    async def clear():
        async with sftp(gateway.sftp_port, gateway.forwarder) as client:
            await client.remove("inbox/broken.xml")
            await client.remove("inbox/broken.xml.error.txt")
    run(clear())
    assert listed(gateway.sftp_port, gateway.forwarder, "inbox") == []


def test_the_same_file_twice_is_processed_once_and_the_copy_says_so(gateway):
    body = declaration()
    run(_put(gateway.sftp_port, gateway.forwarder, "inbox/first.xml", body))
    assert settled(gateway.sftp_port, gateway.forwarder, "first.xml") == "archive"
    run(_put(gateway.sftp_port, gateway.forwarder, "inbox/again.xml", body))
    assert settled(gateway.sftp_port, gateway.forwarder, "again.xml") == "refused"
    explanation = run(_get(gateway.sftp_port, gateway.forwarder, "inbox/again.xml.error.txt")).decode()
    assert "gateway.duplicate_file" in explanation and "first.xml" in explanation
    assert len(listed(gateway.sftp_port, gateway.forwarder, "outbox")) == 3  # no second set of answers


async def _put(port: int, user, path: str, content: bytes) -> None:
    async with sftp(port, user) as client:
        await sftp_put(client, path, content)


async def _get(port: int, user, path: str) -> bytes:
    async with sftp(port, user) as client:
        return await sftp_get(client, path)


async def _list(port: int, user, **options) -> list[str]:
    async with sftp(port, user, **options) as client:
        return await client.listdir("/")


async def _connect(port: int, user) -> None:
    async with sftp(port, user):
        pass
