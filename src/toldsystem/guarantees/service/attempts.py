"""Wrong access codes per caller and GRN: counted wherever a code is checked, waited out, locked, cleared.

A declaration, an amendment, a balance query and a test reservation all ask `refused_attempts`
before a code is checked and `count_failure` / `count_success` after (see rules_codes.py for
the waits). The holder sees who failed on its guarantees and may clear a caller's lock.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import NotFound, problem
from toldsystem.guarantees import rules_codes, store
from toldsystem.guarantees.rules_codes import CodeAttempts
from toldsystem.guarantees.service.codes import guarantee_for
from toldsystem.guarantees.service.records import TooManyAttempts
from toldsystem.prepared import Prepared

log = logging.getLogger(__name__)
cf = store.code_failures

_ATTEMPTS = Prepared(select(cf).where(cf.c.caller == bindparam("caller"), cf.c.grn == bindparam("grn")))


def _attempts(row) -> CodeAttempts:
    return CodeAttempts(row.caller, row.grn, row.failures, row.first_failed_at, row.last_failed_at, row.blocked_until,
                        row.locked)


def attempts_of(conn: Connection, caller: str, grn: str) -> CodeAttempts | None:
    """The caller's record of wrong codes for this GRN, if it has one."""
    row = _ATTEMPTS.run(conn, {"caller": caller, "grn": grn}).first()
    return _attempts(row) if row else None


def refused_attempts(conn: Connection, caller: str, grn: str) -> tuple[CodeAttempts | None, TooManyAttempts | None]:
    """The caller's record, and the refusal to give instead of checking a code while it waits or is locked out."""
    found = attempts_of(conn, caller, grn)
    why = rules_codes.attempts_problem(found, clock.now())
    return found, (TooManyAttempts(why) if why else None)


def count_failure(conn: Connection, caller: str, grn: str, previous: CodeAttempts | None) -> CodeAttempts:
    """One more wrong code (or unknown GRN) from the caller for this GRN."""
    after = rules_codes.after_failure(previous, caller, grn, clock.now())
    values = {"failures": after.failures, "first_failed_at": after.first_failed_at,
              "last_failed_at": after.last_failed_at, "blocked_until": after.blocked_until, "locked": after.locked}
    if previous is None:
        conn.execute(insert(cf).values(caller=caller, grn=grn, **values))
    else:
        conn.execute(update(cf).where(cf.c.caller == caller, cf.c.grn == grn).values(**values))
    if after.locked and not (previous and previous.locked):
        log.warning("caller %s locked out of guarantee %s after %d wrong access codes", caller, grn, after.failures)
    return after


def count_success(conn: Connection, caller: str, grn: str, previous: CodeAttempts | None) -> None:
    """A right code ends the run of failures (only a caller that had some pays a write)."""
    if previous is not None:
        conn.execute(delete(cf).where(cf.c.caller == caller, cf.c.grn == grn))


def count_failure_apart(caller: str, grn: str) -> None:
    """Count a failure in a unit of work of its own, for a check whose own writes were undone."""
    with db.transaction() as conn:
        count_failure(conn, caller, grn, attempts_of(conn, caller, grn))


def failed_attempts(party: Party, grn: str) -> list[CodeAttempts]:
    """Who sent wrong codes for the guarantee (the holder's or its office's view), most recent first."""
    with db.reading() as conn:
        guarantee_for(conn, party, grn, "code_attempts.read")
        rows = conn.execute(select(cf).where(cf.c.grn == grn).order_by(cf.c.last_failed_at.desc(), cf.c.caller))
        return [_attempts(r) for r in rows]


def clear_failed_attempts(party: Party, grn: str, caller: str) -> CodeAttempts:
    """The holder (or an officer of its office) clears a caller's wait or lockout on the guarantee."""
    with db.transaction() as conn:
        guarantee_for(conn, party, grn, "code_attempts.clear")
        found = attempts_of(conn, caller, grn)
        if found is None:
            raise NotFound(problem("attempts.unknown", "caller", f"{caller} has no failed attempts on {grn}",
                                   f"{caller} har ingen fejlede forsøg på {grn}"))
        conn.execute(delete(cf).where(cf.c.caller == caller, cf.c.grn == grn))
    log.info("failed attempts of %s on guarantee %s cleared by %s", caller, grn, party.key)
    return found
