"""Guarantee use cases: register, approve, sell and register vouchers, manage access codes,
check and reserve at release, free at arrival, discharge at "conform", balance queries.

Every change of an open amount is one conditional UPDATE of the guarantee row plus one
append-only ledger row, in the same transaction; the database, not Python, guards the
reference amount (see `check_and_reserve`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import Connection, and_, bindparam, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from toldsystem import config, db
from toldsystem.companies import service as companies
from toldsystem.companies.rules import Company
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problem, Problems, Rejected, ToldError, problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.core.money import convert, parse_amount
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.rules import (AccessCode, Balance, Guarantee, IssuedCode, LedgerEntry, Reservation)
from toldsystem.prepared import Prepared
from toldsystem.reference import service as reference

log = logging.getLogger(__name__)

g = store.guarantees
ac = store.access_codes
rs = store.reservations
lg = store.ledger


class RateLimited(ToldError):
    """Too many balance queries for this GRN; try again in a minute."""

    status = 429


@dataclass(frozen=True, slots=True)
class VoucherBatch:
    """A batch of TC32 vouchers sold to one buyer; `vouchers` carries the codes only when just sold."""

    id: int
    base_grn: str
    buyer_eori: str
    office_of_guarantee: str
    count: int
    registered: bool
    vouchers: tuple[IssuedCode, ...] = ()


# --- conversions ---------------------------------------------------------------------------

def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _amount(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def _guarantee(row) -> Guarantee:
    return Guarantee(row.grn, row.type, row.holder_eori, row.office_of_guarantee, _amount(row.reference_cents),
                     row.currency, row.status, frozenset(c for c in row.not_valid_in.split(";") if c),
                     _amount(row.open_cents), row.uses, row.batch_id, row.created_at)


def _reservation(row) -> Reservation:
    return Reservation(row.movement_ref, row.grn, _amount(row.amount_cents), row.currency,
                       _amount(row.declared_cents), row.declared_currency, row.state, row.created_at)


_rates_cache: dict[int, dict[str, Decimal]] = {}


def _eur_rates() -> dict[str, Decimal]:
    """Units per EUR of every reference currency, from the cached reference snapshot."""
    snap = reference.snapshot()
    rates = _rates_cache.get(id(snap))
    if rates is None:
        _rates_cache.clear()
        rates = _rates_cache[id(snap)] = {c.code: c.eur_rate for c in snap.currencies.values()}
    return rates


def _key() -> bytes:
    return config.settings().secret_key


def _dialect_insert(conn: Connection, table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def _unknown_guarantee(grn: str, pointer: str = "grn") -> NotFound:
    return NotFound(problem("guarantee.unknown", pointer, f"no guarantee {grn} is registered for you",
                            f"ingen sikkerhedsstillelse {grn} er registreret for dig"))


# --- registration ------------------------------------------------------------------------------

def _office_problem(code: str, pointer: str = "office_of_guarantee") -> Problem | None:
    office = reference.snapshot().office(code)
    if office is None or not office.may_act_as("GUA"):
        return problem("office.not_guarantee", pointer, f"{code} is not an office of guarantee (role GUA)",
                       f"{code} er ikke et garantitoldsted (rolle GUA)")
    return None


def _amount_or_problem(value, pointer: str, found: Problems) -> Decimal:
    parsed = parse_amount(value, pointer)
    if isinstance(parsed, Problem):
        found.add(parsed)
        return Decimal(0)
    return parsed


def _next_serial(conn: Connection, name: str) -> int:
    """A serial allocated atomically in the database: insert 1 or increment, returning the new value."""
    stmt = _dialect_insert(conn, store.counters).values(name=name, n=1)
    stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={"n": store.counters.c.n + 1})
    return conn.execute(stmt.returning(store.counters.c.n)).scalar_one()


def _allocate_grn(conn: Connection, office_of_guarantee: str) -> str:
    year = clock.local(clock.now()).year
    serial = _next_serial(conn, f"grn:{year}:{office_of_guarantee}")
    return rules.new_grn(year, office_of_guarantee, serial)


def _active_digests(conn: Connection, grn: str) -> list[str]:
    return list(conn.execute(select(ac.c.digest).where(ac.c.grn == grn, ac.c.revoked_at.is_(None))).scalars())


def _issue_code(conn: Connection, grn: str, label: str, code: str | None = None) -> IssuedCode:
    """Store a new access code's digest; the clear code goes back to the caller only."""
    existing = _active_digests(conn, grn)
    chosen = code is not None
    while True:
        code = rules.normalise_access_code(code) if chosen else rules.new_access_code()
        digest = rules.access_code_digest(_key(), grn, code)
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


def _insert_guarantee(conn: Connection, **values) -> None:
    values.setdefault("open_cents", 0)
    values.setdefault("uses", 0)
    values.setdefault("created_at", clock.now())
    conn.execute(insert(g).values(**values))


def _limitations(not_valid_in: Iterable[str], found: Problems) -> str:
    countries = sorted({c.strip().upper() for c in not_valid_in if c and c.strip()})
    found.add(rules.check_limitation_countries(countries))
    return ";".join(countries)


def _checked_registration(holder_eori: str, type_problem: Problem | None, amount: Decimal | str, amount_field: str,
                          currency: str, office_of_guarantee: str, not_valid_in: Iterable[str],
                          access_code_label: str, access_code: str | None) -> tuple[Company, Decimal, str]:
    """The checks every registration makes, all reported together: holder, amount, currency, office, limitations, code."""
    holder = companies.require_active(normalise_eori(holder_eori), "holder_eori")
    found = Problems()
    found.add(type_problem)
    value = _amount_or_problem(amount, amount_field, found)
    found.add(rules.check_currency_known(currency, _eur_rates(), "currency"))
    found.add(_office_problem(office_of_guarantee))
    limitations = _limitations(not_valid_in, found)
    found.add(rules.check_access_code_label(access_code_label, "access_code_label"))
    if access_code is not None:
        found.add(rules.check_access_code_format(access_code, "access_code"))
    found.raise_if_any()
    return holder, value, limitations


def _registered(access_code_label: str, access_code: str | None, **columns) -> tuple[Guarantee, IssuedCode]:
    """Allocate the GRN, store the guarantee and issue its first access code, in one unit of work."""
    with db.transaction() as conn:
        grn = _allocate_grn(conn, columns["office_of_guarantee"])
        _insert_guarantee(conn, grn=grn, **columns)
        issued = _issue_code(conn, grn, access_code_label, access_code)
    return get(grn), issued


def register_comprehensive(holder_eori: str, reference_amount: Decimal | str, currency: str = "EUR", *,
                           office_of_guarantee: str, guarantee_type: str = "1", not_valid_in: Iterable[str] = (),
                           access_code_label: str = "Hovedforpligtede", access_code: str | None = None,
                           ) -> tuple[Guarantee, IssuedCode]:
    """Register a comprehensive guarantee (or waiver) at the office of guarantee (officer); returns it and its first access code."""
    holder, amount, limitations = _checked_registration(
        holder_eori, rules.check_comprehensive_type(guarantee_type, "guarantee_type"), reference_amount,
        "reference_amount", currency, office_of_guarantee, not_valid_in, access_code_label, access_code)
    if not companies.holds(holder.eori, "comprehensive_guarantee"):
        raise Rejected(problem("guarantee.no_authorisation", "holder_eori",
                               f"{holder.eori} holds no valid authorisation for a comprehensive guarantee",
                               f"{holder.eori} har ingen gyldig bevilling til samlet kaution"))
    registered = _registered(access_code_label, access_code, type=guarantee_type, holder_eori=holder.eori,
                             office_of_guarantee=office_of_guarantee, reference_cents=_cents(amount),
                             currency=currency, status=rules.REGISTERED, not_valid_in=limitations,
                             registered_at=clock.now())
    log.info("comprehensive guarantee %s registered for %s", registered[0].grn, holder.eori)
    return registered


def register_individual_document(holder_eori: str, amount: Decimal | str, currency: str = "EUR", *,
                                 office_of_guarantee: str, guarantee_type: str = "2", guarantor: str = "",
                                 not_valid_in: Iterable[str] = (), access_code_label: str = "Hovedforpligtede",
                                 ) -> tuple[Guarantee, IssuedCode]:
    """Record a received individual guarantee document (type 2 or 9) as pending; usable once approved."""
    holder, value, limitations = _checked_registration(
        holder_eori, rules.check_individual_document_type(guarantee_type, "guarantee_type"), amount, "amount",
        currency, office_of_guarantee, not_valid_in, access_code_label, None)
    return _registered(access_code_label, None, type=guarantee_type, holder_eori=holder.eori,
                       office_of_guarantee=office_of_guarantee, reference_cents=_cents(value), currency=currency,
                       status=rules.PENDING, not_valid_in=limitations, guarantor=guarantor.strip() or None)


def approve_individual_document(grn: str) -> Guarantee:
    """The office of guarantee approves and registers an individual guarantee document (officer)."""
    with db.transaction() as conn:
        row = conn.execute(select(g).where(g.c.grn == grn)).first()
        if row is None:
            raise _unknown_guarantee(grn)
        if row.type not in rules.INDIVIDUAL_DOCUMENT_TYPES:
            raise Conflict(problem("guarantee.not_individual", "grn", f"{grn} is not an individual guarantee document",
                                   f"{grn} er ikke et kautionsdokument"))
        done = conn.execute(update(g).where(g.c.grn == grn, g.c.status == rules.PENDING)
                            .values(status=rules.REGISTERED, registered_at=clock.now()))
        if done.rowcount == 0:
            raise Conflict(problem("guarantee.not_pending", "grn", f"{grn} is {row.status}, not awaiting approval",
                                   f"{grn} afventer ikke godkendelse"))
    return get(grn)


def revoke_guarantee(grn: str) -> Guarantee:
    """The office of guarantee revokes a guarantee (officer); open reservations stay until freed."""
    with db.transaction() as conn:
        done = conn.execute(update(g).where(g.c.grn == grn, g.c.status != rules.REVOKED)
                            .values(status=rules.REVOKED, revoked_at=clock.now()))
        if done.rowcount == 0:
            if conn.execute(select(g.c.grn).where(g.c.grn == grn)).first() is None:
                raise _unknown_guarantee(grn)
            raise Conflict(problem("guarantee.revoked", "grn", f"{grn} is already revoked",
                                   f"{grn} er allerede tilbagekaldt"))
    return get(grn)


# --- vouchers (TC32) -------------------------------------------------------------------------

def _batch(row, vouchers: Sequence[IssuedCode] = ()) -> VoucherBatch:
    return VoucherBatch(row.id, row.base_grn, row.buyer_eori, row.office_of_guarantee, row.count,
                        row.registered_at is not None, tuple(vouchers))


def sell_voucher_batch(buyer_eori: str, count: int, *, office_of_guarantee: str) -> VoucherBatch:
    """The forwarders' association notifies a sale: `count` vouchers of 7,000 EUR to the buyer; GRNs and codes returned once."""
    buyer = companies.require_active(normalise_eori(buyer_eori), "buyer_eori")
    found = Problems()
    found.add(rules.check_voucher_count(count))
    found.add(_office_problem(office_of_guarantee))
    found.raise_if_any()
    now = clock.now()
    with db.transaction() as conn:
        base = _allocate_grn(conn, office_of_guarantee)
        batch_id = conn.execute(insert(store.voucher_batches).values(
            base_grn=base, buyer_eori=buyer.eori, office_of_guarantee=office_of_guarantee, count=count, sold_at=now)
            .returning(store.voucher_batches.c.id)).scalar_one()
        issued = []
        for number, grn in enumerate(rules.voucher_grns(base, count), start=1):
            _insert_guarantee(conn, grn=grn, type=rules.VOUCHER_TYPE, holder_eori=buyer.eori,
                              office_of_guarantee=office_of_guarantee, reference_cents=_cents(rules.VOUCHER_AMOUNT),
                              currency=rules.VOUCHER_CURRENCY, status=rules.PENDING, not_valid_in="",
                              batch_id=batch_id, created_at=now)
            issued.append(_issue_code(conn, grn, f"Sikkerhedsdokument {number}"))
        row = conn.execute(select(store.voucher_batches).where(store.voucher_batches.c.id == batch_id)).one()
    return _batch(row, issued)


def register_voucher_batch(batch_id: int) -> VoucherBatch:
    """The office of guarantee registers a sold batch (officer); only then may its vouchers be used."""
    vb = store.voucher_batches
    now = clock.now()
    with db.transaction() as conn:
        row = conn.execute(select(vb).where(vb.c.id == batch_id)).first()
        if row is None:
            raise NotFound(problem("voucher.batch_unknown", "batch_id", f"no voucher batch {batch_id}",
                                   f"ingen portion sikkerhedsdokumenter {batch_id}"))
        done = conn.execute(update(vb).where(vb.c.id == batch_id, vb.c.registered_at.is_(None)).values(registered_at=now))
        if done.rowcount == 0:
            raise Conflict(problem("voucher.batch_registered", "batch_id", f"batch {batch_id} is already registered",
                                   f"portion {batch_id} er allerede registreret"))
        conn.execute(update(g).where(g.c.batch_id == batch_id, g.c.status == rules.PENDING)
                     .values(status=rules.REGISTERED, registered_at=now))
        row = conn.execute(select(vb).where(vb.c.id == batch_id)).one()
    return _batch(row)


def voucher_batches(buyer_eori: str | None = None) -> list[VoucherBatch]:
    """Voucher batches, newest first; one buyer's only when given."""
    vb = store.voucher_batches
    query = select(vb).order_by(vb.c.id.desc())
    if buyer_eori:
        query = query.where(vb.c.buyer_eori == normalise_eori(buyer_eori))
    with db.reading() as conn:
        return [_batch(r) for r in conn.execute(query)]


# --- reading -----------------------------------------------------------------------------------

def get(grn: str) -> Guarantee:
    """A guarantee by GRN, or NotFound."""
    with db.reading() as conn:
        row = conn.execute(select(g).where(g.c.grn == grn)).first()
    if row is None:
        raise _unknown_guarantee(grn)
    return _guarantee(row)


def get_for(holder_eori: str | None, grn: str) -> Guarantee:
    """A guarantee the caller may see: any for an officer (holder None), only its own for a company."""
    found = get(grn)
    if holder_eori is not None and found.holder_eori != normalise_eori(holder_eori):
        raise _unknown_guarantee(grn)  # another company's guarantee is simply not there
    return found


def list_guarantees(holder_eori: str | None = None) -> list[Guarantee]:
    """Guarantees by GRN; one holder's only when given."""
    query = select(g).order_by(g.c.grn)
    if holder_eori is not None:
        query = query.where(g.c.holder_eori == normalise_eori(holder_eori))
    with db.reading() as conn:
        return [_guarantee(r) for r in conn.execute(query)]


def ledger(grn: str) -> list[LedgerEntry]:
    """The guarantee's ledger, oldest first."""
    with db.reading() as conn:
        rows = conn.execute(select(lg).where(lg.c.grn == grn).order_by(lg.c.id))
        return [LedgerEntry(r.id, r.grn, r.kind, r.movement_ref, _amount(r.amount_cents), r.currency, r.created_at)
                for r in rows]


def ledger_balance(grn: str) -> Decimal:
    """The open amount as the ledger tells it: reserved minus freed and discharged (plus signed adjustments)."""
    signed = case((lg.c.kind == rules.RESERVE, lg.c.amount_cents), (lg.c.kind == rules.ADJUST, lg.c.amount_cents),
                  else_=-lg.c.amount_cents)
    with db.reading() as conn:
        total = conn.execute(select(func.coalesce(func.sum(signed), 0)).where(lg.c.grn == grn)).scalar_one()
    return _amount(total)


def reservations(movement_ref: str) -> list[Reservation]:
    """A movement's reservations (one per GRN)."""
    with db.reading() as conn:
        return [_reservation(r) for r in conn.execute(select(rs).where(rs.c.movement_ref == movement_ref)
                                                      .order_by(rs.c.grn))]


# --- access codes (holder only) ----------------------------------------------------------------

def _own_guarantee(conn: Connection, holder_eori: str, grn: str):
    row = conn.execute(select(g).where(g.c.grn == grn)).first()
    if row is None or row.holder_eori != normalise_eori(holder_eori):
        raise _unknown_guarantee(grn)
    return row


def add_access_code(holder_eori: str, grn: str, label: str, code: str | None = None) -> IssuedCode:
    """The holder authorises a person with a new access code (chosen or generated); the code is shown once."""
    found = Problems()
    found.add(rules.check_access_code_label(label))
    if code is not None:
        found.add(rules.check_access_code_format(code, "access_code"))
    found.raise_if_any()
    with db.transaction() as conn:
        _own_guarantee(conn, holder_eori, grn)
        return _issue_code(conn, grn, label, code)


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


def change_access_code(holder_eori: str, grn: str, code_id: int, code: str | None = None) -> IssuedCode:
    """The holder changes an access code at any time: the old one stops working, the same person gets a new one."""
    if code is not None:
        found = rules.check_access_code_format(code, "access_code")
        if found:
            raise Rejected(found)
    with db.transaction() as conn:
        _own_guarantee(conn, holder_eori, grn)
        old = _revoke_code(conn, grn, code_id)
        return _issue_code(conn, grn, old.label, code)


def revoke_access_code(holder_eori: str, grn: str, code_id: int) -> AccessCode:
    """The holder withdraws a person's access code; it no longer works."""
    with db.transaction() as conn:
        _own_guarantee(conn, holder_eori, grn)
        _revoke_code(conn, grn, code_id)
        row = conn.execute(select(ac).where(ac.c.id == code_id)).one()
    log.info("access code %s of guarantee %s revoked", code_id, grn)
    return AccessCode(row.id, row.grn, row.label, row.created_at, row.revoked_at)


def access_codes(holder_eori: str, grn: str) -> list[AccessCode]:
    """The holder's list of authorised persons for a guarantee (labels and dates, never codes)."""
    with db.reading() as conn:
        _own_guarantee(conn, holder_eori, grn)
        rows = conn.execute(select(ac).where(ac.c.grn == grn).order_by(ac.c.id))
        return [AccessCode(r.id, r.grn, r.label, r.created_at, r.revoked_at) for r in rows]


# --- check and reserve (release), free (arrival), discharge ("conform") ------------------------

# The guarantee row joined with its active access-code digests; every check-and-reserve runs it.
_IDENTIFY = Prepared(select(g.c.grn, g.c.type, g.c.holder_eori, g.c.office_of_guarantee, g.c.reference_cents,
                            g.c.currency, g.c.status, g.c.not_valid_in, g.c.open_cents, g.c.uses, g.c.batch_id,
                            g.c.created_at, ac.c.digest)
                     .select_from(g.outerjoin(ac, and_(ac.c.grn == g.c.grn, ac.c.revoked_at.is_(None))))
                     .where(g.c.grn == bindparam("grn")))


def _identify(conn: Connection, grn: str, access_code: str, holder_eori: str | None,
              proof: str | None = None) -> Guarantee | None:
    """The guarantee if it exists, is the holder's (when given) and the code (or its proof) matches; else
    None, whichever failed."""
    rows = _IDENTIFY.rows(conn, {"grn": grn})
    digests = [r.digest for r in rows if r.digest is not None]
    # Compute the HMAC even for an unknown GRN, so the answer takes the same time.
    matched = (rules.access_code_matches(_key(), grn, access_code, digests) if proof is None
               else rules.proof_matches(proof, digests))
    if not rows or not matched or (holder_eori is not None and rows[0].holder_eori != holder_eori):
        return None
    return _guarantee(rows[0])


def _check_input(holder_eori: str, grn: str, access_code: str | None, amount, currency: str,
                 route_countries: Sequence[str], movement_ref: str) -> Decimal:
    """Format checks before any lookup, all reported together; returns the parsed amount."""
    from toldsystem.companies.rules import check_eori

    found = Problems()
    found.add(check_eori(holder_eori, "holder/identificationNumber"))
    found.add(rules.check_grn_format(grn))
    if access_code is not None:  # None: the caller holds the code's proof instead (access_code_proof)
        found.add(rules.check_access_code_format(access_code))
    value = _amount_or_problem(amount, "guarantee/amountToBeCovered", found)
    found.add(rules.check_currency_known(currency, _eur_rates()))
    found.add(rules.check_country_codes(route_countries))
    found.add(rules.check_movement_ref(movement_ref))
    found.raise_if_any()
    return value


class _Replay(Exception):
    """Internal: the movement already holds a reservation on this GRN; undo and return that one."""


def check_and_reserve(holder_eori: str, grn: str, access_code: str, amount: Decimal | str, currency: str,
                      route_countries: Sequence[str], movement_ref: str, proof: str | None = None) -> Reservation:
    """Check a guarantee at release and reserve the amount for the movement, or raise Rejected with every reason (CC055C).

    Order: GRN exists, is the holder's, the access code matches (one answer for all three),
    the guarantee is usable, valid in every route country, and covers the amount. Reserving
    the same movement on the same GRN again returns the first reservation.

    Round trips: one SELECT (guarantee joined with its code digests, no lock), then the write:
    on PostgreSQL one statement (store.RESERVE_POSTGRES: conditional UPDATE + reservation +
    ledger row); on SQLite, where BEGIN IMMEDIATE already serialises writers, the same three
    statements one after another. For a guarantee this process has reserved on before, the
    SELECT is left out: the conditional UPDATE checks the holder and access code itself
    (`_reserve_known`), and only a refusal takes the full path to find its reasons.

    `proof` (from `access_code_proof`) stands for the access code when the caller may not keep the code
    itself: a pre-lodged declaration checked when its goods are presented.
    """
    holder_eori = normalise_eori(holder_eori) if holder_eori else ""
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
            digest = proof if proof is not None else rules.access_code_digest(_key(), grn, access_code)
            fast = _reserve_known(conn, grn, digest, holder_eori, value, currency, route_countries,
                                  movement_ref, now)
            if fast is not None:
                return fast
            found = _identify(conn, grn, access_code, holder_eori, proof)
            if found is None:
                raise Rejected(rules.guarantee_not_valid_problem())
            converted = convert(value, currency, found.currency, _eur_rates())
            problems = Problems()
            problems.add(rules.check_usable(found.status, found.type))
            problems.add(rules.check_valid_in_route(found.not_valid_in, route_countries))
            if not problems:
                problems.add(rules.check_covers(found, converted))
            if problems and _find_reservation(conn, movement_ref, grn) is not None:
                raise _Replay()
            problems.raise_if_any()
            params = {"grn": grn, "cents": _cents(converted), "single_use": found.single_use,
                      "movement_ref": movement_ref, "currency": found.currency, "declared_cents": _cents(value),
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
    return rules.access_code_digest(_key(), grn, access_code)


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
                   route_countries: Sequence[str], movement_ref: str, now) -> Reservation | None:
    """A guarantee seen before: check and reserve without reading it first (one statement on PostgreSQL,
    three on SQLite). None means "take the full path" (unknown here, a refusal whose reasons must be
    worked out, or a stale hint); nothing was written."""
    hint = _known.get((id(conn.engine), grn))
    if hint is None or hint[0] != holder_eori:
        return None
    holder, guarantee_type, guarantee_currency, not_valid_in = hint
    if rules.check_valid_in_route(not_valid_in.split(";") if not_valid_in else (), route_countries):
        return None
    converted = convert(value, currency, guarantee_currency, _eur_rates())
    params = {"grn": grn, "cents": _cents(converted), "single_use": guarantee_type in rules.SINGLE_USE_TYPES,
              "movement_ref": movement_ref, "currency": guarantee_currency, "declared_cents": _cents(value),
              "declared_currency": currency, "now": now, "holder": holder, "type": guarantee_type,
              "not_valid_in": not_valid_in, "digest": digest}
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
    select(ac.c.id).where(ac.c.grn == g.c.grn, ac.c.digest == bindparam("digest"), ac.c.revoked_at.is_(None)).exists())
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
        raise _not_covered(_amount(params["cents"]), params["currency"])  # rolls back both rows
    return True


def _not_covered(amount: Decimal, currency: str) -> Rejected:
    return Rejected(problem("guarantee.not_covered", "guarantee/amountToBeCovered",
                            f"the guarantee does not cover {amount} {currency}",
                            f"sikkerhedsstillelsen dækker ikke {amount} {currency}"))


def _find_reservation(conn: Connection, movement_ref: str, grn: str):
    return conn.execute(select(rs.c.grn).where(rs.c.movement_ref == movement_ref, rs.c.grn == grn)).first()


def _existing_reservation(movement_ref: str, grn: str) -> Reservation:
    with db.reading() as conn:
        return _reservation(conn.execute(select(rs).where(rs.c.movement_ref == movement_ref, rs.c.grn == grn)).one())


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
    return [_reservation(r) for r in result]


def free(movement_ref: str) -> list[Reservation]:
    """Arrival (IE006 at departure) frees the movement's amounts for reuse; freeing again changes nothing."""
    return _release(movement_ref, rules.FREE)


def discharge(movement_ref: str) -> list[Reservation]:
    """Control result "conform" ends the movement and finally discharges its guarantees; again changes nothing."""
    return _release(movement_ref, rules.DISCHARGE)


# --- balance query (IE034 → IE037) -----------------------------------------------------------

def _count_balance_query(conn: Connection, grn: str) -> int:
    """This GRN's queries in the current one-minute window, counted atomically in the database.

    Counted in the database rather than in memory so that every API worker and the CLI share
    one limit, and a restart does not reset it. Unknown GRNs are counted too: otherwise the
    limit itself would tell which GRNs exist.
    """
    now = clock.now()
    fresh = store.balance_query_windows.c.window_start <= now - timedelta(minutes=1)
    stmt = _dialect_insert(conn, store.balance_query_windows).values(grn=grn, window_start=now, count=1)
    stmt = stmt.on_conflict_do_update(index_elements=["grn"], set_={
        "count": case((fresh, 1), else_=store.balance_query_windows.c.count + 1),
        "window_start": case((fresh, now), else_=store.balance_query_windows.c.window_start)})
    return conn.execute(stmt.returning(store.balance_query_windows.c.count)).scalar_one()


def balance(grn: str, access_code: str) -> Balance:
    """Balance query by GRN and access code (IE034/IE037); rate-limited per GRN; one answer for unknown GRN or wrong code."""
    found = Problems()
    found.add(rules.check_grn_format(grn))
    found.add(rules.check_access_code_format(access_code))
    found.raise_if_any()
    limit = config.settings().balance_queries_per_minute
    with db.transaction() as conn:
        count = _count_balance_query(conn, grn)
        guarantee = _identify(conn, grn, access_code, None) if count <= limit else None
    if count > limit:
        raise RateLimited(problem("guarantee.balance_rate_limited", "guarantee/GRN",
                                  f"at most {limit} balance queries a minute per GRN; try again in a minute",
                                  f"højst {limit} saldoforespørgsler i minuttet pr. GRN; prøv igen om lidt"))
    if guarantee is None:
        raise Rejected(rules.guarantee_not_valid_problem())
    return Balance(guarantee.grn, guarantee.reference_amount, guarantee.open_amount, guarantee.available,
                   guarantee.currency)


# --- demo ----------------------------------------------------------------------------------------

DEMO_OFFICE = "DK009860"
DEMO_LABEL = "Demo (kendt demo-kode)"
DEMO_CODES = {"comprehensive": "DEM1", "individual": "DEM2", "voucher": "DV{n:02d}"}


def load_demo(holder_eori: str, voucher_buyer_eori: str | None = None, *,
              office_of_guarantee: str = DEMO_OFFICE) -> dict:
    """Demo guarantees with known access codes: a comprehensive guarantee of 100,000 EUR and an approved
    individual document for `holder_eori`, and a registered batch of 3 vouchers for the buyer (idempotent)."""
    holder = normalise_eori(holder_eori)
    buyer = normalise_eori(voucher_buyer_eori or holder_eori)
    existing = _demo_existing(holder, buyer)
    if existing:
        return existing
    if not companies.holds(holder, "comprehensive_guarantee"):
        companies.grant(holder, "comprehensive_guarantee", clock.local(clock.now()).date() - timedelta(days=1),
                        reference="DEMO-SAMLET-KAUTION")
    comprehensive, _ = register_comprehensive(holder, "100000.00", "EUR", office_of_guarantee=office_of_guarantee,
                                              access_code_label=DEMO_LABEL, access_code=DEMO_CODES["comprehensive"])
    individual, issued = register_individual_document(holder, "25000.00", "EUR", office_of_guarantee=office_of_guarantee,
                                                      guarantor="Demo Kautionsforsikring A/S",
                                                      access_code_label=DEMO_LABEL)
    change_access_code(holder, individual.grn, issued.id, DEMO_CODES["individual"])
    approve_individual_document(individual.grn)
    batch = sell_voucher_batch(buyer, 3, office_of_guarantee=office_of_guarantee)
    for n, voucher in enumerate(batch.vouchers, start=1):
        change_access_code(buyer, voucher.grn, voucher.id, DEMO_CODES["voucher"].format(n=n))
    register_voucher_batch(batch.id)
    return _demo_existing(holder, buyer)


def _demo_existing(holder: str, buyer: str) -> dict:
    with db.reading() as conn:
        rows = conn.execute(select(g.c.grn, g.c.type, g.c.holder_eori).select_from(g.join(ac, ac.c.grn == g.c.grn))
                            .where(ac.c.label.in_([DEMO_LABEL]), ac.c.revoked_at.is_(None), g.c.holder_eori == holder)
                            .order_by(g.c.grn)).all()
        batch = conn.execute(select(store.voucher_batches).where(store.voucher_batches.c.buyer_eori == buyer,
                                                                 store.voucher_batches.c.registered_at.isnot(None))
                             .order_by(store.voucher_batches.c.id)).first()
    by_type = {r.type: r.grn for r in rows}
    if "1" not in by_type or "2" not in by_type or batch is None:
        return {}
    return {
        "comprehensive": {"grn": by_type["1"], "access_code": DEMO_CODES["comprehensive"],
                          "reference_amount": "100000.00", "currency": "EUR"},
        "individual": {"grn": by_type["2"], "access_code": DEMO_CODES["individual"], "amount": "25000.00",
                       "currency": "EUR"},
        "vouchers": [{"grn": grn, "access_code": DEMO_CODES["voucher"].format(n=n), "amount": "7000.00",
                      "currency": "EUR"} for n, grn in enumerate(rules.voucher_grns(batch.base_grn, 3), start=1)],
        "holder_eori": holder, "voucher_buyer_eori": buyer,
    }
