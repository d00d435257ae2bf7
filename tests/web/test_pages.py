"""The portal's pages without a browser: every page has its rule; the rule's system role and kind are checked for
every page alike and a refusal reads as an unknown page; a form's change needs the session's CSRF token; only
this site's paths are followed after signing in; the language is remembered per user."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from toldsystem import config
from toldsystem.access.rules import ADMIN
from toldsystem.access.service import users
from toldsystem.app import PAGES, create_app
from toldsystem.web import PageRoute, page_router
from toldsystem.web.pages import number, when
from toldsystem.web.visitor import page_rule
from tests.conftest import FORWARDER, register_company
from tests.web.portal import sign_in_form

PASSWORD = "Clerk123"


def _user(roles: set[str], officer: bool = False) -> str:
    if not officer:
        register_company(FORWARDER)
    made, _ = users.create("Test Person", roles, eori=None if officer else FORWARDER, officer=officer,
                           office="DK009264" if officer else None, password=PASSWORD, must_change=False)
    return made.username


def _signed_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    answer = client.post("/login", data=sign_in_form(client, username=username, password=password),
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client.cookies["told_csrf"]


@pytest.fixture
def client(sqlite_store) -> TestClient:
    """Plain http, as `make run` serves: the cookies without Secure, so the test client sends them back."""
    before = config.settings()
    config.override(replace(before, insecure_cookies=True))
    yield TestClient(create_app())
    config.override(before)


def test_every_page_route_has_a_rule():
    pages = [(method, route.path) for router in PAGES for route in router.routes if isinstance(route, PageRoute)
             for method in route.methods]
    assert ("GET", "/login") in pages
    for method, path in pages:
        page_rule(method, path)  # raises for a page without its rule


def test_a_page_router_lives_outside_the_api():
    with pytest.raises(ValueError):
        page_router("/api/pages")


def test_a_page_the_visitor_may_not_use_reads_as_an_unknown_page(client):
    clerk = _user({"transit"})
    _signed_in(client, clerk)
    refused = client.get("/admin/users")  # the clerk has no administrator role
    unknown = client.get("/admin/nothing-here")
    assert refused.status_code == unknown.status_code == 404
    assert refused.text.replace("/admin/users", "/admin/nothing-here") == unknown.text  # only the address differs
    assert "text/html" in refused.headers["content-type"]


def test_without_a_session_a_page_leads_to_sign_in_and_back(client):
    answer = client.get("/admin/users?x=1", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login?next=/admin/users%3Fx%3D1")
    admin = _user({ADMIN})
    answer = client.post("/login", data=sign_in_form(client, username=admin, password=PASSWORD, next="/admin/users"),
                         follow_redirects=False)
    assert answer.headers["location"] == "/admin/users"
    elsewhere = client.post("/login", data=sign_in_form(client, username=admin, password=PASSWORD,
                                                        next="//evil.example/"), follow_redirects=False)
    assert elsewhere.headers["location"] == "/"  # never another site


def test_a_change_needs_the_sessions_csrf_token(client):
    csrf = _signed_in(client, _user({"transit"}))
    refused = client.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert client.get("/password").status_code == 200  # still signed in
    wrong = client.post("/logout", data={"csrf_token": "not-the-token"}, follow_redirects=False)
    assert wrong.status_code == 403
    done = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/login?signed_out=1")
    assert client.get("/password", follow_redirects=False).status_code == 200  # the anonymous form
    assert "told_session" not in client.cookies


def test_the_language_is_remembered_for_the_user(client):
    clerk = _user({"transit"})
    csrf = _signed_in(client, clerk)
    assert client.get("/password").headers["content-language"] == "da"
    client.post("/language", data={"lang": "en", "next": "/password", "csrf_token": csrf}, follow_redirects=False)
    assert users.language_of(clerk) == "en"
    client.cookies.clear()
    other = TestClient(client.app)  # another browser: its own cookies, Danish
    _signed_in(other, clerk)
    page = other.get("/password")
    assert page.headers["content-language"] == "en" and "Change password" in page.text


def test_an_anonymous_visitor_keeps_the_language_in_a_cookie(client):
    answer = client.post("/language", data={"lang": "en", "next": "/login"}, follow_redirects=False)
    assert answer.headers["location"] == "/login"
    page = client.get("/login")
    assert page.headers["content-language"] == "en" and "<h1>Sign in</h1>" in page.text
    assert client.get("/login", headers={"Accept-Language": "da"}).headers["content-language"] == "en"


def test_times_and_numbers_as_a_dane_writes_them():
    from datetime import date, datetime, timezone

    at = datetime(2026, 12, 1, 17, 5, tzinfo=timezone.utc)
    assert when(at, "da") == "01-12-2026 18:05"  # Copenhagen's clock
    assert when(at, "en") == "01 Dec 2026 18:05"
    assert when(date(2026, 3, 4), "da") == "04-03-2026"
    assert number(1234567.5, 2, "da") == number(1234567.5, 2, "en") == "1.234.567,50"
    assert number(12, 0, "da") == "12"


def test_an_ended_session_leads_a_form_to_sign_in_not_back_to_the_forms_target(client):
    client.cookies.set("told_session", "ended-long-ago")
    answer = client.post("/logout", data={"csrf_token": "x"}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")


def test_a_page_runs_only_this_sites_scripts_and_is_framed_by_none(client):
    policy = client.get("/login").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
