"""Token use cases: issue for a user, for a company (its first administrator's token) or an officer (of an office,
or national), authenticate, revoke.

A token belongs to a user and carries the user's roles, as they are now: a role granted or revoked counts
within a second (recent.py). Tokens from before users (officers' tokens issued at the terminal) have no user
and keep every role; a company's token always belongs to a user (migration 0013_users gave the company's
existing tokens to its first administrator)."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from toldsystem import db
from toldsystem.access import recent, rules, store
from toldsystem.access.rules import ALL_ROLES, OPERATOR, Party, not_registered
from toldsystem.access.service import audit, users
from toldsystem.companies import service as companies
from toldsystem.companies import store as companies_store
from toldsystem.companies.rules import is_eori_registered
from toldsystem.core import clock
from toldsystem.core.errors import NotFound, Rejected, Unauthenticated, problem
from toldsystem.prepared import Prepared
from toldsystem.reference import service as reference


def issue_company_token(eori: str, name: str, token: str | None = None) -> str:
    """A new API token of an EORI-registered company's first administrator (made if the company has none yet):
    how the terminal, the demo and scripts from before users get a company's token. Returned once, stored hashed."""
    company = companies.require_active(eori)
    with db.transaction() as conn:
        user = users.first_administrator(conn, company.eori)
        return _issue(conn, "company", name, company.eori, token, None, user.id)


def issue_officer_token(name: str, token: str | None = None, office: str | None = None) -> str:
    """A new API token for a customs officer of `office` (one that exists), or a national officer (None)."""
    if office is not None and reference.snapshot().office(office) is None:
        raise Rejected(problem("office.unknown", "office", f"{office} is not a customs office in the reference data",
                               f"{office} er ikke et toldsted i referencedataene"))
    with db.transaction() as conn:
        return _issue(conn, "officer", name, None, token, office, None)


def issue_user_token(username: str, name: str, *, by: Party = OPERATOR) -> str:
    """A new API token of a user (its administrator issues it); it acts with the user's roles."""
    if not name or len(name) > 200:
        raise Rejected(problem("token.name", "name", "say what the token is for (at most 200 characters)",
                               "angiv hvad nøglen bruges til (højst 200 tegn)"))
    with db.transaction() as conn:
        row = users.row_of(conn, username)
        users.require("user.manage", by, row, username)
        token = _issue(conn, row.kind, name, row.eori, None, row.office, row.id)
        audit.record(conn, by, "user.token_issue", username, subject=row.eori, label=name)
    return token


def _issue(conn, kind: str, name: str, eori: str | None, token: str | None, office: str | None,
           user_id: int | None) -> str:
    token = token or rules.new_token()
    conn.execute(insert(store.api_tokens).values(digest=rules.token_digest(token), kind=kind, eori=eori, name=name,
                                                 office=office, created_at=clock.now(), user_id=user_id))
    return token


# Every request runs it: compiled once (see prepared.py). The company's registration and the user's roles come in
# the same statement (primary-key joins), so a withdrawn registration or a revoked role stops a token at once, at
# no extra round trip.
_t, _c, _u = store.api_tokens, companies_store.companies, store.users
_TOKEN = Prepared(select(_t.c.kind, _t.c.name, _t.c.eori, _t.c.office, _c.c.registered_import,
                         _c.c.registered_export, _u.c.username, _u.c.roles, _u.c.disabled_at, _t.c.user_id)
                  .select_from(_t.outerjoin(_c, _c.c.eori == _t.c.eori).outerjoin(_u, _u.c.id == _t.c.user_id))
                  .where(_t.c.digest == bindparam("digest"), _t.c.revoked_at.is_(None)))


def authenticate(token: str) -> Party:
    """The party behind a token, or Unauthenticated; a company no longer EORI-registered may not act (seed 000)."""
    digest = rules.token_digest(token)
    party = recent.get(digest)
    if party is not None:
        return party
    with db.reading() as conn:
        row = _TOKEN.run(conn, {"digest": digest}).first()
    if row is None or row.disabled_at is not None:
        raise Unauthenticated(problem("auth.token", "Authorization", "unknown or revoked API token",
                                      "ukendt eller tilbagekaldt API-nøgle"))
    if row.kind == "company" and not is_eori_registered(bool(row.registered_import), bool(row.registered_export)):
        raise not_registered(row.eori, "Authorization")
    roles = ALL_ROLES if row.user_id is None else rules.parse_roles(row.roles)
    party = Party(kind=row.kind, name=row.name, eori=row.eori, office=row.office, user=row.username, roles=roles,
                  channel="api")
    recent.keep(digest, party)
    return party


def revoke(token: str, *, by: Party = OPERATOR) -> None:
    """Revoke a token: it no longer authenticates."""
    t, digest = store.api_tokens, rules.token_digest(token)
    with db.transaction() as conn:
        row = conn.execute(select(t.c.name, t.c.eori, _u.c.username).select_from(t.outerjoin(_u, _u.c.id == t.c.user_id))
                           .where(t.c.digest == digest)).first()
        if row is None:
            raise NotFound(problem("auth.token", "token", "no such token", "ingen sådan nøgle"))
        conn.execute(update(t).where(t.c.digest == digest).values(revoked_at=clock.now()))
        audit.record(conn, by, "token.revoke", row.username or row.name, subject=row.eori, label=row.name)
        db.after_commit(recent.forget)
