"""Signing in to the file gateway with real clients: every refusal is audited with the channel and the client's
address (never the password); a password that must be changed is refused over FTPS with a 530 that says, in
Danish and English, where to change it (FTP cannot), as SFTP asks for a new one."""

from __future__ import annotations

import dataclasses
import ftplib
from datetime import timedelta

import asyncssh
import pytest

from tests.gateway.conftest import ftps, run
from tests.gateway.test_sftp import _connect, _list
from toldsystem import demo
from toldsystem.access import service as access
from toldsystem.access.rules import OPERATOR
from toldsystem.core import clock


def refusals() -> list[tuple]:
    return [(e.actor, e.channel, e.client, e.subject_eori, e.detail["reason"])
            for e in reversed(access.audit.read(OPERATOR, action="user.sign_in_refused").entries)]


def test_refused_sign_ins_over_sftp_and_ftps_are_audited_with_channel_and_address(sqlite_gateway):
    user = sqlite_gateway.forwarder
    wrong = dataclasses.replace(user, password="Wrong123")
    with pytest.raises(asyncssh.PermissionDenied):
        run(_connect(sqlite_gateway.sftp_port, wrong))
    with pytest.raises(ftplib.error_perm, match="^530"):
        ftps(sqlite_gateway.ftps_port, wrong)
    with pytest.raises(ftplib.error_perm, match="^530"):
        ftps(sqlite_gateway.ftps_port, dataclasses.replace(wrong, username="13585628-999"))
    assert refusals() == [(user.username, "sftp", "127.0.0.1", "DK13585628", "wrong_password"),
                          (user.username, "ftps", "127.0.0.1", "DK13585628", "wrong_password"),
                          ("13585628-999", "ftps", "127.0.0.1", None, "unknown_user")]
    entries = access.audit.read(OPERATOR, action="user.sign_in_refused").entries
    assert not any("Wrong123" in str(e) for e in entries)


def test_over_ftps_a_reset_password_gets_a_530_saying_where_to_change_it(sqlite_gateway):
    user = sqlite_gateway.forwarder
    temporary = access.users.reset_password(user.username)
    with pytest.raises(ftplib.error_perm) as refused:
        ftps(sqlite_gateway.ftps_port, dataclasses.replace(user, password=temporary))
    said = str(refused.value)
    assert said.startswith("530 Din adgangskode er nulstillet: skift den")
    assert "Your password was reset: change it" in said
    assert "log ind med SFTP" in said and "sign in over SFTP" in said and "POST /api/v1/access/password" in said
    assert refusals()[-1][1:] == ("ftps", "127.0.0.1", "DK13585628", "password_reset")


def test_over_ftps_an_expired_password_gets_a_530_and_sftp_asks_for_a_new_one(sqlite_gateway):
    user = sqlite_gateway.forwarder
    later = clock.FixedClock(clock.now() + timedelta(days=93))  # seed 000: a password lasts 3 months
    previous = clock.install(later)
    try:
        with pytest.raises(ftplib.error_perm, match="^530 Din adgangskode er udløbet.*Your password has expired"):
            ftps(sqlite_gateway.ftps_port, user)
        changed = dataclasses.replace(user, password="Ny42kode")
        asked: list[str] = []

        class Changer(asyncssh.SSHClient):
            def password_change_requested(self, prompt: str, lang: str):
                asked.append(prompt)
                return user.password, changed.password

        assert "inbox" in run(_list(sqlite_gateway.sftp_port, user, client_factory=Changer,
                                    preferred_auth="password"))
        assert "expired" in asked[0] and "udløbet" in asked[0]
        assert ftps(sqlite_gateway.ftps_port, changed).quit().startswith("221")
    finally:
        clock.install(previous)
    assert [r[-1] for r in refusals()] == ["password_expired", "password_expired"]


def test_the_demo_clerk_signs_in_over_sftp_with_the_password_the_readme_gives(sqlite_gateway):
    demo.load_portal_users()
    demo.load_portal_users()  # loading again makes no second clerk
    clerk = demo.portal_users()[0]
    assert clerk["password"] == "Clerk123" and clerk["of"] == "DK13585628" and "transit" in clerk["roles"]
    user = dataclasses.replace(sqlite_gateway.forwarder, username=clerk["username"], password=clerk["password"])
    assert "outbox" in run(_list(sqlite_gateway.sftp_port, user))
