"""Token use cases: issue for a company or an officer, authenticate, revoke."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from toldsystem import db
from toldsystem.access import rules, store
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.core.errors import NotFound, Unauthenticated, problem
from toldsystem.prepared import Prepared


def issue_company_token(eori: str, name: str, token: str | None = None) -> str:
    """A new API token acting for an EORI-registered company; the token is returned once, stored hashed."""
    company = companies.require_active(eori)
    return _issue("company", name, company.eori, token)


def issue_officer_token(name: str, token: str | None = None) -> str:
    """A new API token for a customs officer."""
    return _issue("officer", name, None, token)


def _issue(kind: str, name: str, eori: str | None, token: str | None) -> str:
    token = token or rules.new_token()
    with db.transaction() as conn:
        conn.execute(insert(store.api_tokens).values(digest=rules.token_digest(token), kind=kind, eori=eori,
                                                     name=name, created_at=clock.now()))
    return token


# Every request runs it: compiled once (see prepared.py).
_TOKEN = Prepared(select(store.api_tokens.c.kind, store.api_tokens.c.name, store.api_tokens.c.eori)
                  .where(store.api_tokens.c.digest == bindparam("digest"), store.api_tokens.c.revoked_at.is_(None)))


def authenticate(token: str) -> Party:
    """The party behind a token, or Unauthenticated."""
    with db.reading() as conn:
        row = _TOKEN.run(conn, {"digest": rules.token_digest(token)}).first()
    if row is None:
        raise Unauthenticated(problem("auth.token", "Authorization", "unknown or revoked API token",
                                      "ukendt eller tilbagekaldt API-nøgle"))
    return Party(kind=row.kind, name=row.name, eori=row.eori)


def revoke(token: str) -> None:
    """Revoke a token: it no longer authenticates."""
    with db.transaction() as conn:
        done = conn.execute(update(store.api_tokens).where(store.api_tokens.c.digest == rules.token_digest(token))
                            .values(revoked_at=clock.now()))
    if done.rowcount == 0:
        raise NotFound(problem("auth.token", "token", "no such token", "ingen sådan nøgle"))
