"""Signing in, the forced change and the administrator's pages without a browser: the back-off's wait said at the
field in the visitor's language, an expired password leading to the change, another company's user unknown to
an administrator, every administrator's form needing the session's CSRF token, every Danish text translated."""

from __future__ import annotations

from dataclasses import replace
import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from tests.conftest import FORWARDER, IMPORTER, register_company
from tests.web.portal import sign_in_form
from toldsystem import config
from toldsystem.access.rules import ADMIN
from toldsystem.access.service import users
from toldsystem.app import create_app
from toldsystem.companies import service as companies
from toldsystem.web import i18n

PASSWORD = "Clerk123"


@pytest.fixture
def client(sqlite_store) -> TestClient:
    """Plain http, as `make run` serves: the cookies without Secure, so the test client sends them back."""
    before = config.settings()
    config.override(replace(before, insecure_cookies=True))
    yield TestClient(create_app())
    config.override(before)


def _user(eori: str, roles: set[str], must_change: bool = False) -> str:
    if companies.find(eori) is None:
        register_company(eori)
    return users.create("Test Person", roles, eori=eori, password=PASSWORD, must_change=must_change)[0].username


def _sign_in(client: TestClient, username: str, password: str = PASSWORD, language: str = "da"):
    return client.post("/login", data=sign_in_form(client, username=username, password=password),
                       headers={"Accept-Language": language}, follow_redirects=False)


@pytest.mark.parametrize("language, waits", [("da", "prøv igen om 30 sekunder"), ("en", "try again in 30 seconds")])
def test_the_back_off_is_said_at_the_field_in_the_visitors_language(client, fixed_clock, language, waits):
    clerk = _user(FORWARDER, {"transit"})
    for _ in range(3):
        assert _sign_in(client, clerk, "Wrong123", language).status_code == 401
    waiting = _sign_in(client, clerk, PASSWORD, language)  # even the right password waits
    assert waiting.status_code == 429
    assert waits in waiting.text and 'id="password-errors"' in waiting.text
    fixed_clock.advance(seconds=31)
    assert _sign_in(client, clerk, PASSWORD, language).status_code == 303


def test_an_expired_password_leads_to_the_change_and_then_in(client, fixed_clock):
    clerk = _user(FORWARDER, {"transit"})
    fixed_clock.advance(days=93)  # seed 000: changed every 3 months
    answer = _sign_in(client, clerk, language="en")
    assert answer.status_code == 200 and "<h1>Change password</h1>" in answer.text
    assert "has expired" in answer.text and f'value="{clerk}"' in answer.text
    changed = client.post("/password", data={"username": clerk, "current_password": PASSWORD,
                                             "new_password": "Mette456", "repeat_password": "Mette456"},
                          follow_redirects=False)
    assert (changed.status_code, changed.headers["location"]) == (303, "/")
    assert client.get("/admin/users", follow_redirects=False).status_code == 404  # signed in; no admin role


def test_two_different_new_passwords_are_said_at_the_repeat_field(client):
    clerk = _user(FORWARDER, {"transit"})
    answer = client.post("/password", data={"username": clerk, "current_password": PASSWORD,
                                            "new_password": "Mette456", "repeat_password": "Mette457"})
    assert answer.status_code == 422 and 'id="repeat_password-errors"' in answer.text
    assert _sign_in(client, clerk).status_code == 303  # nothing changed


def test_another_companys_user_is_unknown_to_an_administrator(client):
    admin = _user(FORWARDER, {ADMIN})
    stranger = _user(IMPORTER, {"transit"})
    _sign_in(client, admin)
    csrf = client.cookies["told_csrf"]
    unknown = client.get("/admin/users/12345674-999")
    theirs = client.get(f"/admin/users/{stranger}")
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.text.replace(stranger, "12345674-999") == unknown.text
    disabled = client.post(f"/admin/users/{stranger}/disable", data={"csrf_token": csrf})
    assert disabled.status_code == 404 and not users.get(stranger).disabled
    assert stranger not in client.get("/admin/users").text


def test_every_administrators_form_needs_the_csrf_token(client):
    admin = _user(FORWARDER, {ADMIN})
    clerk = _user(FORWARDER, {"transit"})
    _sign_in(client, admin)
    for path, data in ((f"/admin/users/{clerk}/disable", {}), (f"/admin/users/{clerk}/roles", {"roles": "ics"}),
                       (f"/admin/users/{clerk}/reset-password", {}),
                       ("/admin/users/new", {"name": "Eve", "roles": "transit"})):
        assert client.post(path, data=data, follow_redirects=False).status_code == 403, path
    assert users.get(clerk).roles == {"transit"} and not users.get(clerk).disabled
    assert [u.name for u in users.visible()].count("Eve") == 0


def test_a_random_first_password_is_shown_once_and_must_be_changed(client):
    admin = _user(FORWARDER, {ADMIN})
    _sign_in(client, admin)
    made = client.post("/admin/users/new", data={"name": "Ole", "roles": ["transit", "guarantees"],
                                                 "csrf_token": client.cookies["told_csrf"]})
    assert made.status_code == 201
    new = next(u for u in users.visible() if u.name == "Ole")
    assert new.roles == {"transit", "guarantees"} and new.must_change


def test_every_danish_text_is_translated():
    for path in i18n.catalogues("da"):
        with path.open("rb") as po:
            untranslated = [m.id for m in read_po(po) if m.id and not m.string]
        assert untranslated == [], f"{path}: translate these (msgstr)"


def test_an_officer_signs_in_on_the_same_page_and_comes_to_the_office(client):
    officer = users.create("Officer Olsen", {"transit"}, officer=True, office="DK009264", password=PASSWORD,
                           must_change=False)[0].username
    assert _sign_in(client, officer).headers["location"] == "/"
    assert client.get("/", follow_redirects=False).headers["location"] == "/office"
    assert client.get("/admin/users").status_code == 404  # a companies' administrator page: not an officer's


def test_a_sign_in_form_posted_from_another_site_signs_no_one_in(client):
    """Login CSRF: another site's page posting its own username and password must not sign the visitor in as it."""
    clerk = _user(FORWARDER, {"transit"})
    forged = client.post("/login", data={"username": clerk, "password": PASSWORD}, follow_redirects=False)
    assert forged.status_code == 400 and "told_session" not in forged.cookies
    assert "ikke denne sides egen" in forged.text
    wrong = client.post("/login", data=sign_in_form(client, username=clerk, password=PASSWORD) | {"form_token": "x"},
                        follow_redirects=False)
    assert wrong.status_code == 400 and "told_session" not in wrong.cookies
    page = client.get("/login")
    assert f'name="form_token" value="{client.cookies["told_signin"]}"' in page.text
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/login" in cookie
    assert _sign_in(client, clerk).status_code == 303  # from the site's own page: signed in
