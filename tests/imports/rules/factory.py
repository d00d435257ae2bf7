"""Declarations for the import rule tests: a valid simplified express one by a forwarder, changed per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

from toldsystem.core.money import Money
from toldsystem.imports.rules.model import (Authorisation, AuthorisationKind, Consignee, Declarant, DeclarantRole,
                                            Declaration, GoodsItem, PowerOfAttorney, Procedure)

FORWARDER = "DK13585628"
IMPORTER = "DK12345674"
LODGED = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)
ARRIVAL = datetime(2026, 3, 10, 11, 0, tzinfo=timezone.utc)


def item(sequence: int = 1, **changes: object) -> GoodsItem:
    base = GoodsItem(sequence=sequence, commodity_code="8471300000", description="laptops", origin_country="CN",
                     dispatch_country="CN", transport_mode="4", place_of_entry="DK003102",
                     customs_value=Money(Decimal("10000.00"), "DKK"), customs_status="T1")
    return replace(base, **changes)


def authorisation(kind: AuthorisationKind = AuthorisationKind.SIMPLIFIED_EXPRESS, holder: str = FORWARDER,
                  valid_from: date = date(2025, 1, 1), valid_until: date | None = None) -> Authorisation:
    return Authorisation(kind=kind, holder=holder, reference=f"DK{kind.value[:3].upper()}001",
                         valid_from=valid_from, valid_until=valid_until)


def declaration(**changes: object) -> Declaration:
    base = Declaration(
        id="26DK0000000000001", procedure=Procedure.SIMPLIFIED_EXPRESS, additional_type="F",
        declarant=Declarant(FORWARDER, "Speditøren A/S", DeclarantRole.DIRECT_REPRESENTATIVE,
                            address="Havnegade 1, 8000 Aarhus C", phone="+45 70 00 00 00"),
        consignee=Consignee(IMPORTER, "Importøren ApS", vat_registered=True),
        goods=(item(),), lodged_at=LODGED, presented_at=ARRIVAL, expected_arrival=ARRIVAL, actual_arrival=ARRIVAL,
        authorisations=(authorisation(),),
        powers_of_attorney=(PowerOfAttorney(consignee=IMPORTER, forwarder=FORWARDER, valid_from=date(2025, 6, 1)),),
    )
    return replace(base, **changes)


def codes(problems: list) -> list[str]:
    return [p.code for p in problems]
