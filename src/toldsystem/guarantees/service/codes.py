"""Access codes: issued once in clear, kept as a keyed hash; the holder adds, changes, revokes and lists them."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, insert, select, update

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.access.service import audit
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problems, Rejected, problem
from toldsystem.guarantees import rules
from toldsystem.guarantees.authorisation import roles_towards_guarantee
from toldsystem.guarantees.rules import AccessCode, IssuedCode
from toldsystem.guarantees.service.records import ac, g, require, secret_key, unknown_guarantee

log = logging.getLogger(__name__)


def _active_digests(conn: Connection, grn: str) -> list[str]:
    return list(conn.execute(select(ac.c.digest).where(ac.c.grn == grn, ac.c.revoked_at.is_(None))).scalars())


def issue_code(conn: Connection, grn: str, label: str, code: str | None = None) -> IssuedCode:
    """Store a new access code's digest; the clear code goes back to the caller only."""
    existing = _active_digests(conn, grn)
    chosen = code is not None
    while True:
        code = rules.normalise_access_code(code) if chosen else rules.new_access_code()
        digest = rules.access_code_digest(secret_key(), grn, code)
        if digest not in existing:
            break
        if chosen:
            raise Conflict(problem("guarantee.access_code_in_use", "access_code",
                                   "this guarantee already has that access code; choose another",
                                   "sikkerhedsstillelsen har allerede denne adgangskode; vælg en anden"))
    new_id = conn.execute(insert(ac).values(grn=grn, label=label.strip(), digest=digest, created_at=clock.now())
                          .returning(ac.c.id)).scalar_one()
    log.info("access code %s issued for guarantee %s (%s)", new_id, grn, label.strip())
    return IssuedCode(new_id, grn, label.strip(), code)


def guarantee_for(conn: Connection, party: Party, grn: str, rule_name: str):
    """The guarantee's row, if the table lets the party act on it; else answered as an unknown GRN."""
    row = conn.execute(select(g).where(g.c.grn == grn)).first()
    roles = roles_towards_guarantee(party, row.holder_eori if row else None, row.office_of_guarantee if row else None)
    require(rule_name, roles, unknown_guarantee(grn), "guarantee.read")
    if row is None:
        raise unknown_guarantee(grn)
    return row


def add_access_code(holder: Party, grn: str, label: str, code: str | None = None) -> IssuedCode:
    """The holder authorises a person with a new access code (chosen or generated); the code is shown once."""
    found = Problems()
    found.add(rules.check_access_code_label(label))
    if code is not None:
        found.add(rules.check_access_code_format(code, "access_code"))
    found.raise_if_any()
    with db.transaction() as conn:
        row = guarantee_for(conn, holder, grn, "access_code.manage")
        issued = issue_code(conn, grn, label, code)
        audit.record(conn, holder, "guarantee.code_add", grn, subject=row.holder_eori, code_id=issued.id, label=label)
        return issued


def _revoke_code(conn: Connection, grn: str, code_id: int):
    done = conn.execute(update(ac).where(ac.c.id == code_id, ac.c.grn == grn, ac.c.revoked_at.is_(None))
                        .values(revoked_at=clock.now()))
    row = conn.execute(select(ac).where(ac.c.id == code_id, ac.c.grn == grn)).first()
    if row is None:
        raise NotFound(problem("access_code.unknown", "code_id", f"guarantee {grn} has no access code {code_id}",
                               f"sikkerhedsstillelse {grn} har ingen adgangskode {code_id}"))
    if done.rowcount == 0:
        raise Conflict(problem("access_code.revoked", "code_id", f"access code {code_id} is already revoked",
                               f"adgangskode {code_id} er allerede tilbagekaldt"))
    return row


def change_access_code(holder: Party, grn: str, code_id: int, code: str | None = None) -> IssuedCode:
    """The holder changes an access code at any time: the old one stops working, the same person gets a new one."""
    if code is not None:
        found = rules.check_access_code_format(code, "access_code")
        if found:
            raise Rejected(found)
    with db.transaction() as conn:
        row = guarantee_for(conn, holder, grn, "access_code.manage")
        old = _revoke_code(conn, grn, code_id)
        issued = issue_code(conn, grn, old.label, code)
        audit.record(conn, holder, "guarantee.code_change", grn, subject=row.holder_eori, code_id=code_id,
                     new_code_id=issued.id)
        return issued


def revoke_access_code(holder: Party, grn: str, code_id: int) -> AccessCode:
    """The holder withdraws a person's access code; it no longer works."""
    with db.transaction() as conn:
        guarantee = guarantee_for(conn, holder, grn, "access_code.manage")
        _revoke_code(conn, grn, code_id)
        row = conn.execute(select(ac).where(ac.c.id == code_id)).one()
        audit.record(conn, holder, "guarantee.code_revoke", grn, subject=guarantee.holder_eori, code_id=code_id)
    log.info("access code %s of guarantee %s revoked", code_id, grn)
    return AccessCode(row.id, row.grn, row.label, row.created_at, row.revoked_at)


def access_codes(holder: Party, grn: str) -> list[AccessCode]:
    """The holder's list of authorised persons for a guarantee (labels and dates, never codes)."""
    with db.reading() as conn:
        guarantee_for(conn, holder, grn, "access_code.manage")
        rows = conn.execute(select(ac).where(ac.c.grn == grn).order_by(ac.c.id))
        return [AccessCode(r.id, r.grn, r.label, r.created_at, r.revoked_at) for r in rows]
