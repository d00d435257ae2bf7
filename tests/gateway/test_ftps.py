"""FTPS with a real client (ftplib.FTP_TLS, explicit TLS, the certificate checked): the same folders, the same
processing as SFTP; TLS is required before the password; a company sees only its own files."""

from __future__ import annotations

import dataclasses
import ftplib

import pytest

from tests.gateway.conftest import ftps, ftps_get, ftps_put, wait_for
from toldsystem import config, demo
from toldsystem.transit.messages import render


def names(client: ftplib.FTP_TLS, folder: str) -> list[str]:
    return sorted(n.rsplit("/", 1)[-1] for n in client.nlst(folder))


def test_a_declaration_stored_over_ftps_is_answered_in_outbox_and_archived(gateway):
    body = render("CC015C", demo.declaration())
    client = ftps(gateway.ftps_port, gateway.forwarder)
    try:
        assert names(client, "/") == ["archive", "inbox", "outbox"]
        assert ftps_put(client, "inbox/declaration.xml", body).startswith("226")
        answers = wait_for(lambda: (lambda found: found if len(found) >= 3 else None)(names(client, "outbox")))
        assert [n.split("_", 1)[1] for n in answers] == ["CC928C.xml", "CC028C.xml", "CC029C.xml"]
        assert wait_for(lambda: names(client, "archive") == ["declaration.xml"])
        assert ftps_get(client, "archive/declaration.xml") == body
        client.cwd("outbox")
        assert b"CC028C" in ftps_get(client, answers[1])
        client.delete(answers[1])
        assert names(client, ".") == [answers[0], answers[2]]
        listing: list[str] = []
        client.retrlines("LIST", listing.append)
        assert len(listing) == 2 and all(line.startswith("-r--r--r--") for line in listing)
    finally:
        client.quit()


def test_another_company_cannot_list_or_fetch_the_files(gateway):
    mine = ftps(gateway.ftps_port, gateway.forwarder)
    ftps_put(mine, "inbox/mine.xml", render("CC015C", demo.declaration()))
    answers = wait_for(lambda: (lambda found: found if len(found) >= 3 else None)(names(mine, "outbox")))
    mine.quit()
    other = ftps(gateway.ftps_port, gateway.importer)
    try:
        assert names(other, "outbox") == [] and names(other, "archive") == [] and names(other, "inbox") == []
        for path in (f"outbox/{answers[0]}", "archive/mine.xml"):
            with pytest.raises(ftplib.error_perm, match="^550"):
                ftps_get(other, path)
            with pytest.raises(ftplib.error_perm, match="^550"):
                other.delete(path)
    finally:
        other.quit()


def test_the_view_has_no_way_out_and_takes_files_into_inbox_only(sqlite_gateway):
    client = ftps(sqlite_gateway.ftps_port, sqlite_gateway.forwarder)
    try:
        client.cwd("inbox")
        client.cwd("../../..")
        assert client.pwd() == "/"
        for path in ("/etc/passwd", "../etc/passwd", "inbox/../../etc/hostname"):
            with pytest.raises(ftplib.error_perm, match="^550"):
                ftps_get(client, path)
        with pytest.raises(ftplib.error_perm, match="^550"):
            client.cwd("/etc")
        for path in ("outbox/x.xml", "archive/x.xml", "x.xml", "/tmp/x.xml"):
            with pytest.raises(ftplib.error_perm, match="^550.*inbox/"):
                ftps_put(client, path, b"<x/>")
        for refused in (lambda: client.mkd("inbox/sub"), lambda: client.rename("inbox", "x"),
                        lambda: client.rmd("inbox")):
            with pytest.raises(ftplib.error_perm, match="^550"):
                refused()
        assert names(client, "inbox") == []
    finally:
        client.quit()


def test_the_password_never_crosses_in_the_clear_and_a_wrong_one_is_refused(sqlite_gateway):
    plain = ftplib.FTP(timeout=30)
    plain.connect("127.0.0.1", sqlite_gateway.ftps_port)
    with pytest.raises(ftplib.error_perm, match="^550 SSL/TLS required"):
        plain.login(sqlite_gateway.forwarder.username, sqlite_gateway.forwarder.password)
    plain.close()
    with pytest.raises(ftplib.error_perm, match="^530"):
        ftps(sqlite_gateway.ftps_port, dataclasses.replace(sqlite_gateway.forwarder, password="Wrong123"))


def test_a_file_larger_than_the_limit_is_refused_and_nothing_is_kept(sqlite_gateway):
    limits = dataclasses.replace(config.settings().limits, max_body_bytes=64 * 1024)
    config.override(dataclasses.replace(config.settings(), limits=limits))
    client = ftps(sqlite_gateway.ftps_port, sqlite_gateway.forwarder)
    try:
        with pytest.raises(OSError):  # the server ends the data connection mid-file
            ftps_put(client, "inbox/huge.xml", b"<a>" + b"x" * (2 * 1024 * 1024) + b"</a>")
        with pytest.raises(ftplib.error_perm, match="^552 .*larger than 65536 bytes"):  # and says why
            client.getresp()
    finally:
        client.close()
    again = ftps(sqlite_gateway.ftps_port, sqlite_gateway.forwarder)
    try:
        assert names(again, "inbox") == []
    finally:
        again.quit()
