"""Balance query by GRN and access code (NCTS phase 5 IE034 → IE037), limited and counted per caller;
answered for guarantee types 0, 1 and 9 (rules.BALANCE_TYPES)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, case

from toldsystem import config, db
from toldsystem.core import clock
from toldsystem.core.errors import Problems, Rejected, problem
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.rules import Balance
from toldsystem.guarantees.service.attempts import count_failure, count_success, refused_attempts
from toldsystem.guarantees.service.records import RateLimited, dialect_insert
from toldsystem.guarantees.service.reserving import identify
from toldsystem.guarantees.service.types import guarantee_types

bq = store.balance_query_windows


def _count_balance_query(conn: Connection, caller: str, grn: str) -> int:
    """This caller's queries on this GRN in the current one-minute window, counted atomically in the database.

    Counted in the database rather than in memory so that every API worker and the CLI share
    one limit, and a restart does not reset it. Unknown GRNs are counted too: otherwise the
    limit itself would tell which GRNs exist. Per caller, so that no company can use up the
    holder's queries (or anyone else's).
    """
    now = clock.now()
    fresh = bq.c.window_start <= now - timedelta(minutes=1)
    stmt = dialect_insert(conn, bq).values(caller=caller, grn=grn, window_start=now, count=1)
    stmt = stmt.on_conflict_do_update(index_elements=["caller", "grn"], set_={
        "count": case((fresh, 1), else_=bq.c.count + 1),
        "window_start": case((fresh, now), else_=bq.c.window_start)})
    return conn.execute(stmt.returning(bq.c.count)).scalar_one()


def balance(grn: str, access_code: str, *, caller: str) -> Balance:
    """Balance query by GRN and access code (IE034/IE037), by `caller` (Party.key); one answer for an unknown
    GRN or a wrong code, each counted as the caller's failure; no code is checked while the caller waits.
    A guarantee of a single-use type (2, 4) has no balance to tell: refused, once the code has matched."""
    found = Problems()
    found.add(rules.check_grn_format(grn))
    found.add(rules.check_access_code_format(access_code))
    found.raise_if_any()
    limit = config.settings().balance_queries_per_minute
    guarantee = waiting = None
    with db.transaction() as conn:
        count = _count_balance_query(conn, caller, grn)
        if count <= limit:
            attempts, waiting = refused_attempts(conn, caller, grn)
            if waiting is None:
                guarantee = identify(conn, grn, access_code, None)
                if guarantee is None:
                    count_failure(conn, caller, grn, attempts)
                else:
                    count_success(conn, caller, grn, attempts)
    if count > limit:
        raise RateLimited(problem("guarantee.balance_rate_limited", "guarantee/GRN",
                                  f"at most {limit} balance queries a minute per GRN; try again in a minute",
                                  f"højst {limit} saldoforespørgsler i minuttet pr. GRN; prøv igen om lidt"))
    if waiting is not None:
        raise waiting
    if guarantee is None:
        raise Rejected(rules.guarantee_not_valid_problem())
    found.add(rules.check_balance_available(guarantee.type, guarantee_types()))
    found.raise_if_any()
    return Balance(guarantee.grn, guarantee.reference_amount, guarantee.open_amount, guarantee.available,
                   guarantee.currency)
