"""The declaration's header parts: parties, offices, authorisations, transit operation, guarantees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(slots=True)
class Address:
    street_and_number: str | None
    postcode: str | None
    city: str | None
    country: str | None
    pointer: str


@dataclass(slots=True)
class Party:
    """Consignor, consignee or holder: identification number, name and address (boxes 2, 8, 50)."""

    identification_number: str | None
    name: str | None
    address: Address | None
    pointer: str
    tir_holder_identification_number: str | None = None  # the holder's, in a TIR declaration


@dataclass(slots=True)
class Representative:
    """The holder's representative: identification number and status (CL094)."""

    identification_number: str | None
    status: str | None
    pointer: str


@dataclass(slots=True)
class OfficeReference:
    """A customs office named in the declaration (boxes C, 51, 53)."""

    reference_number: str | None
    pointer: str
    arrival_estimated: str | None = None  # an office of transit's estimated arrival (date and time)


@dataclass(slots=True)
class Authorisation:
    type: str | None
    reference_number: str | None
    pointer: str


@dataclass(slots=True)
class TransitOperation:
    """Header data: LRN, declaration type (box 1), language, time limit (box D)."""

    lrn: str | None
    declaration_type: str | None
    additional_declaration_type: str | None
    tir_carnet_number: str | None
    security: str | None
    reduced_dataset_indicator: str | None
    specific_circumstance_indicator: str | None
    communication_language_at_departure: str | None
    binding_itinerary: str | None
    limit_date: date | None
    pointer: str


@dataclass(slots=True)
class GuaranteeReference:
    grn: str | None
    access_code: str | None
    amount_to_be_covered: Decimal | None
    currency: str | None
    pointer: str


@dataclass(slots=True)
class Guarantee:
    """Box 52: guarantee type and its references (GRN, access code, amount)."""

    guarantee_type: str | None
    other_guarantee_reference: str | None
    references: tuple[GuaranteeReference, ...]
    pointer: str
