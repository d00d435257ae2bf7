"""FastAPI dependencies: every call acts for a known party. What the party may do is each room's table
(authorisation.py), asked by its service; only "a company, not an officer" is decided here (webhooks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from toldsystem.access import service
from toldsystem.access.rules import Party
from toldsystem.core.errors import Forbidden, Unauthenticated, problem

_bearer = HTTPBearer(auto_error=False, description="An API token issued by `told access company-token` or `told access officer-token`.")


def party_of(credentials: HTTPAuthorizationCredentials | None) -> Party:
    """The party behind the Bearer token (for endpoints that authenticate inside their own worker call)."""
    if credentials is None:
        raise Unauthenticated(problem("auth.missing", "Authorization", "send 'Authorization: Bearer <token>'",
                                      "send 'Authorization: Bearer <nøgle>'"))
    return service.authenticate(credentials.credentials)


def current_party(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Party:
    """The party behind the Bearer token."""
    return party_of(credentials)


# The Bearer credentials only, read without a worker thread; `party_of` turns them into a party.
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def current_company(party: Annotated[Party, Depends(current_party)]) -> Party:
    """The party, who must be a company."""
    if party.is_officer:
        raise Forbidden(problem("auth.company_only", "Authorization", "only a company may do this",
                                "kun en virksomhed må gøre dette"))
    return party


PartyDep = Annotated[Party, Depends(current_party)]
CompanyDep = Annotated[Party, Depends(current_company)]
