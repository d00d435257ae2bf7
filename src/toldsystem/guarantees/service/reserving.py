"""Check a guarantee at release and reserve the amount for the movement (seed 003 box 52).

Every change of an open amount is one conditional UPDATE of the guarantee row plus one
append-only ledger row, in the same transaction; the database, not Python, guards the
reference amount (holding.py writes it; see `check_and_reserve`). Every access code checked
here is counted per caller and GRN (attempts.py): a wrong one, or an unknown GRN, is a failure.
Freeing at arrival and discharging at "conform" are releasing.py's.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import Connection, and_, bindparam, select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.companies.rules import check_eori
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, NotFound, Problem, Problems, Rejected, ToldError, problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.core.money import convert
from toldsystem.guarantees import rules
from toldsystem.guarantees.authorisation import roles_towards_guarantee
from toldsystem.guarantees.rules import Guarantee, Reservation
from toldsystem.guarantees.service.attempts import count_failure_apart, count_success, refused_attempts
from toldsystem.guarantees.service.holding import (Replay, existing_reservation, find_reservation, not_covered,
                                                   queue_for, remember, reserve_generic, reserve_known,
                                                   reserve_postgres)
from toldsystem.guarantees.service.records import (ac, amount_or_problem, cents, eur_rates, g, guarantee_of, require,
                                                   secret_key)
from toldsystem.guarantees.service.types import guarantee_types, type_held_in_gms_problem
from toldsystem.prepared import Prepared

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


class DeclaredReference(NamedTuple):
    """One guarantee reference of a declaration as GMS checks it: its GRN, access code, amount and currency,
    and the guarantee type declared with it (a type of CL286, as the office of departure sends it in CD203C)."""

    grn: str
    access_code: str
    amount: Decimal | str
    currency: str
    guarantee_type: str | None = None


def _check_input(holder_eori: str, grn: str, access_code: str | None, amount, currency: str,
                 route_countries: Sequence[str], movement_ref: str, guarantee_type: str | None) -> Decimal:
    """Format checks before any lookup, all reported together; returns the parsed amount. A declared type
    GMS holds no guarantee of is refused here, before the GRN is looked up."""
    found = Problems()
    if guarantee_type is not None:
        found.add(type_held_in_gms_problem(guarantee_type))
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


class _CodeNotAccepted(Rejected):
    """Internal: unknown GRN, another holder's, or a wrong code — a failure to count once the check is undone."""


class _UndoReservations(Exception):
    """Raised inside the savepoint so that a partly valid set of guarantees reserves nothing."""


def check_and_reserve(holder_eori: str, grn: str, access_code: str, amount: Decimal | str, currency: str,
                      route_countries: Sequence[str], movement_ref: str, caller: str | None = None,
                      proof: str | None = None, guarantee_type: str | None = None) -> Reservation:
    """Check a guarantee at release and reserve the amount for the movement, or raise Rejected with every reason (CC055C).

    Order: the caller (the sending company; the holder by default) is not waiting or locked out
    for this GRN (else TooManyAttempts, and no code is checked); GRN exists, is the holder's, the
    access code matches (one answer for all three, counted as a failure of the caller's); the
    guarantee is usable, valid in every route country, and covers the amount. Reserving the same
    movement on the same GRN again returns the first reservation.

    `guarantee_type`, when given, is the type declared with the GRN: one GMS holds no guarantee of
    (not in CL286: cash, waivers without GRN, TIR ...) is refused before the GRN is looked up, and it
    must be the type the GRN was registered with (CL252 G13).

    Round trips: one SELECT (guarantee joined with its code digests, no lock), then the write:
    on PostgreSQL one statement (store.RESERVE_POSTGRES: conditional UPDATE + reservation +
    ledger row); on SQLite, where BEGIN IMMEDIATE already serialises writers, the same three
    statements one after another. For a guarantee this process has reserved on before, the
    SELECT is left out: the conditional UPDATE checks the holder and access code itself, and that
    the caller has no failures on record (`reserve_known`); only a refusal, or a caller with
    failures, takes the full path.

    `proof` (from `access_code_proof`) stands for the access code when the caller may not keep the code
    itself: a pre-lodged declaration checked when its goods are presented.
    """
    holder_eori = normalise_eori(holder_eori) if holder_eori else ""
    caller = caller or holder_eori
    try:
        return _check_and_reserve(holder_eori, grn, access_code, amount, currency, route_countries, movement_ref,
                                  caller, proof, guarantee_type)
    except _CodeNotAccepted as refused:
        count_failure_apart(caller, grn)  # the check's own unit of work was undone with the refusal
        raise Rejected(refused.problems) from None


def check_and_reserve_for(party: Party, grn: str, access_code: str, amount: Decimal | str, currency: str,
                          route_countries: Sequence[str], movement_ref: str,
                          guarantee_type: str | None = None) -> Reservation:
    """A test reservation by a company on its own guarantee; officers do not reserve (403, whatever the GRN).
    Another holder's guarantee is refused exactly as an unknown GRN or a wrong code."""
    roles = roles_towards_guarantee(party, party.eori, None)  # as its holder, if it is the guarantee's holder at all
    require("guarantee.check_and_reserve", roles, NotFound([]))
    return check_and_reserve(party.eori or "", grn, access_code, amount, currency, route_countries, movement_ref,
                             caller=party.key, guarantee_type=guarantee_type)


def reserve_all(holder_eori: str, references: Sequence[tuple], route_countries: Sequence[str],
                movement_ref: str, caller: str | None = None,
                proofs: dict[str, str] | None = None) -> list[tuple[str, list[Problem]]]:
    """Reserve every reference of a declaration for the movement, or none; the reasons per refused GRN
    (box 52). A reference is a DeclaredReference, or a tuple of its fields (GRN, access code, amount,
    currency[, guarantee type]). A GRN given without its code is checked with its proof from `proofs`,
    if any. Wrong codes are counted even though the reservations are undone."""
    proofs = proofs or {}
    references = [DeclaredReference(*ref) for ref in references]
    invalid: list[tuple[str, list[Problem]]] = []
    if len(references) <= 1:  # a refused reservation already leaves nothing behind (its own savepoint)
        for grn, code, amount, currency, guarantee_type in references:
            try:
                check_and_reserve(holder_eori, grn, code, amount, currency, route_countries, movement_ref, caller,
                                  None if code else proofs.get(grn), guarantee_type)
            except ToldError as refused:
                invalid.append((grn or "-", refused.problems))
        return invalid
    holder_eori = normalise_eori(holder_eori) if holder_eori else ""
    caller = caller or holder_eori
    wrong_codes = []
    try:
        with db.transaction():
            for grn, code, amount, currency, guarantee_type in references:
                try:
                    _check_and_reserve(holder_eori, grn, code, amount, currency, route_countries, movement_ref,
                                       caller, None if code else proofs.get(grn), guarantee_type)
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
                       proof: str | None = None, guarantee_type: str | None = None) -> Reservation:
    route_countries = [(c or "").strip().upper() for c in route_countries]
    value = _check_input(holder_eori, grn, access_code if proof is None else None, amount, currency,
                         route_countries, movement_ref, guarantee_type)
    now = clock.now()
    try:
        # Only the outermost unit of work queues: one already inside a transaction (a transit
        # intake) may hold locks, and taking the queue after them could deadlock with a caller
        # that holds the queue and waits for those locks.
        queue = nullcontext() if db.in_transaction() else queue_for(grn)
        with queue, db.transaction() as conn:
            digest = proof if proof is not None else rules.access_code_digest(secret_key(), grn, access_code)
            fast = reserve_known(conn, grn, digest, holder_eori, value, currency, route_countries,
                                 movement_ref, now, caller, guarantee_type)
            if fast is not None:
                return fast
            attempts, waiting = refused_attempts(conn, caller, grn)
            if waiting is not None:
                raise waiting
            found = identify(conn, grn, access_code, holder_eori, proof)
            if found is None:
                raise _CodeNotAccepted(rules.guarantee_not_valid_problem())
            count_success(conn, caller, grn, attempts)
            # Told only once the access code has matched: the type of the holder's own guarantee.
            mismatch = rules.check_declared_type(guarantee_type, found.type, guarantee_types())
            if mismatch is not None:
                raise Rejected(mismatch)
            converted = convert(value, currency, found.currency, eur_rates())
            problems = Problems()
            problems.add(rules.check_usable(found.status, found.type))
            problems.add(rules.check_valid_in_route(found.not_valid_in, route_countries))
            if not problems:
                problems.add(rules.check_covers(found, converted))
            if problems and find_reservation(conn, movement_ref, grn) is not None:
                raise Replay()
            problems.raise_if_any()
            params = {"grn": grn, "cents": cents(converted), "single_use": found.single_use,
                      "movement_ref": movement_ref, "currency": found.currency, "declared_cents": cents(value),
                      "declared_currency": currency, "now": now}
            write = reserve_postgres if conn.dialect.name == "postgresql" else reserve_generic
            remember(conn, found)
            if not write(conn, params):
                if find_reservation(conn, movement_ref, grn) is not None:
                    raise Replay()
                raise not_covered(converted, found.currency)
            return Reservation(movement_ref, grn, converted, found.currency, value, currency, rules.RESERVED, now)
    except Replay:
        pass
    existing = existing_reservation(movement_ref, grn)
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
