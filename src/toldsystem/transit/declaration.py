"""A transit declaration (CC015C, seed 003) as dataclasses, read from the phase 5 dict.

The dict is what the XML conversion and the JSON API both produce: keys are the phase 5
element names, leaves are strings, repeated elements are lists, absent optional elements
are missing keys. Reading is tolerant — a missing optional part becomes None or an empty
tuple, and the rules say what is required — but a number or date that cannot be read is a
Problem here, because no rule could judge it.

Every element keeps its XML pointer (`/CC015C/Consignment/HouseConsignment[1]/...`, indexes
counted from 1 in document order) so that a rule can point at the offending element. An
amendment (CC013C) is read the same way under its own root, so its problems point into it.

The model is built for one message and then only read by the rules, which never change it.
It is not frozen: a frozen dataclass sets every field through `object.__setattr__`, and
building the model is on the path of every declaration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from toldsystem.core.errors import Problem, problem

ROOT = "/CC015C"
# Phase 5 authorisation type C521 (ACR): the declaration is lodged as authorised consignor.
AUTHORISED_CONSIGNOR_AUTHORISATION = "C521"
# Amounts, masses and quantities as the official decimal types write them: digits, an optional
# fraction. The official types bound the digits of the value (trailing zeros do not count), so
# the text may be longer than 16 digits; this bound only keeps a hostile value cheap to read.
MAX_NUMBER_CHARACTERS = 40


def at(pointer: str, name: str) -> str:
    """The pointer of a child element or leaf."""
    return f"{pointer}/{name}"


# --- the model ------------------------------------------------------------------------------

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


@dataclass(slots=True)
class TransportMeans:
    """Departure transport means (box 18); the first is the tractor, later ones trailers."""

    type_of_identification: str | None
    identification_number: str | None
    nationality: str | None
    pointer: str


@dataclass(slots=True)
class ActiveBorderTransportMeans:
    """Border-crossing active means (box 21)."""

    customs_office_at_border: str | None
    type_of_identification: str | None
    identification_number: str | None
    nationality: str | None
    conveyance_reference_number: str | None
    pointer: str


@dataclass(slots=True)
class Seal:
    identifier: str | None
    pointer: str


@dataclass(slots=True)
class TransportEquipment:
    """A container or other equipment with its seals (boxes 19, 31, D)."""

    container_identification_number: str | None
    number_of_seals: int | None
    seals: tuple[Seal, ...]
    goods_item_numbers: tuple[int, ...]
    pointer: str


@dataclass(slots=True)
class Document:
    """A previous, supporting or transport document or an additional reference (boxes 40, 44)."""

    type: str | None
    reference_number: str | None
    pointer: str
    quantity: Decimal | None = None  # a previous document's quantity at item level
    measurement_unit: str | None = None  # ... and its unit (CL349)


@dataclass(slots=True)
class AdditionalInformation:
    code: str | None
    text: str | None
    pointer: str


@dataclass(slots=True)
class Packaging:
    """Kind, number and marks of packages (box 31)."""

    type_of_packages: str | None
    number_of_packages: int | None
    shipping_marks: str | None
    pointer: str


@dataclass(slots=True)
class Commodity:
    """Description (31), commodity code (33) and masses (35, 38) of one goods item."""

    description: str | None
    cus_code: str | None
    harmonized_system_code: str | None
    combined_nomenclature_code: str | None
    gross_mass: Decimal | None
    net_mass: Decimal | None
    supplementary_units: Decimal | None
    pointer: str

    @property
    def code_pointer(self) -> str:
        return at(self.pointer, "CommodityCode")

    @property
    def measure_pointer(self) -> str:
        return at(self.pointer, "GoodsMeasure")


@dataclass(slots=True)
class GoodsItem:
    """A goods item (ConsignmentItem; boxes 31-44)."""

    goods_item_number: int | None
    declaration_goods_item_number: int | None
    declaration_type: str | None
    country_of_dispatch: str | None
    country_of_destination: str | None
    reference_number_ucr: str | None
    consignee: Party | None
    commodity: Commodity
    packaging: tuple[Packaging, ...]
    previous_documents: tuple[Document, ...]
    supporting_documents: tuple[Document, ...]
    transport_documents: tuple[Document, ...]
    additional_references: tuple[Document, ...]
    additional_information: tuple[AdditionalInformation, ...]
    transport_charges: str | None
    pointer: str


@dataclass(slots=True)
class HouseConsignment:
    """A house consignment: item-level parties and countries, and its goods items."""

    country_of_dispatch: str | None
    country_of_destination: str | None
    gross_mass: Decimal | None
    reference_number_ucr: str | None
    consignor: Party | None
    consignee: Party | None
    departure_transport_means: tuple[TransportMeans, ...]
    previous_documents: tuple[Document, ...]
    supporting_documents: tuple[Document, ...]
    transport_documents: tuple[Document, ...]
    additional_references: tuple[Document, ...]
    additional_information: tuple[AdditionalInformation, ...]
    transport_charges: str | None
    items: tuple[GoodsItem, ...]
    pointer: str


@dataclass(slots=True)
class Consignment:
    """Header-level consignment data: countries, container indicator, mass, transport, goods."""

    country_of_dispatch: str | None
    country_of_destination: str | None
    container_indicator: str | None
    inland_mode_of_transport: str | None
    mode_of_transport_at_the_border: str | None
    gross_mass: Decimal | None
    reference_number_ucr: str | None
    consignor: Party | None
    consignee: Party | None
    transport_equipment: tuple[TransportEquipment, ...]
    departure_transport_means: tuple[TransportMeans, ...]
    countries_of_routing: tuple[str, ...]
    active_border_transport_means: tuple[ActiveBorderTransportMeans, ...]
    location_of_goods: dict | None  # read as sent: one condition (C0394) looks at it, element by element
    place_of_loading: dict | None
    place_of_unloading: dict | None
    previous_documents: tuple[Document, ...]
    supporting_documents: tuple[Document, ...]
    transport_documents: tuple[Document, ...]
    additional_references: tuple[Document, ...]
    additional_information: tuple[AdditionalInformation, ...]
    transport_charges: str | None
    house_consignments: tuple[HouseConsignment, ...]
    pointer: str


@dataclass(slots=True)
class Extensions:
    """The Danish DMS key/value extensions, flattened to {Key: Value}; isFallback marks fallback."""

    values: dict[str, str]
    pointer: str

    @property
    def is_fallback(self) -> bool:
        return self.values.get("isFallback", "0").strip().lower() in {"1", "true"}


@dataclass(slots=True)
class Declaration:
    """A transit declaration (CC015C, or the declaration a CC013C amends) as the rules see it."""

    message_sender: str | None
    message_identification: str | None
    preparation_date_and_time: str | None
    transit_operation: TransitOperation
    authorisations: tuple[Authorisation, ...]
    office_of_departure: OfficeReference
    office_of_destination: OfficeReference
    offices_of_transit: tuple[OfficeReference, ...]
    offices_of_exit: tuple[OfficeReference, ...]
    holder: Party | None
    representative: Representative | None
    guarantees: tuple[Guarantee, ...]
    consignment: Consignment
    extensions: Extensions
    root: str  # "/CC015C", or "/CC013C" for an amendment
    source: dict  # the message data as read: the code-list and sequence-number rules walk it
    _goods_items: tuple[tuple[HouseConsignment, GoodsItem], ...] | None = field(
        default=None, init=False, repr=False, compare=False)

    @property
    def by_authorised_consignor(self) -> bool:
        """The simplified procedure (box D): the declaration names an authorised-consignor authorisation."""
        return any(a.type == AUTHORISED_CONSIGNOR_AUTHORISATION for a in self.authorisations)

    @property
    def departure_country(self) -> str | None:
        """The country of the office of departure: the first two characters of its reference number."""
        return (self.office_of_departure.reference_number or "")[:2] or None

    @property
    def destination_country(self) -> str | None:
        """The country of the declared office of destination."""
        return (self.office_of_destination.reference_number or "")[:2] or None

    def goods_items(self) -> tuple[tuple[HouseConsignment, GoodsItem], ...]:
        """Every goods item with the house consignment that carries it, in document order."""
        if self._goods_items is None:  # listed once: a dozen rules go through them
            self._goods_items = tuple((house, item) for house in self.consignment.house_consignments
                                      for item in house.items)
        return self._goods_items


# --- reading the dict -----------------------------------------------------------------------

_INTEGER = re.compile(r"^[0-9]{1,9}$")
_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def _text(node: dict, key: str) -> str | None:
    """A leaf's text, stripped; None when absent, empty or not a leaf."""
    value = node.get(key)
    if value.__class__ is str:  # what the XML conversion always gives: the quick way
        return value.strip() or None
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value).strip() or None


def _children(node: dict, key: str) -> list[dict]:
    """A repeated element; a single dict is accepted as a list of one (lenient JSON)."""
    value = node.get(key)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    if isinstance(value, dict):
        return [value]
    return []


def _child(node: dict, key: str) -> dict | None:
    value = node.get(key)
    if isinstance(value, list):  # lenient: a one-element list for a single element
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


class _Reader:
    """Reads numbers and dates tolerantly and collects the problems with them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def integer(self, node: dict, key: str, pointer: str) -> int | None:
        text = _text(node, key)
        if text is None:
            return None
        if not _INTEGER.fullmatch(text):
            self._malformed(at(pointer, key), text, "a whole number", "et helt tal")
            return None
        return int(text)

    def decimal(self, node: dict, key: str, pointer: str) -> Decimal | None:
        text = _text(node, key)
        if text is None:
            return None
        try:
            value = Decimal(text) if len(text) <= MAX_NUMBER_CHARACTERS and _DECIMAL.fullmatch(text) else None
        except InvalidOperation:  # pragma: no cover - the pattern guards this
            value = None
        if value is None:
            self._malformed(at(pointer, key), text, "a positive decimal number (e.g. 1200.5)",
                            "et positivt decimaltal (fx 1200.5)")
        return value

    def day(self, node: dict, key: str, pointer: str) -> date | None:
        text = _text(node, key)
        if text is None:
            return None
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return date.fromisoformat(text)
        except ValueError:
            pass
        self._malformed(at(pointer, key), text, "a date as YYYY-MM-DD", "en dato som ÅÅÅÅ-MM-DD")
        return None

    def _malformed(self, pointer: str, text: str, expected_en: str, expected_da: str) -> None:
        self.problems.append(problem("transit.malformed", pointer, f"{text!r} is not {expected_en}",
                                     f"{text!r} er ikke {expected_da}"))


def declaration_from_data(data: dict, root: str = ROOT) -> Declaration | list[Problem]:
    """The declaration in a phase 5 CC015C (or CC013C) dict, or the problems with its numbers and dates."""
    if not isinstance(data, dict):
        return [problem("transit.malformed", root, "the declaration must be an object",
                        "angivelsen skal være et objekt")]
    r = _Reader()
    holder = _child(data, "HolderOfTheTransitProcedure")
    representative = _child(data, "Representative")
    declaration = Declaration(
        message_sender=_text(data, "messageSender"),
        message_identification=_text(data, "messageIdentification"),
        preparation_date_and_time=_text(data, "preparationDateAndTime"),
        transit_operation=_transit_operation(r, _child(data, "TransitOperation") or {}, at(root, "TransitOperation")),
        authorisations=tuple(
            Authorisation(_text(a, "type"), _text(a, "referenceNumber"), p)
            for a, p in _each(data, "Authorisation", root)),
        office_of_departure=_office(r, _child(data, "CustomsOfficeOfDeparture"), at(root, "CustomsOfficeOfDeparture")),
        office_of_destination=_office(r, _child(data, "CustomsOfficeOfDestinationDeclared"),
                                      at(root, "CustomsOfficeOfDestinationDeclared")),
        offices_of_transit=tuple(_office(r, o, p) for o, p in _each(data, "CustomsOfficeOfTransitDeclared", root)),
        offices_of_exit=tuple(_office(r, o, p) for o, p in _each(data, "CustomsOfficeOfExitForTransitDeclared", root)),
        holder=_party(r, holder, at(root, "HolderOfTheTransitProcedure")),
        representative=None if representative is None else Representative(
            _text(representative, "identificationNumber"), _text(representative, "status"), at(root, "Representative")),
        guarantees=tuple(_guarantee(r, g, p) for g, p in _each(data, "Guarantee", root)),
        consignment=_consignment(r, _child(data, "Consignment") or {}, at(root, "Consignment")),
        extensions=Extensions(_flatten_extensions(data.get("Extensions")), at(root, "Extensions")),
        root=root,
        source=data,
    )
    return r.problems or declaration


def _each(node: dict, name: str, pointer: str) -> list[tuple[dict, str]]:
    """A repeated element's entries, each with its pointer (`.../name[1]`, counted from 1)."""
    if node.get(name) is None:  # the usual case for an optional element: nothing to point at
        return []
    return [(child, f"{pointer}/{name}[{index}]") for index, child in enumerate(_children(node, name), start=1)]


def _transit_operation(r: _Reader, node: dict, pointer: str) -> TransitOperation:
    return TransitOperation(
        lrn=_text(node, "LRN"),
        declaration_type=_declaration_type(_text(node, "declarationType")),
        additional_declaration_type=_text(node, "additionalDeclarationType"),
        tir_carnet_number=_text(node, "TIRCarnetNumber"),
        security=_text(node, "security"),
        reduced_dataset_indicator=_text(node, "reducedDatasetIndicator"),
        specific_circumstance_indicator=_text(node, "specificCircumstanceIndicator"),
        communication_language_at_departure=_text(node, "communicationLanguageAtDeparture"),
        binding_itinerary=_text(node, "bindingItinerary"),
        limit_date=r.day(node, "limitDate", pointer),
        pointer=pointer,
    )


def _declaration_type(text: str | None) -> str | None:
    """The seed (box 1) writes a mixed consignment as 'T-', phase 5 as 'T'.

    CL231 knows only 'T', and the code-list rule refuses 'T-'; it is read as 'T' so that the
    other rules judge the rest of the declaration as the sender meant it (one problem, not ten).
    """
    return "T" if text == "T-" else text


def _office(r: _Reader, node: dict | None, pointer: str) -> OfficeReference:
    node = node or {}
    return OfficeReference(_text(node, "referenceNumber"), pointer, _text(node, "arrivalDateAndTimeEstimated"))


def _party(r: _Reader, node: dict | None, pointer: str) -> Party | None:
    if node is None:
        return None
    address = _child(node, "Address")
    address_pointer = at(pointer, "Address")
    return Party(
        identification_number=_text(node, "identificationNumber"),
        name=_text(node, "name"),
        address=None if address is None else Address(
            _text(address, "streetAndNumber"), _text(address, "postcode"), _text(address, "city"),
            _text(address, "country"), address_pointer),
        pointer=pointer,
        tir_holder_identification_number=_text(node, "TIRHolderIdentificationNumber"),
    )


def _guarantee(r: _Reader, node: dict, pointer: str) -> Guarantee:
    return Guarantee(
        guarantee_type=_text(node, "guaranteeType"),
        other_guarantee_reference=_text(node, "otherGuaranteeReference"),
        references=tuple(
            GuaranteeReference(_text(g, "GRN"), _text(g, "accessCode"), r.decimal(g, "amountToBeCovered", p),
                               _text(g, "currency"), p)
            for g, p in _each(node, "GuaranteeReference", pointer)),
        pointer=pointer,
    )


def _transport_means(r: _Reader, node: dict, name: str, pointer: str) -> tuple[TransportMeans, ...]:
    return tuple(
        TransportMeans(_text(m, "typeOfIdentification"), _text(m, "identificationNumber"), _text(m, "nationality"), p)
        for m, p in _each(node, name, pointer))


def _documents(r: _Reader, node: dict, name: str, pointer: str) -> tuple[Document, ...]:
    return tuple(Document(_text(d, "type"), _text(d, "referenceNumber"), p, r.decimal(d, "quantity", p),
                          _text(d, "measurementUnitAndQualifier"))
                 for d, p in _each(node, name, pointer))


def _transport_charges(node: dict) -> str | None:
    return _text(_child(node, "TransportCharges") or {}, "methodOfPayment")


def _additional_information(r: _Reader, node: dict, pointer: str) -> tuple[AdditionalInformation, ...]:
    return tuple(AdditionalInformation(_text(a, "code"), _text(a, "text"), p)
                 for a, p in _each(node, "AdditionalInformation", pointer))


def _transport_equipment(r: _Reader, node: dict, pointer: str) -> TransportEquipment:
    goods_numbers = (r.integer(g, "declarationGoodsItemNumber", p)
                     for g, p in _each(node, "GoodsReference", pointer))
    return TransportEquipment(
        container_identification_number=_text(node, "containerIdentificationNumber"),
        number_of_seals=r.integer(node, "numberOfSeals", pointer),
        seals=tuple(Seal(_text(s, "identifier"), p) for s, p in _each(node, "Seal", pointer)),
        goods_item_numbers=tuple(n for n in goods_numbers if n is not None),
        pointer=pointer,
    )


def _consignment(r: _Reader, node: dict, pointer: str) -> Consignment:
    return Consignment(
        country_of_dispatch=_text(node, "countryOfDispatch"),
        country_of_destination=_text(node, "countryOfDestination"),
        container_indicator=_text(node, "containerIndicator"),
        inland_mode_of_transport=_text(node, "inlandModeOfTransport"),
        mode_of_transport_at_the_border=_text(node, "modeOfTransportAtTheBorder"),
        gross_mass=r.decimal(node, "grossMass", pointer),
        reference_number_ucr=_text(node, "referenceNumberUCR"),
        consignor=_party(r, _child(node, "Consignor"), at(pointer, "Consignor")),
        consignee=_party(r, _child(node, "Consignee"), at(pointer, "Consignee")),
        transport_equipment=tuple(_transport_equipment(r, e, p) for e, p in _each(node, "TransportEquipment", pointer)),
        departure_transport_means=_transport_means(r, node, "DepartureTransportMeans", pointer),
        countries_of_routing=_countries_of_routing(r, node),
        active_border_transport_means=tuple(
            ActiveBorderTransportMeans(_text(m, "customsOfficeAtBorderReferenceNumber"), _text(m, "typeOfIdentification"),
                                       _text(m, "identificationNumber"), _text(m, "nationality"),
                                       _text(m, "conveyanceReferenceNumber"), p)
            for m, p in _each(node, "ActiveBorderTransportMeans", pointer)),
        location_of_goods=_child(node, "LocationOfGoods"),
        place_of_loading=_child(node, "PlaceOfLoading"),
        place_of_unloading=_child(node, "PlaceOfUnloading"),
        previous_documents=_documents(r, node, "PreviousDocument", pointer),
        supporting_documents=_documents(r, node, "SupportingDocument", pointer),
        transport_documents=_documents(r, node, "TransportDocument", pointer),
        additional_references=_documents(r, node, "AdditionalReference", pointer),
        additional_information=_additional_information(r, node, pointer),
        transport_charges=_transport_charges(node),
        house_consignments=tuple(_house(r, h, p) for h, p in _each(node, "HouseConsignment", pointer)),
        pointer=pointer,
    )


def _countries_of_routing(r: _Reader, node: dict) -> tuple[str, ...]:
    """Routing countries in itinerary order: by sequenceNumber where given, else as listed."""
    entries = _children(node, "CountryOfRoutingOfConsignment")
    ordered = sorted(enumerate(entries), key=lambda e: (_sequence(e[1]), e[0]))
    return tuple(country for _, entry in ordered if (country := _text(entry, "country")))


def _sequence(node: dict) -> int:
    text = str(node.get("sequenceNumber", "")).strip()
    return int(text) if text.isdigit() else 0


def _house(r: _Reader, node: dict, pointer: str) -> HouseConsignment:
    return HouseConsignment(
        country_of_dispatch=_text(node, "countryOfDispatch"),
        country_of_destination=_text(node, "countryOfDestination"),
        gross_mass=r.decimal(node, "grossMass", pointer),
        reference_number_ucr=_text(node, "referenceNumberUCR"),
        consignor=_party(r, _child(node, "Consignor"), at(pointer, "Consignor")),
        consignee=_party(r, _child(node, "Consignee"), at(pointer, "Consignee")),
        departure_transport_means=_transport_means(r, node, "DepartureTransportMeans", pointer),
        previous_documents=_documents(r, node, "PreviousDocument", pointer),
        supporting_documents=_documents(r, node, "SupportingDocument", pointer),
        transport_documents=_documents(r, node, "TransportDocument", pointer),
        additional_references=_documents(r, node, "AdditionalReference", pointer),
        additional_information=_additional_information(r, node, pointer),
        transport_charges=_transport_charges(node),
        items=tuple(_item(r, i, p) for i, p in _each(node, "ConsignmentItem", pointer)),
        pointer=pointer,
    )


def _item(r: _Reader, node: dict, pointer: str) -> GoodsItem:
    return GoodsItem(
        goods_item_number=r.integer(node, "goodsItemNumber", pointer),
        declaration_goods_item_number=r.integer(node, "declarationGoodsItemNumber", pointer),
        declaration_type=_text(node, "declarationType"),
        country_of_dispatch=_text(node, "countryOfDispatch"),
        country_of_destination=_text(node, "countryOfDestination"),
        reference_number_ucr=_text(node, "referenceNumberUCR"),
        consignee=_party(r, _child(node, "Consignee"), at(pointer, "Consignee")),
        commodity=_commodity(r, _child(node, "Commodity") or {}, at(pointer, "Commodity")),
        packaging=tuple(
            Packaging(_text(p, "typeOfPackages"), r.integer(p, "numberOfPackages", pp), _text(p, "shippingMarks"), pp)
            for p, pp in _each(node, "Packaging", pointer)),
        previous_documents=_documents(r, node, "PreviousDocument", pointer),
        supporting_documents=_documents(r, node, "SupportingDocument", pointer),
        transport_documents=_documents(r, node, "TransportDocument", pointer),
        additional_references=_documents(r, node, "AdditionalReference", pointer),
        additional_information=_additional_information(r, node, pointer),
        transport_charges=_transport_charges(node),
        pointer=pointer,
    )


def _commodity(r: _Reader, node: dict, pointer: str) -> Commodity:
    code = _child(node, "CommodityCode") or {}
    measure = _child(node, "GoodsMeasure") or {}
    measure_pointer = at(pointer, "GoodsMeasure")
    return Commodity(
        description=_text(node, "descriptionOfGoods"),
        cus_code=_text(node, "cusCode"),
        harmonized_system_code=_text(code, "harmonizedSystemSubHeadingCode"),
        combined_nomenclature_code=_text(code, "combinedNomenclatureCode"),
        gross_mass=r.decimal(measure, "grossMass", measure_pointer),
        net_mass=r.decimal(measure, "netMass", measure_pointer),
        supplementary_units=r.decimal(measure, "supplementaryUnits", measure_pointer),
        pointer=pointer,
    )


def _flatten_extensions(value: Any) -> dict[str, str]:
    """DMS extensions as {Key: Value}: from a list of Key/Value entries (nested ones too) or a plain dict."""
    flat: dict[str, str] = {}
    if isinstance(value, dict) and "Key" not in value:
        return {str(k): str(v) for k, v in value.items() if not isinstance(v, (dict, list))}
    entries = [value] if isinstance(value, dict) else value if isinstance(value, list) else []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        if entry.get("Key") is not None and entry.get("DataType") != "object":
            flat[str(entry["Key"])] = str(entry.get("Value", ""))
        flat.update(_flatten_extensions(entry.get("Extensions")))
    return flat
