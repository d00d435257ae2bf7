"""The portal's declaration form ⇄ the CC015C data the JSON and XML channels give transit.service (seed 003).

Pure: no store, no framework. A form is flat strings — header fields by name, goods items as `item-N-field` —
and each field is one element of the CC015C, named by its path below, so a rejection's pointer
(`/CC015C/Consignment/HouseConsignment[1]/ConsignmentItem[2]/Commodity/GoodsMeasure/grossMass`) leads
back to the field it is shown at (`item-2-gross_mass`). What a person never chooses (sequence numbers,
the language DA, security 0) is filled in as every CC015C of the portal has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from toldsystem.core.errors import Problem

ROOT = "/CC015C"
ITEMS_PATH = "Consignment/HouseConsignment[]/ConsignmentItem"
MOST_ITEMS = 999  # box 5: phase 5 numbers goods items 1..999

# Header fields: form name → path in the CC015C data; "X[]" is the first (and in the form, only) X of a list.
HEADER: dict[str, str] = {
    "lrn": "TransitOperation/LRN",
    "declaration_type": "TransitOperation/declarationType",
    "limit_date": "TransitOperation/limitDate",
    "authorisation": "Authorisation[]/referenceNumber",
    "office_of_departure": "CustomsOfficeOfDeparture/referenceNumber",
    "office_of_destination": "CustomsOfficeOfDestinationDeclared/referenceNumber",
    "office_of_transit": "CustomsOfficeOfTransitDeclared[]/referenceNumber",
    "holder_eori": "HolderOfTheTransitProcedure/identificationNumber",
    "holder_name": "HolderOfTheTransitProcedure/name",
    "holder_street": "HolderOfTheTransitProcedure/Address/streetAndNumber",
    "holder_postcode": "HolderOfTheTransitProcedure/Address/postcode",
    "holder_city": "HolderOfTheTransitProcedure/Address/city",
    "holder_country": "HolderOfTheTransitProcedure/Address/country",
    "representative_eori": "Representative/identificationNumber",
    "guarantee_type": "Guarantee[]/guaranteeType",
    "grn": "Guarantee[]/GuaranteeReference[]/GRN",
    "access_code": "Guarantee[]/GuaranteeReference[]/accessCode",
    "amount": "Guarantee[]/GuaranteeReference[]/amountToBeCovered",
    "currency": "Guarantee[]/GuaranteeReference[]/currency",
    "country_of_dispatch": "Consignment/countryOfDispatch",
    "country_of_destination": "Consignment/countryOfDestination",
    "container_indicator": "Consignment/containerIndicator",
    "inland_mode": "Consignment/inlandModeOfTransport",
    "gross_mass": "Consignment/grossMass",
    "consignor_eori": "Consignment/Consignor/identificationNumber",
    "consignor_name": "Consignment/Consignor/name",
    "consignor_street": "Consignment/Consignor/Address/streetAndNumber",
    "consignor_postcode": "Consignment/Consignor/Address/postcode",
    "consignor_city": "Consignment/Consignor/Address/city",
    "consignor_country": "Consignment/Consignor/Address/country",
    "consignee_eori": "Consignment/Consignee/identificationNumber",
    "consignee_name": "Consignment/Consignee/name",
    "consignee_street": "Consignment/Consignee/Address/streetAndNumber",
    "consignee_postcode": "Consignment/Consignee/Address/postcode",
    "consignee_city": "Consignment/Consignee/Address/city",
    "consignee_country": "Consignment/Consignee/Address/country",
    "container_number": "Consignment/TransportEquipment[]/containerIdentificationNumber",
    "seals": "Consignment/TransportEquipment[]/Seal",  # identifiers, comma-separated in the form
    "departure_means_type": "Consignment/DepartureTransportMeans[]/typeOfIdentification",
    "departure_means_identity": "Consignment/DepartureTransportMeans[]/identificationNumber",
    "departure_means_nationality": "Consignment/DepartureTransportMeans[]/nationality",
    "border_office": "Consignment/ActiveBorderTransportMeans[]/customsOfficeAtBorderReferenceNumber",
    "border_means_type": "Consignment/ActiveBorderTransportMeans[]/typeOfIdentification",
    "border_means_identity": "Consignment/ActiveBorderTransportMeans[]/identificationNumber",
    "border_means_nationality": "Consignment/ActiveBorderTransportMeans[]/nationality",
}

# A goods item's fields (boxes 31–33, 35, 38, 44): form name → path under its ConsignmentItem.
ITEM: dict[str, str] = {
    "declaration_type": "declarationType",  # T- only: each item says T1 or T2
    "description": "Commodity/descriptionOfGoods",
    "hs_code": "Commodity/CommodityCode/harmonizedSystemSubHeadingCode",
    "gross_mass": "Commodity/GoodsMeasure/grossMass",
    "net_mass": "Commodity/GoodsMeasure/netMass",
    "package_type": "Packaging[]/typeOfPackages",
    "packages": "Packaging[]/numberOfPackages",
    "marks": "Packaging[]/shippingMarks",
    "document_type": "SupportingDocument[]/type",
    "document_reference": "SupportingDocument[]/referenceNumber",
}

# What every CC015C from the portal states and no one chooses in it (the language code DA, box "Language").
FIXED_OPERATION = {"additionalDeclarationType": "A", "security": "0", "reducedDatasetIndicator": "0",
                   "communicationLanguageAtDeparture": "DA", "bindingItinerary": "0"}
AUTHORISED_CONSIGNOR = "C521"  # the authorisation a reference in "authorisation" is (ACR, box D)
REPRESENTATIVE_STATUS = "2"  # direct representation: lodged in the holder's name
_ITEM_NAME = re.compile(r"item-([1-9][0-9]{0,2})-([a-z_]+)")


@dataclass
class DeclarationForm:
    """The form as posted: header fields by name and the goods items in order, every value a stripped string."""

    header: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=lambda: [{}])


def item_field(number: int, name: str) -> str:
    """The form name of goods item `number`'s field (counted from 1, as box 32)."""
    return f"item-{number}-{name}"


def read_form(pairs: Iterable[tuple[str, str]]) -> DeclarationForm:
    """The form from posted name/value pairs; unknown names are ignored, items kept in number order."""
    header: dict[str, str] = {}
    items: dict[int, dict[str, str]] = {}
    for name, value in pairs:
        value = (value or "").strip()
        found = _ITEM_NAME.fullmatch(name)
        if found is not None and found.group(2) in ITEM:
            items.setdefault(int(found.group(1)), {})[found.group(2)] = value
        elif name in HEADER:
            header[name] = value
    ordered = [items[n] for n in sorted(items)][:MOST_ITEMS]
    return DeclarationForm(header, ordered or [{}])


def with_item_added(form: DeclarationForm) -> DeclarationForm:
    """The form with one more, empty goods item at the end ("add item", which works without JavaScript)."""
    if len(form.items) >= MOST_ITEMS:
        return form
    return DeclarationForm(dict(form.header), [dict(i) for i in form.items] + [{}])


def with_item_removed(form: DeclarationForm, number: int) -> DeclarationForm:
    """The form without goods item `number` (the others renumbered 1..n, box 32); the last item stays."""
    if len(form.items) <= 1 or not 1 <= number <= len(form.items):
        return form
    return DeclarationForm(dict(form.header), [dict(i) for n, i in enumerate(form.items, 1) if n != number])


# --- form → CC015C data ------------------------------------------------------------------------------

def declaration_data(form: DeclarationForm, *, sender: str, identification: str, prepared_at: str) -> dict:
    """The CC015C data of the form, as the JSON channel would send it: `sender` is messageSender (the holder, or
    the representative lodging in its name), `prepared_at` the local preparation time (ISO, no zone)."""
    data: dict = {"messageSender": sender, "messageRecipient": "NTA.DK", "preparationDateAndTime": prepared_at,
                  "messageIdentification": identification, "messageType": "CC015C",
                  "TransitOperation": {}}
    for name, path in HEADER.items():
        value = form.header.get(name, "")
        if value and name != "seals":
            _put(data, path, value)
    data["TransitOperation"] = _operation(data["TransitOperation"])
    if "Authorisation" in data:
        data["Authorisation"][0]["type"] = AUTHORISED_CONSIGNOR
    if "Representative" in data:
        data["Representative"]["status"] = REPRESENTATIVE_STATUS
    consignment = data.setdefault("Consignment", {})
    _put_seals(consignment, _seal_identifiers(form.header.get("seals", "")))
    items = [_item_data(number, item) for number, item in enumerate(form.items, 1)]
    summed = _sum_of_gross_masses(items)
    gross = form.header.get("gross_mass") or summed
    house: dict = {"sequenceNumber": "1"}
    if gross:  # the form's one house consignment carries what its items weigh
        consignment["grossMass"], house["grossMass"] = gross, summed or gross
    consignment["HouseConsignment"] = [house | {"ConsignmentItem": items}]
    return data


def _operation(given: dict) -> dict:
    """TransitOperation in the schema's order: the LRN and type chosen, then what is fixed, then box D."""
    ordered = {k: given[k] for k in ("LRN", "declarationType") if k in given}
    return ordered | FIXED_OPERATION | {k: v for k, v in given.items() if k not in ordered}


def _item_data(number: int, item: dict[str, str]) -> dict:
    data: dict = {"goodsItemNumber": str(number), "declarationGoodsItemNumber": str(number)}
    for name, path in ITEM.items():
        if item.get(name):
            _put(data, path, item[name])
    return data


def _sum_of_gross_masses(items: list[dict]) -> str:
    """Box 35 when not given: the sum of the items' gross masses (box 38) that read as numbers; one that does not
    is the schema's to refuse at its item."""
    masses = []
    for item in items:
        try:
            masses.append(Decimal(item["Commodity"]["GoodsMeasure"]["grossMass"]))
        except (KeyError, InvalidOperation):
            continue
    return f"{sum(masses):f}" if masses else ""


def _seal_identifiers(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def _put_seals(consignment: dict, seals: list[str]) -> None:
    if not seals:
        return
    equipment = consignment.setdefault("TransportEquipment", [{"sequenceNumber": "1"}])[0]
    equipment["numberOfSeals"] = str(len(seals))
    equipment["Seal"] = [{"sequenceNumber": str(n), "identifier": s} for n, s in enumerate(seals, 1)]


def _put(data: dict, path: str, value: str) -> None:
    """Set the leaf at `path`, making the elements on the way (a list's first entry numbered 1)."""
    *parents, leaf = path.split("/")
    node = data
    for part in parents:
        if part.endswith("[]"):
            node = node.setdefault(part[:-2], [{"sequenceNumber": "1"}])[0]
        else:
            node = node.setdefault(part, {})
    node[leaf] = value


# --- CC015C data → form -------------------------------------------------------------------------------

def form_of(data: dict) -> DeclarationForm:
    """The form showing a CC015C's data (what the portal sent, or a declaration to start from); what the form
    has no field for is left out."""
    header = {name: _get(data, path) for name, path in HEADER.items() if name != "seals"}
    equipment = (data.get("Consignment", {}).get("TransportEquipment") or [{}])[0]
    header["seals"] = ", ".join(s.get("identifier", "") for s in equipment.get("Seal", []))
    items = [{name: _get(item, path) for name, path in ITEM.items()}
             for house in data.get("Consignment", {}).get("HouseConsignment", [])
             for item in house.get("ConsignmentItem", [])]
    return DeclarationForm({k: v for k, v in header.items() if v}, [{k: v for k, v in i.items() if v} for i in items]
                           or [{}])


def _get(data: dict, path: str) -> str:
    node: object = data
    for part in path.split("/"):
        if not isinstance(node, dict):
            return ""
        node = node.get(part.removesuffix("[]"))
        if part.endswith("[]"):
            node = node[0] if isinstance(node, list) and node else None
    return node if isinstance(node, str) else ""


# --- rejections → fields ------------------------------------------------------------------------------

def _pointer(path: str) -> str:
    return f"{ROOT}/" + path.replace("[]", "[1]")


_HEADER_POINTERS = {_pointer(path): name for name, path in HEADER.items()} | {
    _pointer("Consignment/HouseConsignment[]/grossMass"): "gross_mass"}  # the form's one house consignment
_ITEM_POINTER = re.compile(re.escape(_pointer(ITEMS_PATH)) + r"\[([0-9]+)\](.*)")
_ITEM_POINTERS = {("/" + path.replace("[]", "[1]")): name for name, path in ITEM.items()}


def field_of(pointer: str) -> str | None:
    """The form field a problem's pointer is about: the field of that element, else the first field inside it
    (a missing part), else the nearest field around it; None when the form has none (shown above the form)."""
    found = _ITEM_POINTER.fullmatch(pointer)
    if found is not None:
        name = _nearest(found.group(2), _ITEM_POINTERS, "/Commodity/descriptionOfGoods")
        return item_field(int(found.group(1)), name) if name else None
    if pointer.startswith(_pointer("Consignment/TransportEquipment[]/Seal")):
        return "seals"
    if pointer.rstrip("/") in (ROOT, f"{ROOT}/Consignment"):  # the whole message: no one field holds it
        return None
    return _nearest(pointer, _HEADER_POINTERS, None)


def _nearest(pointer: str, fields: dict[str, str], whole: str | None) -> str | None:
    if pointer in fields:
        return fields[pointer]
    if not pointer:  # the goods item itself
        return fields.get(whole) if whole else None
    inside = [name for path, name in fields.items() if path.startswith(pointer + "/")]
    if inside:
        return inside[0]
    around = [path for path in fields if pointer.startswith(path + "/")]
    return fields[max(around, key=len)] if around else None


def problems_by_field(problems: Iterable[Problem]) -> tuple[dict[str, list[Problem]], list[Problem]]:
    """The problems shown at each field, and those no field of the form holds (shown above it)."""
    at_fields: dict[str, list[Problem]] = {}
    elsewhere: list[Problem] = []
    for found in problems:
        name = field_of(found.pointer)
        if name is None:
            elsewhere.append(found)
        else:
            at_fields.setdefault(name, []).append(found)
    return at_fields, elsewhere
