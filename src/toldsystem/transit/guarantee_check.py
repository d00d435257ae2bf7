"""Box 52 at release: transit asks GMS to check and reserve each guarantee of a declaration (seed 003)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection

from toldsystem.core.errors import NotFound, Problem, ToldError
from toldsystem.guarantees import rules as guarantee_rules
from toldsystem.guarantees import service as guarantees


class _UndoReservations(Exception):
    """Raised inside the savepoint so that a partly valid set of guarantees reserves nothing."""


def route_countries(data: dict) -> list[str]:
    """Every country the movement passes: departure, routing, offices of transit, destination."""
    countries = [data["CustomsOfficeOfDeparture"]["referenceNumber"][:2]]
    consignment = data.get("Consignment", {})
    countries += [c["country"] for c in consignment.get("CountryOfRoutingOfConsignment", []) if c.get("country")]
    countries += [o["referenceNumber"][:2] for o in data.get("CustomsOfficeOfTransitDeclared", [])]
    countries.append(data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"][:2])
    if consignment.get("countryOfDestination"):
        countries.append(consignment["countryOfDestination"])
    return list(dict.fromkeys(countries))


def _amount(value: object) -> object:
    """The amount as GMS reads it: '1000.0000' is 1000.00 (the official type counts the value's decimals,
    so trailing zeros are valid; the declaration rules have refused more than two that count)."""
    try:
        amount = Decimal(str(value).strip())
        return f"{amount:.2f}" if amount.is_finite() and amount == amount.quantize(Decimal("0.01")) else value
    except InvalidOperation:
        return value  # GMS says what is wrong with it


def reserve_guarantees(conn: Connection, data: dict, mrn: str) -> list[tuple[str, list[Problem]]]:
    """Reserve every GRN's amount for the movement; on any refusal reserve none and say why per GRN."""
    holder = data["HolderOfTheTransitProcedure"]["identificationNumber"]
    route = route_countries(data)
    references = [ref for guarantee in data.get("Guarantee", [])
                  # cash deposit and waivers without GRN are not kept in GMS
                  if guarantee_rules.requires_grn(guarantee.get("guaranteeType", ""))
                  for ref in guarantee.get("GuaranteeReference", [])]
    invalid: list[tuple[str, list[Problem]]] = []

    def reserve_each() -> None:
        for ref in references:
            try:
                guarantees.check_and_reserve(holder, ref.get("GRN", ""), ref.get("accessCode", ""),
                                             _amount(ref.get("amountToBeCovered", "")), ref.get("currency", ""),
                                             route, movement_ref=mrn)
            except ToldError as refused:
                invalid.append((ref.get("GRN") or "-", refused.problems))

    if len(references) <= 1:
        reserve_each()  # a refused reservation already leaves nothing behind (its own savepoint)
        return invalid
    try:
        with conn.begin_nested():
            reserve_each()
            if invalid:
                raise _UndoReservations
    except _UndoReservations:
        pass
    return invalid


def free_guarantees(mrn: str) -> None:
    """Arrival (or invalidation, or no release) frees the amounts for reuse."""
    try:
        guarantees.free(mrn)
    except NotFound:
        pass  # nothing was reserved (cash deposit, waiver, or guarantee not valid)


def discharge_guarantees(mrn: str) -> None:
    """Control result conform finally discharges the guarantees."""
    try:
        guarantees.discharge(mrn)
    except NotFound:
        pass
