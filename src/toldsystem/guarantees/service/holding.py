"""The guarded writes of a reservation: the conditional UPDATE that holds an amount only if it is
covered, with its reservation and ledger rows, in one statement on PostgreSQL and three on SQLite;
the fast path for a guarantee this process has reserved on before; and the per-GRN queue.

reserving.py decides whether a guarantee may be used; this module writes the reservation so
that, whatever the concurrency, the reference amount is never overspent (seed 003; SPEC G).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects import sqlite

from toldsystem import db
from toldsystem.core.errors import Rejected, problem
from toldsystem.core.money import convert
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.rules import Guarantee, Reservation
from toldsystem.guarantees.service.records import ac, amount_of, cents, eur_rates, g, lg, reservation_of, rs
from toldsystem.prepared import Prepared

cf = store.code_failures


class Replay(Exception):
    """The movement already holds a reservation on this GRN; undo and return that one."""


# This process's reservations on one GRN queue here before they reach the database. Not a
# guard — the conditional UPDATE is that, across processes too — but without it 16 threads
# stampede PostgreSQL's row lock (every commit wakes every waiter) and SQLite's busy handler
# (which sleeps in growing steps), and throughput falls below that of one thread.
_queues: dict[tuple[int, str], threading.Lock] = {}
_queues_guard = threading.Lock()


def queue_for(grn: str) -> threading.Lock:
    key = (id(db.engine()), grn)
    with _queues_guard:
        if len(_queues) > 50_000:
            _queues.clear()
        return _queues.setdefault(key, threading.Lock())


# Immutable facts of guarantees this process has reserved on: (engine, GRN) → (holder, type,
# currency, limitations). Only a hint: the fast statement re-checks every one in the database.
_known: dict[tuple[int, str], tuple[str, str, str, str]] = {}


def remember(conn: Connection, found: Guarantee) -> None:
    if len(_known) > 50_000:
        _known.clear()
    _known[(id(conn.engine), found.grn)] = (found.holder_eori, found.type, found.currency,
                                            ";".join(sorted(found.not_valid_in)))


def reserve_known(conn: Connection, grn: str, digest: str, holder_eori: str, value: Decimal, currency: str,
                  route_countries: Sequence[str], movement_ref: str, now, caller: str,
                  declared_type: str | None = None) -> Reservation | None:
    """A guarantee seen before: check and reserve without reading it first (one statement on PostgreSQL,
    three on SQLite). None means "take the full path" (unknown here, a refusal whose reasons must be
    worked out, a caller with failures on record, or a stale hint); nothing was written."""
    hint = _known.get((id(conn.engine), grn))
    if hint is None or hint[0] != holder_eori or (declared_type is not None and hint[1] != declared_type):
        return None
    holder, guarantee_type, guarantee_currency, not_valid_in = hint
    if rules.check_valid_in_route(not_valid_in.split(";") if not_valid_in else (), route_countries):
        return None
    converted = convert(value, currency, guarantee_currency, eur_rates())
    params = {"grn": grn, "cents": cents(converted), "single_use": guarantee_type in rules.SINGLE_USE_TYPES,
              "movement_ref": movement_ref, "currency": guarantee_currency, "declared_cents": cents(value),
              "declared_currency": currency, "now": now, "holder": holder, "type": guarantee_type,
              "not_valid_in": not_valid_in, "digest": digest,
              "caller": caller}
    held, booked = (_RESERVE_POSTGRES_KNOWN.run(conn, params).one() if conn.dialect.name == "postgresql"
                    else _reserve_known_generic(conn, params))
    if held and not booked:
        raise Replay()  # rolls back the update
    if not held:
        return None
    return Reservation(movement_ref, grn, converted, guarantee_currency, value, currency, rules.RESERVED, now)


def reserve_postgres(conn: Connection, params: dict) -> bool:
    """One round trip; True when reserved, False when the guarantee did not cover it; Replay for a replay."""
    held, booked = _RESERVE_POSTGRES.run(conn, params).one()
    if held and not booked:
        raise Replay()  # rolls back the update
    return bool(held)


# Compiled once (see prepared.py): the PostgreSQL statements, and the SQLite path's three.
_RESERVE_POSTGRES = Prepared(store.RESERVE_POSTGRES)
_RESERVE_POSTGRES_KNOWN = Prepared(store.RESERVE_POSTGRES_KNOWN)
_RESERVATION_ROW = Prepared(sqlite.insert(rs).values(
    movement_ref=bindparam("movement_ref"), grn=bindparam("grn"), amount_cents=bindparam("cents"),
    currency=bindparam("currency"), declared_cents=bindparam("declared_cents"),
    declared_currency=bindparam("declared_currency"), state=rules.RESERVED, created_at=bindparam("now"))
    .on_conflict_do_nothing(index_elements=["movement_ref", "grn"]).returning(rs.c.grn))
_LEDGER_ROW = Prepared(insert(lg).values(grn=bindparam("grn"), kind=rules.RESERVE,
                                         movement_ref=bindparam("movement_ref"), amount_cents=bindparam("cents"),
                                         currency=bindparam("currency"), created_at=bindparam("now")))


def _hold(single_use: bool, *identity) -> Prepared:
    """The guard of every reservation: a conditional UPDATE that holds the amount only if it is covered
    (and an individual guarantee or voucher is unused), plus any `identity` conditions."""
    return Prepared(update(g).where(g.c.grn == bindparam("hold_grn"), g.c.status == rules.REGISTERED,
                                    g.c.open_cents + bindparam("cents") <= g.c.reference_cents,
                                    *([g.c.uses == 0] if single_use else []), *identity)
                    .values(open_cents=g.c.open_cents + bindparam("cents"), uses=g.c.uses + 1))


_HOLD = {single_use: _hold(single_use) for single_use in (False, True)}
# store.RESERVE_POSTGRES_KNOWN's guard as an UPDATE of its own, for SQLite.
_HOLD_KNOWN = {single_use: _hold(
    single_use, g.c.holder_eori == bindparam("holder"), g.c.type == bindparam("type"),
    g.c.currency == bindparam("currency"), g.c.not_valid_in == bindparam("not_valid_in"),
    select(ac.c.id).where(ac.c.grn == g.c.grn, ac.c.digest == bindparam("digest"), ac.c.revoked_at.is_(None)).exists(),
    ~select(cf.c.grn).where(cf.c.caller == bindparam("caller"), cf.c.grn == g.c.grn).exists())
    for single_use in (False, True)}


def _reserve_known_generic(conn: Connection, params: dict) -> tuple[bool, bool]:
    """What RESERVE_POSTGRES_KNOWN answers (held, booked), in three statements: the guard, then the rows."""
    if _HOLD_KNOWN[params["single_use"]].run(conn, params | {"hold_grn": params["grn"]}).rowcount == 0:
        return False, False
    if _RESERVATION_ROW.run(conn, params).first() is None:
        return True, False
    _LEDGER_ROW.run(conn, params)
    return True, True


def reserve_generic(conn: Connection, params: dict) -> bool:
    """Reservation row (its primary key catches replays), ledger row, then the conditional update."""
    if _RESERVATION_ROW.run(conn, params).first() is None:
        raise Replay()
    _LEDGER_ROW.run(conn, params)
    if _HOLD[params["single_use"]].run(conn, params | {"hold_grn": params["grn"]}).rowcount == 0:
        # another reservation took the room between our read and this update
        raise not_covered(amount_of(params["cents"]), params["currency"])  # rolls back both rows
    return True


def not_covered(amount: Decimal, currency: str) -> Rejected:
    return Rejected(problem("guarantee.not_covered", "guarantee/amountToBeCovered",
                            f"the guarantee does not cover {amount} {currency}",
                            f"sikkerhedsstillelsen dækker ikke {amount} {currency}"))


def find_reservation(conn: Connection, movement_ref: str, grn: str):
    return conn.execute(select(rs.c.grn).where(rs.c.movement_ref == movement_ref, rs.c.grn == grn)).first()


def existing_reservation(movement_ref: str, grn: str) -> Reservation:
    with db.reading() as conn:
        return reservation_of(conn.execute(select(rs).where(rs.c.movement_ref == movement_ref, rs.c.grn == grn)).one())


