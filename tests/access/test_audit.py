"""The audit log (issue 11 part 6): who did what, when, from where, through which channel, for every change; the
other rooms write to it in their own unit of work; officers read every entry, a company its own; never a secret."""

from __future__ import annotations


import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from tests.access.world import bearer
from toldsystem import db, demo, migrate
from toldsystem.access import service, store
from toldsystem.access.rules import ALL_ROLES, OPERATOR
from toldsystem.access.service import audit, users
from toldsystem.app import create_app
from toldsystem.guarantees import service as guarantees
from toldsystem.operations import service as operations

HOLDER, OTHER = "DK13585628", "DK12345674"
ADMIN_TOKEN, OTHER_TOKEN = "told_demo_forwarder", "told_demo_importer"


@pytest.fixture
def client(store):
    demo.load()
    return TestClient(create_app(), base_url="https://testserver")


def entries(client, token, **params) -> dict:
    answer = client.get("/api/v1/access/audit", params=params, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


def all_rows() -> str:
    with db.reading() as conn:
        return "\n".join(" | ".join(map(str, row)) for row in conn.execute(select(store.audit_log)))


def test_user_changes_say_who_what_when_from_where_and_through_which_channel(client, fixed_clock):
    made = client.post("/api/v1/access/users", json={"name": "Mette", "roles": ["transit"]},
                       headers=bearer(ADMIN_TOKEN)).json()
    name = made["username"]
    client.put(f"/api/v1/access/users/{name}/roles", json={"roles": ["guarantees"]}, headers=bearer(ADMIN_TOKEN))
    client.post(f"/api/v1/access/users/{name}/tokens", json={"name": "erp"}, headers=bearer(ADMIN_TOKEN))
    users.reset_password(name, by=OPERATOR.via("cli", "root@vm"))
    found = [e for e in entries(client, ADMIN_TOKEN)["entries"] if e["action"].startswith("user.")]
    assert [e["action"] for e in found] == ["user.reset_password", "user.token_issue", "user.roles", "user.create"]
    created = found[-1]
    assert (created["actor"], created["actor_eori"], created["channel"], created["client"], created["target"],
            created["subject_eori"]) == ("13585628-001", HOLDER, "api", "testclient", name, HOLDER)
    assert created["at"].startswith("2026-11-23T09:00:00") and created["detail"]["roles"] == ["transit"]
    assert found[2]["detail"] == {"granted": ["guarantees"], "revoked": ["transit"]}
    assert (found[0]["actor"], found[0]["channel"], found[0]["client"]) == ("operator (told CLI)", "cli", "root@vm")


def test_the_other_rooms_write_through_the_same_record(client):
    declared = client.post("/api/v1/transit/messages", json=demo.declaration(HOLDER), headers=bearer(ADMIN_TOKEN))
    assert declared.status_code == 200
    grn = next(g["grn"] for g in demo.demo_guarantees() if g["holder_eori"] == HOLDER)
    officer = service.authenticate(demo.OFFICER_TOKEN)
    guarantees.revoke_guarantee(grn, by=officer)
    window = operations.create(systems=["dms_transit"], kind="disruption", title="DMS NCTS nede", by=officer)
    operations.end(window.id, by=officer)
    found = entries(client, demo.OFFICER_TOKEN)["entries"]
    actions = [(e["action"], e["actor"], e["channel"]) for e in found]
    assert actions[:3] == [("board.ended", "Demo officer (Toldstyrelsen)", "api"),
                           ("board.created", "Demo officer (Toldstyrelsen)", "api"),
                           ("guarantee.revoke", "Demo officer (Toldstyrelsen)", "api")]
    message = next(e for e in found if e["action"] == "transit.message")
    assert message["detail"]["message_type"] == "CC015C" and message["actor_eori"] == HOLDER
    assert found[2]["subject_eori"] == HOLDER  # the holder reads what was done to its guarantee
    assert any(e["action"] == "guarantee.revoke" for e in entries(client, ADMIN_TOKEN)["entries"])


def test_an_entry_is_written_in_the_callers_unit_of_work(client):
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            audit.record(conn, OPERATOR, "user.create", "13585628-050", subject=HOLDER)
            raise RuntimeError("the change fails after the entry")
    assert "13585628-050" not in all_rows()


def test_a_company_reads_its_own_entries_and_an_officer_every_one(client):
    client.post("/api/v1/access/users", json={"name": "Mette", "roles": ["transit"]}, headers=bearer(ADMIN_TOKEN))
    client.post("/api/v1/access/users", json={"name": "Søren", "roles": ["import"]}, headers=bearer(OTHER_TOKEN))
    mine = entries(client, ADMIN_TOKEN, action="user.create")["entries"]
    theirs = entries(client, OTHER_TOKEN, action="user.create")["entries"]
    assert {e["subject_eori"] for e in mine} == {HOLDER} and {e["subject_eori"] for e in theirs} == {OTHER}
    assert {e["subject_eori"] for e in entries(client, demo.OFFICER_TOKEN, action="user.create")["entries"]} == {
        HOLDER, OTHER}
    assert all(e["subject_eori"] == HOLDER or e["actor_eori"] == HOLDER for e in entries(client, ADMIN_TOKEN,
                                                                                      page_size=500)["entries"])


def test_the_log_is_paged_newest_first(client):
    for n in range(7):
        users.create(f"Bruger {n}", ["transit"], eori=HOLDER)
    first = entries(client, ADMIN_TOKEN, page=1, page_size=3, action="user.create")
    last = entries(client, ADMIN_TOKEN, page=3, page_size=3, action="user.create")
    assert first["total"] == 7 and len(first["entries"]) == 3 and len(last["entries"]) == 1
    assert [e["target"] for e in first["entries"]] == ["13585628-008", "13585628-007", "13585628-006"]
    assert last["entries"][0]["target"] == "13585628-002"
    assert client.get("/api/v1/access/audit?page_size=501", headers=bearer(ADMIN_TOKEN)).status_code == 422
    assert client.get("/api/v1/access/audit?page=0", headers=bearer(ADMIN_TOKEN)).status_code == 422


def test_the_audit_log_never_holds_a_secret(client):
    secrets = []
    made = client.post("/api/v1/access/users", json={"name": "Mette", "roles": ["transit", "guarantees"]},
                       headers=bearer(ADMIN_TOKEN)).json()
    name = made["username"]
    secrets.append(made["temporary_password"])
    client.post("/api/v1/access/password", json={"username": name, "current_password": made["temporary_password"],
                                                 "new_password": "Nyt42ode"})
    secrets.append("Nyt42ode")
    signed = client.post("/api/v1/access/session", json={"username": name, "password": "Nyt42ode"})
    secrets += [signed.json()["csrf_token"], client.cookies["told_session"]]
    token = client.post(f"/api/v1/access/users/{name}/tokens", json={"name": "erp"},
                        headers=bearer(ADMIN_TOKEN)).json()["token"]
    secrets.append(token)
    again = client.post(f"/api/v1/access/users/{name}/reset-password", headers=bearer(ADMIN_TOKEN)).json()
    secrets.append(again["temporary_password"])
    grn = next(g["grn"] for g in demo.demo_guarantees() if g["holder_eori"] == HOLDER)
    code = client.post(f"/api/v1/guarantees/{grn}/access-codes", json={"label": "Lager"},
                       headers=bearer(ADMIN_TOKEN)).json()
    secrets.append(code["access_code"])
    service.revoke(token)
    rows = all_rows()
    assert {"user.create", "user.change_password", "session.sign_in", "user.token_issue", "user.reset_password",
            "guarantee.code_add", "token.revoke"} <= {line.split(" | ")[6] for line in rows.splitlines()}
    for secret in secrets:
        assert secret not in rows, secret


def test_record_refuses_what_could_be_a_secret(client):
    with db.transaction() as conn:
        for name in ("password", "new_password", "token", "api_token", "access_code", "session_id", "csrf"):
            with pytest.raises(ValueError):
                audit.record(conn, OPERATOR, "user.create", "x", **{name: "hemmelig"})
        with pytest.raises(TypeError):
            audit.record(conn, OPERATOR, "user.create", "x", detail={"nested": "dict"})


def test_existing_company_tokens_become_their_first_administrators(tmp_path):
    """Migration 0013_users: a database from before users keeps its company tokens working, with every role."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    migrate.upgrade(engine, "0010_operations")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO companies (eori, name, street, city, postcode, country, registered_import, "
                          "registered_export, created_at) VALUES ('DK13585628', 'Padborg Spedition', 'Vej 1', "
                          "'Padborg', '6330', 'DK', 1, 0, '2026-01-01 00:00:00')"))
        for n, (kind, eori) in enumerate((("company", "'DK13585628'"), ("company", "'DK13585628'"),
                                          ("officer", "NULL"))):
            conn.execute(text(f"INSERT INTO api_tokens (digest, kind, eori, name, office, created_at) VALUES "
                              f"('{n:064d}', '{kind}', {eori}, 't{n}', NULL, '2026-01-01 00:00:00')"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        made = conn.execute(select(store.users)).all()
        owners = conn.execute(select(store.api_tokens.c.kind, store.api_tokens.c.user_id)
                              .order_by(store.api_tokens.c.id)).all()
    assert [(u.username, u.eori, set(u.roles.split(",")), u.password_hash) for u in made] == [
        ("13585628-001", "DK13585628", set(ALL_ROLES), None)]
    assert [tuple(o) for o in owners] == [("company", made[0].id), ("company", made[0].id), ("officer", None)]
