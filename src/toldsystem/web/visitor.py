"""Who is looking at a page: `Visitor`, the signed-in party with its language and its session's CSRF token.

A page route takes `visitor: Visitor`; without a session the answer is 303 to /login?next=<path>. A POST must
carry the session's CSRF token, as the hidden `csrf_token` field of its form (`csrf_field()` in a template) or in
the X-CSRF-Token header, checked by access.service.sessions exactly as for the API. The page's rule is the one
its room's authorisation.py ROUTES names (as for every API route): its system role (Rule.system) and whether it
is an officers' or a companies' page are checked here, for every page alike; a page the visitor may not use
answers as an unknown page (404), never as a different one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from toldsystem.access import rules as access_rules
from toldsystem.access.api import CSRF_COOKIE, SESSION_COOKIE
from toldsystem.access.authorisation import rule_of
from toldsystem.access.rules import Party, Rule
from toldsystem.access.service import sessions
from toldsystem.core.errors import ToldError
from toldsystem.web import i18n

LANGUAGE_COOKIE = "told_lang"
CSRF_FIELD = "csrf_token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_OFFICERS = frozenset({access_rules.OFFICER, access_rules.OFFICER_AT_DEPARTURE, access_rules.OFFICER_AT_DESTINATION,
                       access_rules.OFFICER_OF_GUARANTEE, access_rules.NATIONAL_OFFICER})
_COMPANIES = frozenset({access_rules.COMPANY, access_rules.HOLDER, access_rules.REPRESENTATIVE,
                        access_rules.TRADER_AT_DESTINATION, access_rules.ASSOCIATION})


class SignInNeeded(Exception):
    """No session (or it has ended): the page answers 303 to the sign-in page, which comes back here."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


class PageUnknown(Exception):
    """The page, or what it shows, is not the visitor's to see: answered as an unknown page (404)."""


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The visitor of a page: the party it acts as (its user and roles), its language, its session's CSRF token."""

    party: Party
    language: str
    csrf_token: str


@dataclass(frozen=True, slots=True)
class _Brought:
    session: str | None
    csrf: str | None
    changes: bool
    rule: Rule
    language: str  # the cookie's, else the browser's
    client: str | None
    path: str


def page_rule(method: str, path: str) -> Rule:
    """The rule of a page route, from its room's table; a page without one is a bug, never left unchecked."""
    found = rule_of(method, path)
    if found is None:
        raise LookupError(f"{method} {path}: no rule in the authorisation table (the room's authorisation.py)")
    return found[2]


def admits(party: Party, entry: Rule) -> bool:
    """Whether the page's rule lets this party open it at all: its system role, and officers' or companies' page."""
    if not party.may_use(entry.system):
        return False
    if entry.actors and entry.actors <= _OFFICERS:
        return party.is_officer
    if entry.actors and entry.actors <= _COMPANIES:
        return not party.is_officer
    return True


def request_language(request: Request) -> str:
    """The language of a visitor not (yet) known: the cookie's (the switch sets it), else the browser's."""
    return i18n.choose(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language"))


def back_path(request: Request) -> str:
    """The page asked for, to come back to after signing in."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def _brought(request: Request) -> _Brought:
    """What the request brought (read without a worker thread: the form is parsed once and kept)."""
    csrf = request.headers.get(sessions.CSRF_HEADER)
    if request.method not in _SAFE and csrf is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        csrf = value if isinstance(value, str) else None
    return _Brought(request.cookies.get(SESSION_COOKIE), csrf, request.method not in _SAFE,
                    page_rule(request.method, request.scope["route"].path), request_language(request),
                    request.client.host if request.client else None,
                    back_path(request) if request.method == "GET" else "/")  # a form's target is no page to return to


def _visitor(request: Request, brought: Annotated[_Brought, Depends(_brought)]) -> SignedIn:
    if not brought.session:
        raise SignInNeeded(brought.path)
    try:
        party, language = sessions.signed_in(brought.session, brought.csrf, brought.changes)
    except ToldError as refused:
        if refused.status == 401:  # the session has ended: sign in again, then come back
            raise SignInNeeded(brought.path) from None
        raise
    party = party.via("portal", brought.client)
    if not admits(party, brought.rule):
        raise PageUnknown()
    return SignedIn(party, i18n.choose(language or brought.language), request.cookies.get(CSRF_COOKIE, ""))


def _maybe_visitor(request: Request, brought: Annotated[_Brought, Depends(_brought)]) -> SignedIn | None:
    """The visitor if signed in, else None (the sign-in page, the front door, the language switch)."""
    try:
        return _visitor(request, brought)
    except SignInNeeded:
        return None


Visitor = Annotated[SignedIn, Depends(_visitor)]
MaybeVisitor = Annotated[SignedIn | None, Depends(_maybe_visitor)]


def sign_in_url(path: str) -> str:
    """/login?next=<path>, the path kept only if it is one of ours (never another site's)."""
    if not is_own_path(path) or path == "/" or path.startswith("/login"):
        return "/login"
    return f"/login?next={quote(path, safe='/')}"


def is_own_path(path: str | None) -> bool:
    """A path on this site (not //host or a scheme): where a redirect may go."""
    return bool(path) and path.startswith("/") and not path.startswith("//") and "\\" not in path
