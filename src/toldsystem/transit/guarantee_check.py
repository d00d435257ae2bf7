"""Box 52 at release: transit asks GMS to check and reserve each guarantee of a declaration (seed 003)."""

from __future__ import annotations

from toldsystem.core.errors import NotFound, Problem
from toldsystem.guarantees import rules as guarantee_rules
from toldsystem.guarantees import service as guarantees


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


def reserve_guarantees(data: dict, mrn: str, caller: str | None = None) -> list[tuple[str, list[Problem]]]:
    """Reserve every GRN's amount for the movement; on any refusal reserve none and say why per GRN. Wrong access
    codes count against `caller` (the sending company's Party.key; the holder by default)."""
    holder = data["HolderOfTheTransitProcedure"]["identificationNumber"]
    references = [(ref.get("GRN", ""), ref.get("accessCode", ""), ref.get("amountToBeCovered", ""),
                   ref.get("currency", ""))
                  for guarantee in data.get("Guarantee", [])
                  # cash deposit and waivers without GRN are not kept in GMS
                  if guarantee_rules.requires_grn(guarantee.get("guaranteeType", ""))
                  for ref in guarantee.get("GuaranteeReference", [])]
    return guarantees.reserve_all(holder, references, route_countries(data), mrn, caller)


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
