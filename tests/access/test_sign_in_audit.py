"""Every refused sign-in is audited (issue 11 part 6): who tried, through which channel, from where and why —
wrong password, unknown user, waiting after too many wrong, expired or reset — and never the password. The file
gateway's channels are tested with real clients in tests/gateway."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.access.world import bearer
from toldsystem import db, demo
from toldsystem.access import service, store
from toldsystem.access.rules import OPERATOR
from toldsystem.app import create_app

HOLDER = "DK13585628"
GOOD, WRONG = "Nyt42ode", "Gaet1234"


def refusals() -> list[tuple]:
    return [(e.actor, e.actor_eori, e.channel, e.client, e.target, e.subject_eori, e.detail["reason"])
            for e in reversed(service.audit.read(OPERATOR, action="user.sign_in_refused", page_size=100).entries)]


def everything_stored() -> str:
    with db.reading() as conn:
        return "\n".join(" | ".join(map(str, row)) for row in conn.execute(select(store.audit_log)))


def test_refused_sign_ins_through_the_api_session_say_who_where_and_why_never_the_password(store, fixed_clock):
    demo.load()
    client = TestClient(create_app(), base_url="https://testserver")
    user, temporary = service.users.create("Mette Hansen", ["transit"], eori=HOLDER)
    name = user.username

    def attempt(password: str, username: str = name) -> int:
        return client.post("/api/v1/access/session", json={"username": username, "password": password}).status_code

    assert attempt(temporary) == 403  # the temporary password must be changed first
    service.change_password(name, temporary, GOOD, channel="api")
    assert [attempt(WRONG) for _ in range(4)] == [401, 401, 401, 429]
    assert attempt(GOOD, username="13585628-999") == 401
    found = refusals()
    assert found[0] == (name, HOLDER, "api", "testclient", name, HOLDER, "password_reset")
    assert [f[-1] for f in found[1:5]] == ["wrong_password"] * 3 + ["waiting"]
    assert found[5] == ("13585628-999", None, "api", "testclient", "13585628-999", None, "unknown_user")
    assert temporary not in everything_stored() and WRONG not in everything_stored()
    assert GOOD not in everything_stored()


def test_an_expired_password_is_refused_and_audited_as_expired(store, fixed_clock):
    demo.load()
    user, temporary = service.users.create("Mette Hansen", ["transit"], eori=HOLDER)
    service.change_password(user.username, temporary, GOOD, channel="api")
    fixed_clock.advance(days=93)
    try:
        service.sign_in(user.username, GOOD, channel="sftp", client="192.0.2.9")
    except service.PasswordExpired as expired:
        assert not expired.reset
    else:
        raise AssertionError("an expired password signed in")
    assert refusals()[-1] == (user.username, HOLDER, "sftp", "192.0.2.9", user.username, HOLDER, "password_expired")


def test_a_company_reads_the_refusals_of_its_own_users_only(store):
    demo.load()
    client = TestClient(create_app(), base_url="https://testserver")
    client.post("/api/v1/access/session", json={"username": "13585628-001", "password": WRONG})
    client.post("/api/v1/access/session", json={"username": "12345674-001", "password": WRONG})
    mine = client.get("/api/v1/access/audit", params={"action": "user.sign_in_refused"},
                      headers=bearer("told_demo_forwarder")).json()["entries"]
    assert [e["target"] for e in mine] == ["13585628-001"]
