"""Building the declaration model from the phase 5 dict, part by part."""

from __future__ import annotations

from toldsystem.core.errors import Problem, problem
from toldsystem.transit.declaration.consignment import (
    ActiveBorderTransportMeans,
    AdditionalInformation,
    Commodity,
    Consignment,
    Document,
    GoodsItem,
    HouseConsignment,
    Packaging,
    Seal,
    TransportEquipment,
    TransportMeans,
)
from toldsystem.transit.declaration.extensions import Extensions, flatten_extensions
from toldsystem.transit.declaration.header import (
    Address,
    Authorisation,
    Guarantee,
    GuaranteeReference,
    OfficeReference,
    Party,
    Representative,
    TransitOperation,
)
from toldsystem.transit.declaration.leaves import Reader, each, leaf, repeated, single
from toldsystem.transit.declaration.model import Declaration
from toldsystem.transit.declaration.pointers import ROOT, at


def declaration_from_data(data: dict, root: str = ROOT) -> Declaration | list[Problem]:
    """The declaration in a phase 5 CC015C (or CC013C) dict, or the problems with its numbers and dates."""
    if not isinstance(data, dict):
        return [problem("transit.malformed", root, "the declaration must be an object",
                        "angivelsen skal være et objekt")]
    r = Reader()
    holder = single(data, "HolderOfTheTransitProcedure")
    representative = single(data, "Representative")
    declaration = Declaration(
        message_sender=leaf(data, "messageSender"),
        message_identification=leaf(data, "messageIdentification"),
        preparation_date_and_time=leaf(data, "preparationDateAndTime"),
        transit_operation=_transit_operation(r, single(data, "TransitOperation") or {}, at(root, "TransitOperation")),
        authorisations=tuple(
            Authorisation(leaf(a, "type"), leaf(a, "referenceNumber"), p)
            for a, p in each(data, "Authorisation", root)),
        office_of_departure=_office(r, single(data, "CustomsOfficeOfDeparture"), at(root, "CustomsOfficeOfDeparture")),
        office_of_destination=_office(r, single(data, "CustomsOfficeOfDestinationDeclared"),
                                      at(root, "CustomsOfficeOfDestinationDeclared")),
        offices_of_transit=tuple(_office(r, o, p) for o, p in each(data, "CustomsOfficeOfTransitDeclared", root)),
        offices_of_exit=tuple(_office(r, o, p) for o, p in each(data, "CustomsOfficeOfExitForTransitDeclared", root)),
        holder=_party(r, holder, at(root, "HolderOfTheTransitProcedure")),
        representative=None if representative is None else Representative(
            leaf(representative, "identificationNumber"), leaf(representative, "status"), at(root, "Representative")),
        guarantees=tuple(_guarantee(r, g, p) for g, p in each(data, "Guarantee", root)),
        consignment=_consignment(r, single(data, "Consignment") or {}, at(root, "Consignment")),
        extensions=Extensions(flatten_extensions(data.get("Extensions")), at(root, "Extensions")),
        root=root,
        source=data,
    )
    return r.problems or declaration


def _transit_operation(r: Reader, node: dict, pointer: str) -> TransitOperation:
    return TransitOperation(
        lrn=leaf(node, "LRN"),
        declaration_type=_declaration_type(leaf(node, "declarationType")),
        additional_declaration_type=leaf(node, "additionalDeclarationType"),
        tir_carnet_number=leaf(node, "TIRCarnetNumber"),
        security=leaf(node, "security"),
        reduced_dataset_indicator=leaf(node, "reducedDatasetIndicator"),
        specific_circumstance_indicator=leaf(node, "specificCircumstanceIndicator"),
        communication_language_at_departure=leaf(node, "communicationLanguageAtDeparture"),
        binding_itinerary=leaf(node, "bindingItinerary"),
        limit_date=r.day(node, "limitDate", pointer),
        pointer=pointer,
    )


def _declaration_type(text: str | None) -> str | None:
    """The seed (box 1) writes a mixed consignment as 'T-', phase 5 as 'T'.

    CL231 knows only 'T', and the code-list rule refuses 'T-'; it is read as 'T' so that the
    other rules judge the rest of the declaration as the sender meant it (one problem, not ten).
    """
    return "T" if text == "T-" else text


def _office(r: Reader, node: dict | None, pointer: str) -> OfficeReference:
    node = node or {}
    return OfficeReference(leaf(node, "referenceNumber"), pointer, leaf(node, "arrivalDateAndTimeEstimated"))


def _party(r: Reader, node: dict | None, pointer: str) -> Party | None:
    if node is None:
        return None
    address = single(node, "Address")
    address_pointer = at(pointer, "Address")
    return Party(
        identification_number=leaf(node, "identificationNumber"),
        name=leaf(node, "name"),
        address=None if address is None else Address(
            leaf(address, "streetAndNumber"), leaf(address, "postcode"), leaf(address, "city"),
            leaf(address, "country"), address_pointer),
        pointer=pointer,
        tir_holder_identification_number=leaf(node, "TIRHolderIdentificationNumber"),
    )


def _guarantee(r: Reader, node: dict, pointer: str) -> Guarantee:
    return Guarantee(
        guarantee_type=leaf(node, "guaranteeType"),
        other_guarantee_reference=leaf(node, "otherGuaranteeReference"),
        references=tuple(
            GuaranteeReference(leaf(g, "GRN"), leaf(g, "accessCode"), r.decimal(g, "amountToBeCovered", p),
                               leaf(g, "currency"), p)
            for g, p in each(node, "GuaranteeReference", pointer)),
        pointer=pointer,
    )


def _transport_means(r: Reader, node: dict, name: str, pointer: str) -> tuple[TransportMeans, ...]:
    return tuple(
        TransportMeans(leaf(m, "typeOfIdentification"), leaf(m, "identificationNumber"), leaf(m, "nationality"), p)
        for m, p in each(node, name, pointer))


def _documents(r: Reader, node: dict, name: str, pointer: str) -> tuple[Document, ...]:
    return tuple(Document(leaf(d, "type"), leaf(d, "referenceNumber"), p, r.decimal(d, "quantity", p),
                          leaf(d, "measurementUnitAndQualifier"))
                 for d, p in each(node, name, pointer))


def _transport_charges(node: dict) -> str | None:
    return leaf(single(node, "TransportCharges") or {}, "methodOfPayment")


def _additional_information(r: Reader, node: dict, pointer: str) -> tuple[AdditionalInformation, ...]:
    return tuple(AdditionalInformation(leaf(a, "code"), leaf(a, "text"), p)
                 for a, p in each(node, "AdditionalInformation", pointer))


def _transport_equipment(r: Reader, node: dict, pointer: str) -> TransportEquipment:
    goods_numbers = (r.integer(g, "declarationGoodsItemNumber", p)
                     for g, p in each(node, "GoodsReference", pointer))
    return TransportEquipment(
        container_identification_number=leaf(node, "containerIdentificationNumber"),
        number_of_seals=r.integer(node, "numberOfSeals", pointer),
        seals=tuple(Seal(leaf(s, "identifier"), p) for s, p in each(node, "Seal", pointer)),
        goods_item_numbers=tuple(n for n in goods_numbers if n is not None),
        pointer=pointer,
    )


def _consignment(r: Reader, node: dict, pointer: str) -> Consignment:
    return Consignment(
        country_of_dispatch=leaf(node, "countryOfDispatch"),
        country_of_destination=leaf(node, "countryOfDestination"),
        container_indicator=leaf(node, "containerIndicator"),
        inland_mode_of_transport=leaf(node, "inlandModeOfTransport"),
        mode_of_transport_at_the_border=leaf(node, "modeOfTransportAtTheBorder"),
        gross_mass=r.decimal(node, "grossMass", pointer),
        reference_number_ucr=leaf(node, "referenceNumberUCR"),
        consignor=_party(r, single(node, "Consignor"), at(pointer, "Consignor")),
        consignee=_party(r, single(node, "Consignee"), at(pointer, "Consignee")),
        transport_equipment=tuple(_transport_equipment(r, e, p) for e, p in each(node, "TransportEquipment", pointer)),
        departure_transport_means=_transport_means(r, node, "DepartureTransportMeans", pointer),
        countries_of_routing=_countries_of_routing(r, node),
        active_border_transport_means=tuple(
            ActiveBorderTransportMeans(leaf(m, "customsOfficeAtBorderReferenceNumber"), leaf(m, "typeOfIdentification"),
                                       leaf(m, "identificationNumber"), leaf(m, "nationality"),
                                       leaf(m, "conveyanceReferenceNumber"), p)
            for m, p in each(node, "ActiveBorderTransportMeans", pointer)),
        location_of_goods=single(node, "LocationOfGoods"),
        place_of_loading=single(node, "PlaceOfLoading"),
        place_of_unloading=single(node, "PlaceOfUnloading"),
        previous_documents=_documents(r, node, "PreviousDocument", pointer),
        supporting_documents=_documents(r, node, "SupportingDocument", pointer),
        transport_documents=_documents(r, node, "TransportDocument", pointer),
        additional_references=_documents(r, node, "AdditionalReference", pointer),
        additional_information=_additional_information(r, node, pointer),
        transport_charges=_transport_charges(node),
        house_consignments=tuple(_house(r, h, p) for h, p in each(node, "HouseConsignment", pointer)),
        pointer=pointer,
    )


def _countries_of_routing(r: Reader, node: dict) -> tuple[str, ...]:
    """Routing countries in itinerary order: by sequenceNumber where given, else as listed."""
    entries = repeated(node, "CountryOfRoutingOfConsignment")
    ordered = sorted(enumerate(entries), key=lambda e: (_sequence(e[1]), e[0]))
    return tuple(country for _, entry in ordered if (country := leaf(entry, "country")))


def _sequence(node: dict) -> int:
    text = str(node.get("sequenceNumber", "")).strip()
    return int(text) if text.isdigit() else 0


def _house(r: Reader, node: dict, pointer: str) -> HouseConsignment:
    return HouseConsignment(
        country_of_dispatch=leaf(node, "countryOfDispatch"),
        country_of_destination=leaf(node, "countryOfDestination"),
        gross_mass=r.decimal(node, "grossMass", pointer),
        reference_number_ucr=leaf(node, "referenceNumberUCR"),
        consignor=_party(r, single(node, "Consignor"), at(pointer, "Consignor")),
        consignee=_party(r, single(node, "Consignee"), at(pointer, "Consignee")),
        departure_transport_means=_transport_means(r, node, "DepartureTransportMeans", pointer),
        previous_documents=_documents(r, node, "PreviousDocument", pointer),
        supporting_documents=_documents(r, node, "SupportingDocument", pointer),
        transport_documents=_documents(r, node, "TransportDocument", pointer),
        additional_references=_documents(r, node, "AdditionalReference", pointer),
        additional_information=_additional_information(r, node, pointer),
        transport_charges=_transport_charges(node),
        items=tuple(_item(r, i, p) for i, p in each(node, "ConsignmentItem", pointer)),
        pointer=pointer,
    )


def _item(r: Reader, node: dict, pointer: str) -> GoodsItem:
    return GoodsItem(
        goods_item_number=r.integer(node, "goodsItemNumber", pointer),
        declaration_goods_item_number=r.integer(node, "declarationGoodsItemNumber", pointer),
        declaration_type=leaf(node, "declarationType"),
        country_of_dispatch=leaf(node, "countryOfDispatch"),
        country_of_destination=leaf(node, "countryOfDestination"),
        reference_number_ucr=leaf(node, "referenceNumberUCR"),
        consignee=_party(r, single(node, "Consignee"), at(pointer, "Consignee")),
        commodity=_commodity(r, single(node, "Commodity") or {}, at(pointer, "Commodity")),
        packaging=tuple(
            Packaging(leaf(p, "typeOfPackages"), r.integer(p, "numberOfPackages", pp), leaf(p, "shippingMarks"), pp)
            for p, pp in each(node, "Packaging", pointer)),
        previous_documents=_documents(r, node, "PreviousDocument", pointer),
        supporting_documents=_documents(r, node, "SupportingDocument", pointer),
        transport_documents=_documents(r, node, "TransportDocument", pointer),
        additional_references=_documents(r, node, "AdditionalReference", pointer),
        additional_information=_additional_information(r, node, pointer),
        transport_charges=_transport_charges(node),
        pointer=pointer,
    )


def _commodity(r: Reader, node: dict, pointer: str) -> Commodity:
    code = single(node, "CommodityCode") or {}
    measure = single(node, "GoodsMeasure") or {}
    measure_pointer = at(pointer, "GoodsMeasure")
    return Commodity(
        description=leaf(node, "descriptionOfGoods"),
        cus_code=leaf(node, "cusCode"),
        harmonized_system_code=leaf(code, "harmonizedSystemSubHeadingCode"),
        combined_nomenclature_code=leaf(code, "combinedNomenclatureCode"),
        gross_mass=r.decimal(measure, "grossMass", measure_pointer),
        net_mass=r.decimal(measure, "netMass", measure_pointer),
        supplementary_units=r.decimal(measure, "supplementaryUnits", measure_pointer),
        pointer=pointer,
    )
