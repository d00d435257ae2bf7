"""Shared set-up for the guarantee tests: a holder with a comprehensive guarantee, and a snapshot of all balances."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import FORWARDER, register_company
from toldsystem import db
from toldsystem.companies import service as companies
from toldsystem.guarantees import service, store

OFFICE = "DK009860"  # Told Aarhus: has the GUA role


def make_holder(eori: str = FORWARDER, *, authorised: bool = True) -> str:
    """An EORI-registered company, with a comprehensive-guarantee authorisation unless told otherwise."""
    if companies.find(eori) is None:
        register_company(eori)
    if authorised:
        companies.grant(eori, "comprehensive_guarantee", date(2020, 1, 1))
    return eori


def comprehensive(eori: str = FORWARDER, amount: str = "100000.00", currency: str = "EUR", **options):
    """A registered comprehensive guarantee for `eori` and its first access code."""
    if not companies.holds(eori, "comprehensive_guarantee"):
        make_holder(eori)
    return service.register_comprehensive(eori, amount, currency, office_of_guarantee=OFFICE, **options)


def state() -> dict:
    """Everything a rejected call must leave untouched: guarantees, reservations, ledger, access codes."""
    with db.reading() as conn:
        return {name: sorted(tuple(r) for r in conn.execute(select(table)))
                for name, table in (("guarantees", store.guarantees), ("reservations", store.reservations),
                                    ("ledger", store.ledger), ("access_codes", store.access_codes))}


@pytest.fixture
def guarantee(store):
    """A comprehensive guarantee of 100,000 EUR for FORWARDER, with its access code."""
    return comprehensive()
