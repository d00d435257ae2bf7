"""Box 52 at release: transit asks GMS to check and reserve each guarantee of a declaration (seed 003)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

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


def _amount_for_gms(value: object) -> object:
    """The amount as GMS reads it: '1000.0000' is 1000.00 (the official type counts the value's decimals,
    so trailing zeros are valid; the declaration rules have refused more than two that count)."""
    try:
        amount = Decimal(str(value).strip())
        return f"{amount:.2f}" if amount.is_finite() and amount == amount.quantize(Decimal("0.01")) else value
    except InvalidOperation:
        return value  # GMS says what is wrong with it


def guarantee_reference(movement) -> str | None:
    """The movement's reference in GMS: its MRN, or the one an amendment reserved new guarantees under."""
    return movement.guarantee_ref or movement.mrn


def next_guarantee_reference(mrn: str, current: str) -> str:
    """A fresh GMS reference for a movement whose guarantees change: GMS reserves a reference once."""
    _, _, generation = current.partition("-")
    return f"{mrn}-{int(generation or 1) + 1}"


def _declared_guarantees(data: dict) -> list[tuple[str, dict]]:
    """Each guarantee reference GMS keeps, with its declared type (cash, waivers, TIR … have no GRN: C0086)."""
    return [(guarantee["guaranteeType"], ref) for guarantee in data.get("Guarantee", [])
            if guarantees.requires_grn(guarantee.get("guaranteeType", ""))
            for ref in guarantee.get("GuaranteeReference", [])]


def _declared_references(data: dict) -> list[dict]:
    return [ref for _, ref in _declared_guarantees(data)]


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def holds_the_same(reference: str | None, data: dict) -> bool:
    """Whether GMS holds, under `reference`, exactly the guarantees and amounts `data` declares."""
    if reference is None:
        return False
    held = {(r.grn, r.declared_amount, r.declared_currency) for r in guarantees.reservations(reference)
            if r.state == guarantee_rules.RESERVED}
    declared = {(ref.get("GRN", ""), _amount(ref.get("amountToBeCovered", "")), ref.get("currency", ""))
                for ref in _declared_references(data)}
    return bool(held) and held == declared


def has_reservations(reference: str | None) -> bool:
    """Whether GMS has ever reserved under `reference` (then it cannot reserve under it again)."""
    return reference is not None and bool(guarantees.reservations(reference))


def access_proofs(data: dict) -> dict[str, str]:
    """The declaration's access codes as GMS keeps them, by GRN: what a pre-lodged declaration holds
    until its goods are presented and the guarantee is checked."""
    return {ref["GRN"]: guarantees.access_code_proof(ref["GRN"], ref["accessCode"])
            for ref in _declared_references(data) if ref.get("GRN") and ref.get("accessCode")}


def reserve_guarantees(data: dict, reference: str, caller: str | None = None,
                       proofs: dict[str, str] | None = None) -> list[tuple[str, list[Problem]]]:
    """Reserve every GRN's amount under the movement's GMS reference; on any refusal reserve none and say
    why per GRN. A reference that already holds these amounts is checked again and kept. A GRN whose
    access code the data no longer carries is checked with its proof (`access_proofs`). Wrong access
    codes count against `caller` (the sending company's Party.key; the holder by default)."""
    holder = data["HolderOfTheTransitProcedure"]["identificationNumber"]
    references = [guarantees.DeclaredReference(ref.get("GRN", ""), ref.get("accessCode", ""),
                                               _amount_for_gms(ref.get("amountToBeCovered", "")),
                                               ref.get("currency", ""), guarantee_type)
                  for guarantee_type, ref in _declared_guarantees(data)]
    return guarantees.reserve_all(holder, references, route_countries(data), reference, caller, proofs)


def free_guarantees(reference: str | None) -> None:
    """Arrival (or invalidation, or no release) frees the amounts for reuse."""
    if reference is None:
        return  # a pre-lodged declaration: nothing is reserved before the goods are presented
    try:
        guarantees.free(reference)
    except NotFound:
        pass  # nothing was reserved (cash deposit, waiver, or guarantee not valid)


def discharge_guarantees(reference: str | None) -> None:
    """Control result conform finally discharges the guarantees."""
    if reference is None:
        return
    try:
        guarantees.discharge(reference)
    except NotFound:
        pass
