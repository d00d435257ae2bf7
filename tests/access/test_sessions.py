"""Over HTTP: signing in to a web session (cookie flags, CSRF on every change, idle and absolute timeouts), the
system roles every existing route checks, and bearer tokens working as before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.access.world import bearer
from toldsystem import db, demo
from toldsystem.access import service, store
from toldsystem.access.service import sessions
from toldsystem.app import create_app

HOLDER = "DK13585628"
ADMIN_TOKEN = "told_demo_forwarder"  # the demo holder's token: its first administrator's since users came


@pytest.fixture
def world(store):
    demo.load()
    # https: the session cookie is Secure, and a client sends it back over https only
    return TestClient(create_app(), base_url="https://testserver")


def new_user(client, roles, password="Nyt42ode") -> str:
    answer = client.post("/api/v1/access/users", json={"name": "Mette Hansen", "roles": roles},
                         headers=bearer(ADMIN_TOKEN))
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert made["username"].startswith("13585628-") and made["must_change_password"]
    changed = client.post("/api/v1/access/password", json={
        "username": made["username"], "current_password": made["temporary_password"], "new_password": password})
    assert changed.status_code == 204, changed.text
    return made["username"]


def sign_in(client, username, password="Nyt42ode"):
    answer = client.post("/api/v1/access/session", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return answer


def test_sign_in_sets_a_secure_httponly_strict_cookie_and_gives_a_csrf_token(world):
    username = new_user(world, ["transit"])
    answer = sign_in(world, username)
    cookies = {c.split("=", 1)[0]: c.lower() for c in answer.headers.get_list("set-cookie")}
    assert {"told_session", "told_csrf"} <= set(cookies)
    assert all(flag in cookies["told_session"] for flag in ("httponly", "secure", "samesite=strict", "path=/"))
    assert "httponly" not in cookies["told_csrf"] and "secure" in cookies["told_csrf"]
    body = answer.json()
    assert body["username"] == username and body["roles"] == ["transit"] and body["channel"] == "portal"
    assert body["csrf_token"] == world.cookies["told_csrf"] and body["csrf_token"] != world.cookies["told_session"]
    me = world.get("/api/v1/access/session")
    assert me.status_code == 200 and me.json()["username"] == username


def test_insecure_cookies_only_when_asked(world, monkeypatch):
    from toldsystem import config

    username = new_user(world, ["transit"])
    monkeypatch.setattr(config, "_settings", config.Settings(**{**vars(config.settings()), "insecure_cookies": True}))
    answer = sign_in(world, username)
    assert "secure" not in answer.headers.get_list("set-cookie")[0].lower()


def test_a_change_made_with_the_cookie_needs_the_csrf_token(world):
    username = new_user(world, ["transit"])
    csrf = sign_in(world, username).json()["csrf_token"]
    url, hook = "/api/v1/transit/webhook", {"url": "https://erp.example.com/hook"}
    for headers in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": world.cookies["told_session"]}):
        refused = world.put(url, json=hook, headers=headers)
        assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "auth.csrf", refused.text
    assert world.get(url).status_code in (200, 404)  # reading needs no CSRF token
    done = world.put(url, json=hook, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200, done.text


def test_bearer_calls_need_no_csrf_token_even_beside_a_cookie(world):
    username = new_user(world, ["transit"])
    sign_in(world, username)
    answer = world.put("/api/v1/transit/webhook", json={"url": "https://erp.example.com/hook"},
                       headers=bearer(ADMIN_TOKEN))
    assert answer.status_code == 200, answer.text


def test_sign_out_ends_the_session_at_once(world):
    username = new_user(world, ["transit"])
    csrf = sign_in(world, username).json()["csrf_token"]
    session = world.cookies["told_session"]
    assert world.delete("/api/v1/access/session").status_code == 403  # signing out is a change: CSRF
    assert world.delete("/api/v1/access/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    world.cookies.set("told_session", session)  # as a client that kept it would send it
    gone = world.get("/api/v1/access/session")
    assert gone.status_code == 401 and gone.json()["errors"][0]["code"] == "auth.session"


def test_idle_and_absolute_timeouts(world, fixed_clock):
    username = new_user(world, ["transit"])
    sign_in(world, username)
    fixed_clock.advance(minutes=29)
    assert world.get("/api/v1/access/session").status_code == 200  # a request keeps it alive
    fixed_clock.advance(minutes=29)
    assert world.get("/api/v1/access/session").status_code == 200
    fixed_clock.advance(minutes=31)
    assert world.get("/api/v1/access/session").status_code == 401  # idle for 31 minutes
    sign_in(world, username)
    for _ in range(int(sessions.ABSOLUTE / timedelta(minutes=20))):
        fixed_clock.advance(minutes=20)
        world.get("/api/v1/access/session")
    fixed_clock.advance(minutes=20)
    assert world.get("/api/v1/access/session").status_code == 401  # 8 hours after sign-in, however busy


def test_a_password_change_ends_the_users_sessions(world):
    username = new_user(world, ["transit"])
    sign_in(world, username)
    service.change_password(username, "Nyt42ode", "Ny95kaXe", channel="api")
    assert world.get("/api/v1/access/session").status_code == 401


def test_only_a_hash_of_the_session_and_its_csrf_token_is_stored(world):
    username = new_user(world, ["transit"])
    csrf = sign_in(world, username).json()["csrf_token"]
    with db.reading() as conn:
        rows = [tuple(map(str, r)) for r in conn.execute(select(store.web_sessions))]
    stored = " ".join(" ".join(r) for r in rows)
    assert world.cookies["told_session"] not in stored and csrf not in stored and len(rows) == 1


def test_wrong_expired_and_waiting_sign_ins_over_http(world):
    username = new_user(world, ["transit"])
    made = world.post(f"/api/v1/access/users/{username}/reset-password", headers=bearer(ADMIN_TOKEN)).json()
    expired = world.post("/api/v1/access/session", json={"username": username, "password": made["temporary_password"]})
    assert expired.status_code == 403 and expired.json()["errors"][0]["code"] == "auth.password_expired"
    for status in (401, 401, 401, 429):
        wrong = world.post("/api/v1/access/session", json={"username": username, "password": "Gaet1234"})
        assert wrong.status_code == status, wrong.text
    bad = world.post("/api/v1/access/password", json={"username": username, "current_password": "x",
                                                      "new_password": "y"})
    assert bad.status_code == 429  # the change waits as the sign-in does


# --- every existing route checks the system role it needs ---------------------------------------------------

def test_a_transit_only_user_cannot_touch_guarantees(world):
    username = new_user(world, ["transit"])
    token = service.issue_user_token(username, "erp")
    grn = next(g["grn"] for g in demo.demo_guarantees() if g["holder_eori"] == HOLDER)
    for method, url in (("GET", "/api/v1/guarantees"), ("GET", f"/api/v1/guarantees/{grn}"),
                        ("GET", f"/api/v1/guarantees/{grn}/access-codes"), ("POST", "/api/v1/guarantees/balance")):
        refused = world.request(method, url, headers=bearer(token), json={} if method == "POST" else None)
        assert refused.status_code == 403, (url, refused.text)
        assert refused.json()["errors"][0]["code"] == "auth.role_missing" and "guarantees" in refused.text
    assert world.get("/api/v1/transit/outbox", headers=bearer(token)).status_code == 200
    declared = world.post("/api/v1/transit/messages", json=demo.declaration(HOLDER), headers=bearer(token))
    assert declared.status_code == 200 and declared.json()["mrn"], declared.text
    assert world.get(f"/api/v1/guarantees/{grn}", headers=bearer(ADMIN_TOKEN)).status_code == 200


def test_a_guarantees_only_user_cannot_send_transit_messages(world):
    username = new_user(world, ["guarantees"])
    token = service.issue_user_token(username, "erp")
    refused = world.post("/api/v1/transit/messages", json=demo.declaration(HOLDER), headers=bearer(token))
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "auth.role_missing"
    assert world.get("/api/v1/transit/movements", headers=bearer(token)).status_code == 403
    assert world.get("/api/v1/guarantees", headers=bearer(token)).status_code == 200
    # reference data and the company's own record need no system role
    assert world.get("/api/v1/reference/countries", headers=bearer(token)).status_code == 200
    assert world.get(f"/api/v1/companies/{HOLDER}", headers=bearer(token)).status_code == 200


def test_powers_of_attorney_are_the_administrators(world):
    username = new_user(world, ["transit", "guarantees"])
    token = service.issue_user_token(username, "erp")
    grant = {"representative_eori": "DK33445563", "valid_from": "2026-01-01"}
    refused = world.post(f"/api/v1/companies/{HOLDER}/powers", json=grant, headers=bearer(token))
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "auth.role_missing"


def test_a_revoked_role_stops_the_session_too(world):
    username = new_user(world, ["transit"])
    sign_in(world, username)
    assert world.get("/api/v1/transit/outbox").status_code == 200
    world.put(f"/api/v1/access/users/{username}/roles", json={"roles": ["guarantees"]}, headers=bearer(ADMIN_TOKEN))
    assert world.get("/api/v1/transit/outbox").status_code == 403
    assert world.get("/api/v1/guarantees").status_code == 200


def test_company_a_cannot_see_or_create_users_of_company_b(world):
    other = "told_demo_importer"  # Nordisk Import's administrator
    username = new_user(world, ["transit"])
    for method, url, body in (("GET", f"/api/v1/access/users/{username}", None),
                              ("PUT", f"/api/v1/access/users/{username}/roles", {"roles": ["admin"]}),
                              ("POST", f"/api/v1/access/users/{username}/reset-password", None),
                              ("POST", f"/api/v1/access/users/{username}/tokens", {"name": "x"}),
                              ("POST", f"/api/v1/access/users/{username}/disable", None),
                              ("GET", f"/api/v1/access/users/{username}/keys", None)):
        refused = world.request(method, url, json=body, headers=bearer(other))
        unknown = world.request(method, url.replace(username, "13585628-999"), json=body, headers=bearer(other))
        assert refused.status_code == 404, (url, refused.text)
        assert refused.text.replace(username, "13585628-999") == unknown.text
    created = world.post("/api/v1/access/users", json={"name": "Spy", "roles": ["transit"], "eori": HOLDER},
                         headers=bearer(other))
    assert created.status_code == 404 and created.json()["errors"][0]["code"] == "company.unknown"
    listed = world.get("/api/v1/access/users", headers=bearer(other)).json()
    assert [u["username"] for u in listed] == ["12345674-001"]
    assert world.get("/api/v1/access/users/13585628-001", headers=bearer(ADMIN_TOKEN)).status_code == 200
