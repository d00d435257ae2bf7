"""The access room's operations for the access matrix (test_operations_matrix.py): each on a user of the holder
(Padborg Spedition's second user, made by the operator), and the same on a user that does not exist. (The matrix's
`Call` is imported when a scenario is built: the matrix imports these scenarios.)"""

from __future__ import annotations

import base64
from collections.abc import Callable

from tests.access.world import HOLDER_EORI, World
from toldsystem.access import service
from toldsystem.access.authorisation_users import RULES
from toldsystem.access.rules import HOLDER, OFFICER, rule
from toldsystem.access.service import users

UNKNOWN_USER = "13585628-999"
UNREGISTERED_EORI = "DK44556618"
PASSWORD = "Nyt42ode"
# Who is told 403 rather than "unknown": the user's colleagues (here the holder itself) and officers.
SEES_USER = rule({HOLDER, OFFICER}, "a user of the holder")
KEY = "ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + bytes(range(32))).decode()


def holders_user(world: World, signs_in: bool = False) -> str:
    user, temporary = users.create("Mette Hansen", ["transit"], eori=HOLDER_EORI)
    if signs_in:
        service.change_password(user.username, temporary, PASSWORD, channel="api")
    return user.username


def user_call(suffix: str, method: str = "GET", json: dict | None = None, ok=frozenset({200}),
              consumed=frozenset({409}), key: bool = False) -> Callable[[World], object]:
    def build(world: World):
        from tests.access.test_operations_matrix import Call

        name = holders_user(world)
        if key:
            users.add_key(name, KEY)
        return Call(method, f"/api/access/users/{name}{suffix}", json, f"/api/access/users/{UNKNOWN_USER}{suffix}",
                    json, (name, UNKNOWN_USER), ok=ok, consumed=consumed, sees=SEES_USER)
    return build


def sign_in(world: World):
    from tests.access.test_operations_matrix import Call

    name = holders_user(world, signs_in=True)
    return Call("POST", "/api/access/session", {"username": name, "password": PASSWORD}, public=True)


def change_password(world: World):
    from tests.access.test_operations_matrix import Call

    name = holders_user(world, signs_in=True)
    body = {"username": name, "current_password": PASSWORD, "new_password": "Ny95kaXe"}
    # once changed, the same request proves a wrong password (401), and after three the sign-in waits (429)
    return Call("POST", "/api/access/password", body, ok=frozenset({204}), consumed=frozenset({401, 429}), public=True)


def create_user(world: World):
    from tests.access.test_operations_matrix import Call

    body = {"name": "Mette Hansen", "roles": ["transit"], "eori": HOLDER_EORI}
    return Call("POST", "/api/access/users", body, "/api/access/users", {**body, "eori": UNREGISTERED_EORI},
                (HOLDER_EORI, UNREGISTERED_EORI), ok=frozenset({201}), consumed=frozenset({201}), sees=SEES_USER)


def listing(url: str, holds: Callable[[object], bool], sees) -> Callable[[World], object]:
    def build(world: World):
        from tests.access.test_operations_matrix import Call

        holders_user(world)  # a user of the holder, and its creation in the audit log
        return Call("GET", url, sees=sees, listed=lambda answer: holds(answer.json()))
    return build


def plain(method: str, url: str, ok=frozenset({200})) -> Callable[[World], object]:
    def build(world: World):
        from tests.access.test_operations_matrix import Call

        return Call(method, url, ok=ok)
    return build


SCENARIOS = {
    ("POST", "/api/access/session"): sign_in,
    ("GET", "/api/access/session"): plain("GET", "/api/access/session"),
    ("DELETE", "/api/access/session"): plain("DELETE", "/api/access/session", frozenset({204})),
    ("POST", "/api/access/password"): change_password,
    ("GET", "/api/access/users"): listing(
        "/api/access/users", lambda found: any(u["username"] == "13585628-002" for u in found), RULES["user.read"]),
    ("POST", "/api/access/users"): create_user,
    ("GET", "/api/access/users/{username}"): user_call(""),
    ("PUT", "/api/access/users/{username}/roles"): user_call("/roles", "PUT", {"roles": ["transit", "guarantees"]}),
    ("POST", "/api/access/users/{username}/reset-password"): user_call("/reset-password", "POST"),
    ("POST", "/api/access/users/{username}/disable"): user_call("/disable", "POST"),
    ("POST", "/api/access/users/{username}/enable"): user_call("/enable", "POST"),
    ("POST", "/api/access/users/{username}/tokens"): user_call("/tokens", "POST", {"name": "erp"},
                                                               ok=frozenset({201})),
    ("GET", "/api/access/users/{username}/keys"): user_call("/keys"),
    ("POST", "/api/access/users/{username}/keys"): user_call("/keys", "POST", {"public_key": KEY},
                                                             ok=frozenset({201})),
    ("POST", "/api/access/users/{username}/keys/revoke"): user_call(
        "/keys/revoke", "POST", {"fingerprint": users.parse_public_key(KEY)[1]}, ok=frozenset({204}),
        consumed=frozenset({404}), key=True),
    ("GET", "/api/access/audit"): listing(
        "/api/access/audit", lambda found: any(e["subject_eori"] == HOLDER_EORI for e in found["entries"]),
        SEES_USER),
}
