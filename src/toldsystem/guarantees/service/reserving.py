"""Check and reserve at release, free at arrival, discharge at "conform" (seed 003 box 52).

Every change of an open amount is one conditional UPDATE of the guarantee row plus one
append-only ledger row, in the same transaction; the database, not Python, guards the
reference amount (see `check_and_reserve`). Every access code checked here is counted per
caller and GRN (attempts.py): a wrong one, or an unknown GRN, is a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import nullcontext
from decimal import Decimal

from sqlalchemy import Connection, and_, bindparam, insert, select, update
from sqlalchemy.dialects import sqlite

from toldsystem import db
from toldsystem.access.rules import OPERATOR, Party, officer_roles
from toldsystem.companies.rules import check_eori
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problem, Problems, Rejected, ToldError, problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.core.money import convert
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.authorisation import roles_towards_guarantee
from toldsystem.guarantees.rules import Guarantee, Reservation
from toldsystem.guarantees.service.attempts import count_failure_apart, count_success, refused_attempts
from toldsystem.prepared import Prepared
from toldsystem.guarantees.service.records import (ac, amount_of, amount_or_problem, cents, eur_rates, g,
                                                   guarantee_of, lg, require, reservation_of, rs, secret_key)

cf = store.code_failures

# The guarantee row joined with its active access-code digests; every check-and-reserve runs it.
_IDENTIFY = Prepared(select(g.c.grn, g.c.type, g.c.holder_eori, g.c.office_of_guarantee, g.c.reference_cents,
                            g.c.currency, g.c.status, g.c.not_valid_in, g.c.open_cents, g.c.uses, g.c.batch_id,
                            g.c.created_at, ac.c.digest)
                     .select_from(g.outerjoin(ac, and_(ac.c.grn == g.c.grn, ac.c.revoked_at.is_(None))))
                     .where(g.c.grn == bindparam("grn")))


def identify(conn: Connection, grn: str, access_code: str, holder_eori: str | None,
             proof: str | None = None) -> Guarantee | None:
    """The guarantee if it exists, is the holder's (when given) and the code (or its proof) matches; else
    None, whichever failed."""
    rows = _IDENTIFY.rows(conn, {"grn": grn})
    digests = [r.digest for r in rows if r.digest is not None]
    # Compute the HMAC even for an unknown GRN, so the answer takes the same time.
    matched = (rules.access_code_matches(secret_key(), grn, access_code, digests) if proof is None
               else rules.proof_matches(proof, digests))
    if not rows or not matched or (holder_eori is not None and rows[0].holder_eori != holder_eori):
        return None
    return guarantee_of(rows[0])


def _check_input(holder_eori: str, grn: str, access_code: str | None, amount, currency: str,
                 route_countries: Sequence[str], movement_ref: str) -> Decimal:
    """Format checks before any lookup, all reported together; returns the parsed amount."""
    found = Problems()
    found.add(check_eori(holder_eori, "holder/identificationNumber"))
    found.add(rules.check_grn_format(grn))
    if access_code is not None:  # None: the caller holds the code's proof instead (access_code_proof)
        found.add(rules.check_access_code_format(access_code))
    value = amount_or_problem(amount, "guarantee/amountToBeCovered", found)
    found.add(rules.check_currency_known(currency, eur_rates()))
    found.add(rules.check_country_codes(route_countries))
    found.add(rules.check_movement_ref(movement_ref))
    found.raise_if_any()
    return value


class _Replay(Exception):
    """Internal: the movement already holds a reservation on this GRN; undo and return that one."""


class _CodeNotAccepted(Rejected):
    """Internal: unknown GRN, another holder's, or a wrong code — a failure to count once the check is undone."""


class _UndoReservations(Exception):
    """Raised inside the savepoint so that a partly valid set of guarantees reserves nothing."""


def check_and_reserve(holder_eori: str, grn: str, access_code: str, amount: Decimal | str, currency: str,
                      route_countries: Sequence[str], movement_ref: str, caller: str | None = None,
                      proof: str | None = None) -> Reservation:
    """Check a guarantee at release and reserve the amount for the movement, or raise Rejected with every reason (CC055C).

    Order: the caller (the sending company; the holder by default) is not waiting or locked out
    for this GRN (else TooManyAttempts, and no code is checked); GRN exists, is the holder's, the
    access code matches (one answer for all three, counted as a failure of the caller's); the
    guarantee is usable, valid in every route country, and covers the amount. Reserving the same
    movement on the same GRN again returns the first reservation.

    Round trips: one SELECT (guarantee joined with its code digests, no lock), then the write:
    on PostgreSQL one statement (store.RESERVE_POSTGRES: conditional UPDATE + reservation +
    ledger row); on SQLite, where BEGIN IMMEDIATE already serialises writers, the same three
    statements one after another. For a guarantee this process has reserved on before, the
    SELECT is left out: the conditional UPDATE checks the holder and access code itself, and that
    the caller has no failures on record (`_reserve_known`); only a refusal, or a caller with
    failures, takes the full path.

    `proof` (from `access_code_proof`) stands for the access code when the caller may not keep the code
    itself: a pre-lodged declaration checked when its goods are presented.
    """
    holder_eori = normalise_eori(holder_eori) if holder_eori else ""
    caller = caller or holder_eori
    try:
        return _check_and_reserve(holder_eori, grn, access_code, amount, currency, route_countries, movement_ref,
                                  caller, proof)
    except _CodeNotAccepted as refused:
        count_failure_apart(caller, grn)  # the check's own unit of work was undone with the refusal
        raise Rejected(refused.problems) from None


def check_and_reserve_for(party: Party, grn: str, access_code: str, amount: Decimal | str, currency: str,
                          route_countries: Sequence[str], movement_ref: str) -> Reservation:
    """A test reservation by a company on its own guarantee; officers do not reserve (403, whatever the GRN).
    Another holder's guarantee is refused exactly as an unknown GRN or a wrong code."""
    roles = roles_towards_guarantee(party, party.eori, None)  # as its holder, if it is the guarantee's holder at all
    require("guarantee.check_and_reserve", roles, NotFound([]))
    return check_and_reserve(party.eori or "", grn, access_code, amount, currency, route_countries, movement_ref,
                             caller=party.key)


def reserve_all(holder_eori: str, references: Sequence[tuple[str, str, str, str]], route_countries: Sequence[str],
                movement_ref: str, caller: str | None = None,
                proofs: dict[str, str] | None = None) -> list[tuple[str, list[Problem]]]:
    """Reserve every (GRN, access code, amount, currency) of a declaration for the movement, or none; the reasons
    per refused GRN (box 52). A GRN given without its code is checked with its proof from `proofs`, if any.
    Wrong codes are counted even though the reservations are undone."""
    proofs = proofs or {}
    invalid: list[tuple[str, list[Problem]]] = []
    if len(references) <= 1:  # a refused reservation already leaves nothing behind (its own savepoint)
        for grn, code, amount, currency in references:
            try:
                check_and_reserve(holder_eori, grn, code, amount, currency, route_countries, movement_ref, caller,
                                  None if code else proofs.get(grn))
            except ToldError as refused:
                invalid.append((grn or "-", refused.problems))
        return invalid
    holder_eori = normalise_eori(holder_eori) if holder_eori else ""
    caller = caller or holder_eori
    wrong_codes = []
    try:
        with db.transaction():
            for grn, code, amount, currency in references:
                try:
                    _check_and_reserve(holder_eori, grn, code, amount, currency, route_countries, movement_ref,
                                       caller, None if code else proofs.get(grn))
                except _CodeNotAccepted as refused:
                    wrong_codes.append(grn)
                    invalid.append((grn or "-", refused.problems))
                except ToldError as refused:
                    invalid.append((grn or "-", refused.problems))
            if invalid:
                raise _UndoReservations
    except _UndoReservations:
        pass
    for grn in wrong_codes:
        count_failure_apart(caller, grn)
    return invalid


def _check_and_reserve(holder_eori: str, grn: str, access_code: str, amount: Decimal | str, currency: str,
                       route_countries: Sequence[str], movement_ref: str, caller: str,
                       proof: str | None = None) -> Reservation:
    route_countries = [(c or "").strip().upper() for c in route_countries]
    value = _check_input(holder_eori, grn, access_code if proof is None else None, amount, currency,
                         route_countries, movement_ref)
    now = clock.now()
    try:
        # Only the outermost unit of work queues: one already inside a transaction (a transit
        # intake) may hold locks, and taking the queue after them could deadlock with a caller
        # that holds the queue and waits for those locks.
        queue = nullcontext() if db.in_transaction() else _queue(grn)
        with queue, db.transaction() as conn:
            digest = proof if proof is not None else rules.access_code_digest(secret_key(), grn, access_code)
            fast = _reserve_known(conn, grn, digest, holder_eori, value, currency, route_countries,
                                  movement_ref, now, caller)
            if fast is not None:
                return fast
            attempts, waiting = refused_attempts(conn, caller, grn)
            if waiting is not None:
                raise waiting
            found = identify(conn, grn, access_code, holder_eori, proof)
            if found is None:
                raise _CodeNotAccepted(rules.guarantee_not_valid_problem())
            count_success(conn, caller, grn, attempts)
            converted = convert(value, currency, found.currency, eur_rates())
            problems = Problems()
            problems.add(rules.check_usable(found.status, found.type))
            problems.add(rules.check_valid_in_route(found.not_valid_in, route_countries))
            if not problems:
                problems.add(rules.check_covers(found, converted))
            if problems and _find_reservation(conn, movement_ref, grn) is not None:
                raise _Replay()
            problems.raise_if_any()
            params = {"grn": grn, "cents": cents(converted), "single_use": found.single_use,
                      "movement_ref": movement_ref, "currency": found.currency, "declared_cents": cents(value),
                      "declared_currency": currency, "now": now}
            write = _reserve_postgres if conn.dialect.name == "postgresql" else _reserve_generic
            _remember(conn, found)
            if not write(conn, params):
                if _find_reservation(conn, movement_ref, grn) is not None:
                    raise _Replay()
                raise _not_covered(converted, found.currency)
            return Reservation(movement_ref, grn, converted, found.currency, value, currency, rules.RESERVED, now)
    except _Replay:
        pass
    existing = _existing_reservation(movement_ref, grn)
    if existing.state != rules.RESERVED:
        # A movement reference names one movement: once its amount is freed or discharged, a new
        # reservation under it would look covered while nothing is held.
        raise Conflict(problem("reservation.closed", "movementReference",
                               f"movement {movement_ref}'s reservation on this guarantee was {existing.state}; "
                               "a movement reference is reserved once",
                               f"forsendelsen {movement_ref}s reservation på sikkerhedsstillelsen er afsluttet; "
                               "en forsendelsesreference reserveres kun én gang"))
    if existing.declared_amount != value or existing.declared_currency != currency:
        raise Conflict(problem("reservation.exists", "movementReference",
                               f"movement {movement_ref} already holds {existing.declared_amount} "
                               f"{existing.declared_currency} on this guarantee",
                               f"forsendelsen {movement_ref} har allerede en reservation på sikkerhedsstillelsen"))
    return existing


def access_code_proof(grn: str, access_code: str) -> str:
    """What GMS keeps of an access code (its keyed digest), for a caller that must check the guarantee
    later without keeping the code: check_and_reserve(..., proof=...) accepts it instead (SPEC G)."""
    return rules.access_code_digest(secret_key(), grn, access_code)


# This process's reservations on one GRN queue here before they reach the database. Not a
# guard — the conditional UPDATE is that, across processes too — but without it 16 threads
# stampede PostgreSQL's row lock (every commit wakes every waiter) and SQLite's busy handler
# (which sleeps in growing steps), and throughput falls below that of one thread.
_queues: dict[tuple[int, str], threading.Lock] = {}
_queues_guard = threading.Lock()


def _queue(grn: str) -> threading.Lock:
    key = (id(db.engine()), grn)
    with _queues_guard:
        if len(_queues) > 50_000:
            _queues.clear()
        return _queues.setdefault(key, threading.Lock())


# Immutable facts of guarantees this process has reserved on: (engine, GRN) → (holder, type,
# currency, limitations). Only a hint: the fast statement re-checks every one in the database.
_known: dict[tuple[int, str], tuple[str, str, str, str]] = {}


def _remember(conn: Connection, found: Guarantee) -> None:
    if len(_known) > 50_000:
        _known.clear()
    _known[(id(conn.engine), found.grn)] = (found.holder_eori, found.type, found.currency,
                                            ";".join(sorted(found.not_valid_in)))


def _reserve_known(conn: Connection, grn: str, digest: str, holder_eori: str, value: Decimal, currency: str,
                   route_countries: Sequence[str], movement_ref: str, now, caller: str) -> Reservation | None:
    """A guarantee seen before: check and reserve without reading it first (one statement on PostgreSQL,
    three on SQLite). None means "take the full path" (unknown here, a refusal whose reasons must be
    worked out, a caller with failures on record, or a stale hint); nothing was written."""
    hint = _known.get((id(conn.engine), grn))
    if hint is None or hint[0] != holder_eori:
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
        raise _Replay()  # rolls back the update
    if not held:
        return None
    return Reservation(movement_ref, grn, converted, guarantee_currency, value, currency, rules.RESERVED, now)


def _reserve_postgres(conn: Connection, params: dict) -> bool:
    """One round trip; True when reserved, False when the guarantee did not cover it; _Replay for a replay."""
    held, booked = _RESERVE_POSTGRES.run(conn, params).one()
    if held and not booked:
        raise _Replay()  # rolls back the update
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


def _reserve_generic(conn: Connection, params: dict) -> bool:
    """Reservation row (its primary key catches replays), ledger row, then the conditional update."""
    if _RESERVATION_ROW.run(conn, params).first() is None:
        raise _Replay()
    _LEDGER_ROW.run(conn, params)
    if _HOLD[params["single_use"]].run(conn, params | {"hold_grn": params["grn"]}).rowcount == 0:
        # another reservation took the room between our read and this update
        raise _not_covered(amount_of(params["cents"]), params["currency"])  # rolls back both rows
    return True


def _not_covered(amount: Decimal, currency: str) -> Rejected:
    return Rejected(problem("guarantee.not_covered", "guarantee/amountToBeCovered",
                            f"the guarantee does not cover {amount} {currency}",
                            f"sikkerhedsstillelsen dækker ikke {amount} {currency}"))


def _find_reservation(conn: Connection, movement_ref: str, grn: str):
    return conn.execute(select(rs.c.grn).where(rs.c.movement_ref == movement_ref, rs.c.grn == grn)).first()


def _existing_reservation(movement_ref: str, grn: str) -> Reservation:
    with db.reading() as conn:
        return reservation_of(conn.execute(select(rs).where(rs.c.movement_ref == movement_ref, rs.c.grn == grn)).one())


def _release(movement_ref: str, kind: str) -> list[Reservation]:
    """Free (arrival) or discharge ("conform") every reservation of a movement, each with its ledger row."""
    now = clock.now()
    from_states = (rules.RESERVED,) if kind == rules.FREE else (rules.RESERVED, rules.FREED)
    new_state = rules.FREED if kind == rules.FREE else rules.DISCHARGED
    stamp = {"freed_at": now} if kind == rules.FREE else {"discharged_at": now}
    with db.transaction() as conn:
        rows = conn.execute(select(rs).where(rs.c.movement_ref == movement_ref).order_by(rs.c.grn)).all()
        if not rows:
            raise NotFound(problem("reservation.unknown", "movementReference",
                                   f"no guarantee is reserved for movement {movement_ref}",
                                   f"der er ikke reserveret sikkerhed for forsendelsen {movement_ref}"))
        for row in rows:
            # Conditional on the state, so two concurrent arrivals cannot free twice.
            done = conn.execute(update(rs).where(rs.c.movement_ref == movement_ref, rs.c.grn == row.grn,
                                                 rs.c.state.in_(from_states)).values(state=new_state, **stamp))
            if done.rowcount == 0:
                continue  # already freed/discharged: nothing to do, nothing recorded
            still_open = row.amount_cents if row.state == rules.RESERVED else 0
            conn.execute(insert(lg).values(grn=row.grn, kind=kind, movement_ref=movement_ref, amount_cents=still_open,
                                           currency=row.currency, created_at=now))
            if still_open:
                conn.execute(update(g).where(g.c.grn == row.grn).values(open_cents=g.c.open_cents - still_open))
        result = conn.execute(select(rs).where(rs.c.movement_ref == movement_ref).order_by(rs.c.grn)).all()
    return [reservation_of(r) for r in result]


def free(movement_ref: str, *, by: Party = OPERATOR) -> list[Reservation]:
    """Arrival (IE006 at departure) frees the movement's amounts for reuse; freeing again changes nothing."""
    require("reservation.release", officer_roles(by), NotFound([]))
    return _release(movement_ref, rules.FREE)


def discharge(movement_ref: str, *, by: Party = OPERATOR) -> list[Reservation]:
    """Control result "conform" ends the movement and finally discharges its guarantees; again changes nothing."""
    require("reservation.release", officer_roles(by), NotFound([]))
    return _release(movement_ref, rules.DISCHARGE)
