"""Token use cases: issue for a company or an officer (of an office, or national), authenticate, revoke."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from toldsystem import db
from toldsystem.access import recent, rules, store
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.companies import store as companies_store
from toldsystem.companies.rules import is_eori_registered
from toldsystem.core import clock
from toldsystem.core.errors import Forbidden, NotFound, Rejected, Unauthenticated, problem
from toldsystem.prepared import Prepared
from toldsystem.reference import service as reference


def issue_company_token(eori: str, name: str, token: str | None = None) -> str:
    """A new API token acting for an EORI-registered company; the token is returned once, stored hashed."""
    company = companies.require_active(eori)
    return _issue("company", name, company.eori, token)


def issue_officer_token(name: str, token: str | None = None, office: str | None = None) -> str:
    """A new API token for a customs officer of `office` (one that exists), or a national officer (None)."""
    if office is not None and reference.snapshot().office(office) is None:
        raise Rejected(problem("office.unknown", "office", f"{office} is not a customs office in the reference data",
                               f"{office} er ikke et toldsted i referencedataene"))
    return _issue("officer", name, None, token, office)


def _issue(kind: str, name: str, eori: str | None, token: str | None, office: str | None = None) -> str:
    token = token or rules.new_token()
    with db.transaction() as conn:
        conn.execute(insert(store.api_tokens).values(digest=rules.token_digest(token), kind=kind, eori=eori,
                                                     name=name, office=office, created_at=clock.now()))
    return token


# Every request runs it: compiled once (see prepared.py). The company's registration comes in the
# same statement (a primary-key join), so a withdrawn registration stops its tokens at once, at no
# extra round trip.
_t, _c = store.api_tokens, companies_store.companies
_TOKEN = Prepared(select(_t.c.kind, _t.c.name, _t.c.eori, _t.c.office, _c.c.registered_import,
                         _c.c.registered_export)
                  .select_from(_t.outerjoin(_c, _c.c.eori == _t.c.eori))
                  .where(_t.c.digest == bindparam("digest"), _t.c.revoked_at.is_(None)))


def authenticate(token: str) -> Party:
    """The party behind a token, or Unauthenticated; a company no longer EORI-registered may not act (seed 000)."""
    digest = rules.token_digest(token)
    party = recent.get(digest)
    if party is not None:
        return party
    with db.reading() as conn:
        row = _TOKEN.run(conn, {"digest": digest}).first()
    if row is None:
        raise Unauthenticated(problem("auth.token", "Authorization", "unknown or revoked API token",
                                      "ukendt eller tilbagekaldt API-nøgle"))
    if row.kind == "company" and not is_eori_registered(bool(row.registered_import), bool(row.registered_export)):
        raise Forbidden(problem("auth.company_not_registered", "Authorization",
                                f"company {row.eori} is no longer EORI-registered (import or export) and may not act",
                                f"virksomheden {row.eori} er ikke længere EORI-registreret og må ikke handle"))
    party = Party(kind=row.kind, name=row.name, eori=row.eori, office=row.office)
    recent.keep(digest, party)
    return party


def revoke(token: str) -> None:
    """Revoke a token: it no longer authenticates."""
    with db.transaction() as conn:
        done = conn.execute(update(store.api_tokens).where(store.api_tokens.c.digest == rules.token_digest(token))
                            .values(revoked_at=clock.now()))
        db.after_commit(recent.forget)
    if done.rowcount == 0:
        raise NotFound(problem("auth.token", "token", "no such token", "ingen sådan nøgle"))
