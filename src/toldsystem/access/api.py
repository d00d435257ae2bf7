"""FastAPI dependencies: every call acts for a known party, by a bearer token or a web session's cookie. What the
party may do is each room's table (authorisation.py), asked by its service; the system role a route's rule names
(Rule.system) is checked here, for every route alike; and only "a company, not an officer" is decided here
(webhooks). A change made with the session cookie must carry the session's CSRF token (access/service/sessions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from toldsystem.access import service
from toldsystem.access.authorisation import rule_of
from toldsystem.access.rules import Party, Rule, system_refusal
from toldsystem.access.service.sessions import CSRF_HEADER
from toldsystem.core.errors import Forbidden, Unauthenticated, problem

SESSION_COOKIE = "told_session"
CSRF_COOKIE = "told_csrf"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="An API token: `told users token`, `told access company-token`, "
                     "`told access officer-token`, or POST /api/v1/access/users/{username}/tokens.")
_cookie = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                       description="The web session set by POST /api/v1/access/session; a request that changes "
                       f"something sends the session's CSRF token in {CSRF_HEADER}.")


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a request brought to prove who it is, and what its route's rule needs."""

    token: str | None  # a bearer token (wins over a cookie)
    session: str | None  # the session cookie
    csrf: str | None  # the X-CSRF-Token header
    changes: bool  # a method that may change something (not GET, HEAD, OPTIONS)
    rule: Rule  # the route's rule (its system role)
    client: str | None


async def credentials_of(request: Request,
                         bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
                         session: Annotated[str | None, Depends(_cookie)]) -> Credentials | None:
    """Read without a worker thread; `party_of` turns them into a party."""
    if bearer is None and not session:
        return None
    return Credentials(bearer.credentials if bearer else None, None if bearer else session,
                       request.headers.get(CSRF_HEADER), request.method not in _SAFE,
                       _rule(request.method, request.scope["route"].path),
                       request.client.host if request.client else None)


def _rule(method: str, path: str) -> Rule:
    """The rule of the route (its path as the room's router has it, without /api/v1; or with it)."""
    found = rule_of(method, path if path.startswith("/api/") else "/api" + path)
    if found is None:  # every route has a rule (tests/access): one without is a bug, never a route left unchecked
        raise LookupError(f"{method} {path}: no rule in the authorisation table")
    return found[2]


def party_of(credentials: Credentials | None) -> Party:
    """The party behind the bearer token or the session, holding the system role its route needs."""
    if credentials is None:
        raise Unauthenticated(problem("auth.missing", "Authorization", "send 'Authorization: Bearer <token>'",
                                      "send 'Authorization: Bearer <nøgle>'"))
    if credentials.token is not None:
        party = service.authenticate(credentials.token).via("api", credentials.client)
    else:
        party = service.sessions.party(credentials.session, credentials.csrf, credentials.changes
                                       ).via("portal", credentials.client)
    refused = system_refusal(party, credentials.rule)
    if refused is not None:
        raise refused
    return party


# The credentials only, read without a worker thread; `party_of` turns them into a party.
CredentialsDep = Annotated[Credentials | None, Depends(credentials_of)]


def current_party(credentials: CredentialsDep) -> Party:
    """The party behind the bearer token or session."""
    return party_of(credentials)


def current_company(party: Annotated[Party, Depends(current_party)]) -> Party:
    """The party, who must be a company."""
    if party.is_officer:
        raise Forbidden(problem("auth.company_only", "Authorization", "only a company may do this",
                                "kun en virksomhed må gøre dette"))
    return party


PartyDep = Annotated[Party, Depends(current_party)]
CompanyDep = Annotated[Party, Depends(current_company)]
