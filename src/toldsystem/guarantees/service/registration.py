"""Registering guarantees at the office of guarantee: comprehensive guarantees and waivers, individual
guarantee documents (pending until approved), and revocation. Officers act for their own office."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import Connection, insert, update

from toldsystem import db
from toldsystem.access.rules import OPERATOR, Party
from toldsystem.access.service import audit
from toldsystem.companies import service as companies
from toldsystem.companies.rules import Company
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, Problem, Problems, Rejected, problem
from toldsystem.core.identifiers import normalise_eori
from toldsystem.guarantees import rules, store
from toldsystem.guarantees.authorisation import roles_towards_guarantee
from toldsystem.guarantees.rules import Guarantee, IssuedCode
from toldsystem.guarantees.service.codes import guarantee_for, issue_code
from toldsystem.guarantees.service.reading import get
from toldsystem.guarantees.service.records import (amount_or_problem, cents, dialect_insert, eur_rates, g,
                                                   office_problem, require, unknown_guarantee)
from toldsystem.guarantees.service.types import registered_as_problem

log = logging.getLogger(__name__)


def _next_serial(conn: Connection, name: str) -> int:
    """A serial allocated atomically in the database: insert 1 or increment, returning the new value."""
    stmt = dialect_insert(conn, store.counters).values(name=name, n=1)
    stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={"n": store.counters.c.n + 1})
    return conn.execute(stmt.returning(store.counters.c.n)).scalar_one()


def allocate_grn(conn: Connection, office_of_guarantee: str) -> str:
    """The next GRN of the office of guarantee this year."""
    year = clock.local(clock.now()).year
    serial = _next_serial(conn, f"grn:{year}:{office_of_guarantee}")
    return rules.new_grn(year, office_of_guarantee, serial)


def insert_guarantee(conn: Connection, **values) -> None:
    """A new guarantee row, nothing open and never used."""
    values.setdefault("open_cents", 0)
    values.setdefault("uses", 0)
    values.setdefault("created_at", clock.now())
    conn.execute(insert(g).values(**values))


def _limitations(not_valid_in: Iterable[str], found: Problems) -> str:
    countries = sorted({c.strip().upper() for c in not_valid_in if c and c.strip()})
    found.add(rules.check_limitation_countries(countries))
    return ";".join(countries)


def _checked_registration(by: Party, holder_eori: str, type_problem: Problem | None, amount: Decimal | str,
                          amount_field: str, currency: str, office_of_guarantee: str, not_valid_in: Iterable[str],
                          access_code_label: str, access_code: str | None) -> tuple[Company, Decimal, str]:
    """Who may register here, then the checks every registration makes, all reported together: holder,
    amount, currency, office, limitations, code."""
    require("guarantee.register", roles_towards_guarantee(by, None, office_of_guarantee),
            unknown_guarantee(office_of_guarantee))
    holder = companies.require_active(normalise_eori(holder_eori), "holder_eori")
    found = Problems()
    found.add(type_problem)
    value = amount_or_problem(amount, amount_field, found)
    found.add(rules.check_currency_known(currency, eur_rates(), "currency"))
    found.add(office_problem(office_of_guarantee))
    limitations = _limitations(not_valid_in, found)
    found.add(rules.check_access_code_label(access_code_label, "access_code_label"))
    if access_code is not None:
        found.add(rules.check_access_code_format(access_code, "access_code"))
    found.raise_if_any()
    return holder, value, limitations


def _registered(by: Party, access_code_label: str, access_code: str | None, **columns
                ) -> tuple[Guarantee, IssuedCode]:
    """Allocate the GRN, store the guarantee and issue its first access code, in one unit of work."""
    with db.transaction() as conn:
        grn = allocate_grn(conn, columns["office_of_guarantee"])
        insert_guarantee(conn, grn=grn, **columns)
        issued = issue_code(conn, grn, access_code_label, access_code)
        audit.record(conn, by, "guarantee.register", grn, subject=columns["holder_eori"], type=columns["type"])
    return get(grn), issued


def register_comprehensive(holder_eori: str, reference_amount: Decimal | str, currency: str = "EUR", *,
                           office_of_guarantee: str, guarantee_type: str = "1", not_valid_in: Iterable[str] = (),
                           access_code_label: str = "Hovedforpligtede", access_code: str | None = None,
                           by: Party = OPERATOR) -> tuple[Guarantee, IssuedCode]:
    """Register a comprehensive guarantee (type 1) or guarantee waiver (type 0) at the office of guarantee (its
    officer); returns it and its first access code. Any other type is refused, saying how it is registered, or
    that GMS holds no guarantee of that type (registered_as_problem)."""
    holder, amount, limitations = _checked_registration(
        by, holder_eori, registered_as_problem(guarantee_type, rules.COMPREHENSIVE), reference_amount,
        "reference_amount", currency, office_of_guarantee, not_valid_in, access_code_label, access_code)
    if not companies.holds(holder.eori, "comprehensive_guarantee"):
        raise Rejected(problem("guarantee.no_authorisation", "holder_eori",
                               f"{holder.eori} holds no valid authorisation for a comprehensive guarantee",
                               f"{holder.eori} har ingen gyldig bevilling til samlet kaution"))
    registered = _registered(by, access_code_label, access_code, type=guarantee_type, holder_eori=holder.eori,
                             office_of_guarantee=office_of_guarantee, reference_cents=cents(amount),
                             currency=currency, status=rules.REGISTERED, not_valid_in=limitations,
                             registered_at=clock.now())
    log.info("comprehensive guarantee %s registered for %s", registered[0].grn, holder.eori)
    return registered


def register_individual_document(holder_eori: str, amount: Decimal | str, currency: str = "EUR", *,
                                 office_of_guarantee: str, guarantee_type: str = "2", guarantor: str = "",
                                 not_valid_in: Iterable[str] = (), access_code_label: str = "Hovedforpligtede",
                                 by: Party = OPERATOR) -> tuple[Guarantee, IssuedCode]:
    """Record a received individual guarantee document as pending, usable once approved: type 2 (by guarantor,
    one movement) or 9 (with multiple usage, CL251)."""
    holder, value, limitations = _checked_registration(
        by, holder_eori, registered_as_problem(guarantee_type, rules.INDIVIDUAL_DOCUMENT), amount, "amount",
        currency, office_of_guarantee, not_valid_in, access_code_label, None)
    return _registered(by, access_code_label, None, type=guarantee_type, holder_eori=holder.eori,
                       office_of_guarantee=office_of_guarantee, reference_cents=cents(value), currency=currency,
                       status=rules.PENDING, not_valid_in=limitations, guarantor=guarantor.strip() or None)


def approve_individual_document(grn: str, *, by: Party = OPERATOR) -> Guarantee:
    """The office of guarantee approves and registers an individual guarantee document (its officer)."""
    with db.transaction() as conn:
        row = guarantee_for(conn, by, grn, "guarantee.approve")
        if row.type not in rules.INDIVIDUAL_DOCUMENT_TYPES:
            raise Conflict(problem("guarantee.not_individual", "grn", f"{grn} is not an individual guarantee document",
                                   f"{grn} er ikke et kautionsdokument"))
        done = conn.execute(update(g).where(g.c.grn == grn, g.c.status == rules.PENDING)
                            .values(status=rules.REGISTERED, registered_at=clock.now()))
        if done.rowcount == 0:
            raise Conflict(problem("guarantee.not_pending", "grn", f"{grn} is {row.status}, not awaiting approval",
                                   f"{grn} afventer ikke godkendelse"))
        audit.record(conn, by, "guarantee.approve", grn, subject=row.holder_eori)
    return get(grn)


def revoke_guarantee(grn: str, *, by: Party = OPERATOR) -> Guarantee:
    """The office of guarantee revokes a guarantee (its officer); open reservations stay until freed."""
    with db.transaction() as conn:
        row = guarantee_for(conn, by, grn, "guarantee.revoke")
        done = conn.execute(update(g).where(g.c.grn == grn, g.c.status != rules.REVOKED)
                            .values(status=rules.REVOKED, revoked_at=clock.now()))
        if done.rowcount == 0:
            raise Conflict(problem("guarantee.revoked", "grn", f"{grn} is already revoked",
                                   f"{grn} er allerede tilbagekaldt"))
        audit.record(conn, by, "guarantee.revoke", grn, subject=row.holder_eori)
    return get(grn)
