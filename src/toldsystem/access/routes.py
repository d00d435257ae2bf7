"""HTTP API of the access room: signing in and out (web sessions), changing a password, users and their roles,
tokens and SSH keys, the audit log (who may: access/authorisation_users.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from pydantic import BaseModel, Field

from toldsystem import config
from toldsystem.access import service
from toldsystem.access.api import CSRF_COOKIE, SESSION_COOKIE, CredentialsDep, PartyDep, party_of
from toldsystem.access.rules import ALL_ROLES
from toldsystem.access.service import audit, sessions, users
from toldsystem.core.api import Page, PageSize, room_router

router = room_router("/access", tags=["access"])

# Statuses beyond those the shared checks document (core/openapi.py): signing in and changing a password read no
# token, yet a wrong password is 401, an expired one 403, a user waiting 429; a user of another company is 404.
_SIGN_IN = {401: {"description": "Unknown username or wrong password (`auth.sign_in`)"},
            403: {"description": "The password expired or was reset: change it (`auth.password_expired`)"},
            429: {"description": "Too many wrong passwords in a row: the sign-in waits (`auth.waiting`)"}}
_PASSWORD = {401: _SIGN_IN[401], 429: _SIGN_IN[429]}
_COMPANY = {404: {"description": "No such company, or not yours (`company.unknown`)"}}
Username = Annotated[str, Field(max_length=40, examples=["13585628-002"])]
_ROLES = f"System roles: {', '.join(sorted(ALL_ROLES))}"


class SignIn(BaseModel):
    username: Username
    password: str = Field(max_length=200)


class PasswordChange(BaseModel):
    username: Username
    current_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200, description="6–8 letters A–Z, a–z and digits: at least 4 letters and "
                              "2 digits, no character more than 3 times, at least 3 characters changed (seed 000)")


class UserIn(BaseModel):
    name: str = Field(max_length=200, description="The person's name", examples=["Mette Hansen"])
    roles: list[str] = Field(max_length=len(ALL_ROLES), description=_ROLES, examples=[["transit"]])
    eori: str | None = Field(None, max_length=17, description="The company (left out: the administrator's own)")
    officer: bool = Field(False, description="An officer's account (a national administrator only)")
    office: str | None = Field(None, max_length=8, description="The officer's customs office (left out: national)")


class RolesIn(BaseModel):
    roles: list[str] = Field(max_length=len(ALL_ROLES), description=_ROLES, examples=[["transit", "guarantees"]])


class TokenIn(BaseModel):
    name: str = Field(max_length=200, description="What the token is for", examples=["ERP integration"])


class KeyIn(BaseModel):
    public_key: str = Field(max_length=users.MAX_KEY_CHARS, examples=["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA… mette"])


class FingerprintIn(BaseModel):
    fingerprint: str = Field(max_length=100, examples=["SHA256:…"])


def _user_out(u: users.User) -> dict:
    return {"username": u.username, "kind": u.kind, "eori": u.eori, "office": u.office, "name": u.name,
            "roles": sorted(u.roles), "has_password": u.has_password, "password_expires_at": u.password_expires_at,
            "must_change_password": u.must_change, "sign_in_waits_until": u.waiting_until,
            "created_at": u.created_at, "disabled": u.disabled}


def _me(party) -> dict:
    return {"username": party.user, "name": party.name, "kind": party.kind, "eori": party.eori,
            "office": party.office, "roles": sorted(party.roles), "channel": party.channel}


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def set_session_cookies(response: Response, started: sessions.Started) -> None:
    """The session cookie (HttpOnly) and the readable CSRF cookie, for the API's sign-in and the portal's."""
    secure = not config.settings().insecure_cookies
    seconds = int(sessions.ABSOLUTE.total_seconds())
    response.set_cookie(SESSION_COOKIE, started.session_id, max_age=seconds, path="/", secure=secure,
                        httponly=True, samesite="strict")
    response.set_cookie(CSRF_COOKIE, started.csrf_token, max_age=seconds, path="/", secure=secure,
                        httponly=False, samesite="strict")


@router.post("/session", summary="Sign in: a web session (cookie) and its CSRF token", responses=_SIGN_IN)
def sign_in(body: SignIn, request: Request, response: Response) -> dict:
    """Sets the session cookie (HttpOnly, SameSite=Strict, Secure unless TOLD_INSECURE_COOKIES=1) and a readable
    CSRF cookie; send the CSRF token back in X-CSRF-Token with every request that changes something."""
    started = sessions.start(body.username, body.password, client=_client(request), channel="api")
    set_session_cookies(response, started)
    return {**_me(started.party), "csrf_token": started.csrf_token, "expires_at": started.expires_at,
            "idle_timeout_seconds": int(sessions.IDLE.total_seconds())}


@router.get("/session", summary="Who the caller is: its user, company or office, roles")
def who_am_i(party: PartyDep) -> dict:
    return _me(party)


@router.delete("/session", status_code=204, summary="Sign out: the session ends")
def sign_out(credentials: CredentialsDep, response: Response) -> None:
    party = party_of(credentials)  # with the cookie, the CSRF token too: signing out is a change
    if credentials.session:
        sessions.end(credentials.session, party)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.post("/password", status_code=204, summary="Change a password (also an expired or reset one)",
             responses=_PASSWORD)
def change_password(body: PasswordChange, request: Request) -> None:
    service.change_password(body.username, body.current_password, body.new_password, channel="api",
                            client=_client(request))


@router.get("/users", summary="Users: an administrator's company's, or the caller itself")
def list_users(party: PartyDep) -> list[dict]:
    return [_user_out(u) for u in users.visible(by=party)]


@router.post("/users", status_code=201, summary="Create a user (its username is given; a temporary password is "
             "shown once)", responses=_COMPANY)
def create_user(body: UserIn, party: PartyDep) -> dict:
    user, temporary = users.create(body.name, body.roles, eori=body.eori, officer=body.officer, office=body.office,
                                   by=party)
    return {**_user_out(user), "temporary_password": temporary}


@router.get("/users/{username}", summary="One user")
def get_user(username: str, party: PartyDep) -> dict:
    return _user_out(users.get(username, by=party))


@router.put("/users/{username}/roles", summary="Grant and revoke roles: the user's roles become exactly these")
def set_roles(username: str, body: RolesIn, party: PartyDep) -> dict:
    return _user_out(users.set_roles(username, body.roles, by=party))


@router.post("/users/{username}/reset-password", summary="A new temporary password, changed at the next sign-in")
def reset_password(username: str, party: PartyDep) -> dict:
    return {"username": username, "temporary_password": users.reset_password(username, by=party)}


@router.post("/users/{username}/disable", summary="Disable a user: no sign-in, its tokens and sessions stop")
def disable_user(username: str, party: PartyDep) -> dict:
    return _user_out(users.set_disabled(username, True, by=party))


@router.post("/users/{username}/enable", summary="Enable a disabled user again")
def enable_user(username: str, party: PartyDep) -> dict:
    return _user_out(users.set_disabled(username, False, by=party))


@router.post("/users/{username}/tokens", status_code=201, summary="Issue an API token of the user (shown once)")
def issue_token(username: str, body: TokenIn, party: PartyDep) -> dict:
    return {"username": username, "name": body.name, "token": service.issue_user_token(username, body.name, by=party)}


@router.get("/users/{username}/keys", summary="The user's SSH public keys")
def list_keys(username: str, party: PartyDep) -> list[dict]:
    return users.keys(username, by=party)


@router.post("/users/{username}/keys", status_code=201, summary="Register an SSH public key (the SFTP gateway)")
def add_key(username: str, body: KeyIn, party: PartyDep) -> dict:
    return {"username": username, "fingerprint": users.add_key(username, body.public_key, by=party)}


@router.post("/users/{username}/keys/revoke", status_code=204, summary="Revoke an SSH public key")
def revoke_key(username: str, body: FingerprintIn, party: PartyDep) -> None:
    users.revoke_key(username, body.fingerprint, by=party)


@router.get("/audit", summary="The audit log, newest first: officers every entry, a company its own")
def read_audit(party: PartyDep, page: Page = 1, page_size: PageSize = 50,
               action: Annotated[str | None, Query(max_length=60, examples=["user.create"])] = None) -> dict:
    found = audit.read(party, page, page_size, action)
    return {"page": found.page, "page_size": found.page_size, "total": found.total,
            "entries": [{"id": e.id, "at": e.at, "actor": e.actor, "actor_eori": e.actor_eori, "channel": e.channel,
                         "client": e.client, "action": e.action, "target": e.target, "subject_eori": e.subject_eori,
                         "detail": e.detail} for e in found.entries]}
