"""What every GMS use case shares: rows read as the room's records, amounts in cents, the EUR rates,
the refusals that tell nothing, and asking guarantees/authorisation.py who may act."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from toldsystem import config
from toldsystem.access.rules import permitted, refusal
from toldsystem.core.errors import NotFound, Problem, Problems, ToldError, problem
from toldsystem.core.money import parse_amount
from toldsystem.guarantees import store
from toldsystem.guarantees.authorisation import RULES
from toldsystem.guarantees.rules import Guarantee, Reservation
from toldsystem.reference import service as reference

g = store.guarantees
ac = store.access_codes
rs = store.reservations
lg = store.ledger


class RateLimited(ToldError):
    """Too many balance queries for this GRN from this caller; try again in a minute."""

    status = 429


class TooManyAttempts(ToldError):
    """The caller sent too many wrong access codes for this GRN: it waits, or is locked out."""

    status = 429


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def amount_of(cents_: int) -> Decimal:
    return Decimal(int(cents_)).scaleb(-2)


def guarantee_of(row) -> Guarantee:
    return Guarantee(row.grn, row.type, row.holder_eori, row.office_of_guarantee, amount_of(row.reference_cents),
                     row.currency, row.status, frozenset(c for c in row.not_valid_in.split(";") if c),
                     amount_of(row.open_cents), row.uses, row.batch_id, row.created_at)


def reservation_of(row) -> Reservation:
    return Reservation(row.movement_ref, row.grn, amount_of(row.amount_cents), row.currency,
                       amount_of(row.declared_cents), row.declared_currency, row.state, row.created_at)


_rates_cache: dict[int, dict[str, Decimal]] = {}


def eur_rates() -> dict[str, Decimal]:
    """Units per EUR of every reference currency, from the cached reference snapshot."""
    snap = reference.snapshot()
    rates = _rates_cache.get(id(snap))
    if rates is None:
        _rates_cache.clear()
        rates = _rates_cache[id(snap)] = {c.code: c.eur_rate for c in snap.currencies.values()}
    return rates


def secret_key() -> bytes:
    return config.settings().secret_key


def dialect_insert(conn: Connection, table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def unknown_guarantee(grn: str, pointer: str = "grn") -> NotFound:
    return NotFound(problem("guarantee.unknown", pointer, f"no guarantee {grn} is registered for you",
                            f"ingen sikkerhedsstillelse {grn} er registreret for dig"))


def office_problem(code: str, pointer: str = "office_of_guarantee") -> Problem | None:
    office = reference.snapshot().office(code)
    if office is None or not office.may_act_as("GUA"):
        return problem("office.not_guarantee", pointer, f"{code} is not an office of guarantee (role GUA)",
                       f"{code} er ikke et garantitoldsted (rolle GUA)")
    return None


def amount_or_problem(value, pointer: str, found: Problems) -> Decimal:
    parsed = parse_amount(value, pointer)
    if isinstance(parsed, Problem):
        found.add(parsed)
        return Decimal(0)
    return parsed


def require(rule_name: str, roles: frozenset[str], unknown: ToldError, sees_rule: str | None = None) -> None:
    """Ask the room's table; a party that may not see the object gets exactly the unknown object's answer."""
    sees = permitted(RULES[sees_rule], roles) if sees_rule else True
    refused = refusal(RULES[rule_name], roles, frozenset(), sees, unknown)
    if refused is not None:
        raise refused
