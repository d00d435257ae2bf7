"""Declarations shaped like the official phase 5 examples and what real senders send: accepted.

Each is our own message exercising the same elements (inner spaces, XI, 1A, TIR with
guarantee B, a pre-lodged D without limitDate or containerIndicator, item-level transport
documents, 6-decimal masses, an omitted consignor, the Danish agency's authorised-consignor
template without seals). The last part shows the refusals phase 5 really makes.
"""

from __future__ import annotations

import copy

import pytest

from tests.transit.test_declaration import GRN, HOLDER, ITEM, declaration, problems, rule_context, valid_declaration_data
from toldsystem.transit.declaration import declaration_from_data
from toldsystem.transit.rules import check_declaration

AUTHORISED = {"holder_is_authorised_consignor": True}


def _items(data: dict) -> list[dict]:
    return data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"]


def dms_authorised_consignor_template() -> dict:
    """The shape of the Danish agency's own CC015C template for an authorised consignor (DMS Online)."""
    return {
        "Extensions": [{"SequenceNumeric": "1", "Key": "isFallback", "Value": "0", "DataType": "text"}],
        "messageSender": "17840744:13585628", "messageRecipient": "NTA.DK",
        "preparationDateAndTime": "2025-03-03T08:51:17", "messageIdentification": "1.lm891a37u6",
        "messageType": "CC015C", "correlationIdentifier": "test",
        "TransitOperation": {"LRN": "SkabelonGA1", "declarationType": "T1", "additionalDeclarationType": "A",
                             "presentationOfTheGoodsDateAndTime": "2025-03-03T08:45:05", "security": "0",
                             "reducedDatasetIndicator": "0", "bindingItinerary": "0", "limitDate": "2025-03-05"},
        "Authorisation": [{"sequenceNumber": "1", "type": "C521", "referenceNumber": "DKACR13585628"},
                          {"sequenceNumber": "2", "type": "C505", "referenceNumber": "DKCGU13585628"}],
        "CustomsOfficeOfDeparture": {"referenceNumber": "DK009262"},
        "CustomsOfficeOfDestinationDeclared": {"referenceNumber": "DK005600"},
        "HolderOfTheTransitProcedure": {"identificationNumber": HOLDER, "name": "Hr. Hovedforpligtede",
                                        "Address": {"streetAndNumber": "Testvej 1", "postcode": "6700",
                                                    "city": "Esbjerg", "country": "DK"}},
        "Guarantee": [{"sequenceNumber": "1", "guaranteeType": "1", "GuaranteeReference": [
            {"sequenceNumber": "1", "GRN": GRN, "accessCode": "1234", "amountToBeCovered": "1000",
             "currency": "DKK"}]}],
        "Consignment": {
            "countryOfDestination": "DK", "containerIndicator": "0", "inlandModeOfTransport": "3",
            "grossMass": "10000",
            "Consignee": {"name": "Hr. Modtager", "Address": {"streetAndNumber": "Modtagervej 1", "postcode": "8200",
                                                              "city": "Aarhus", "country": "DK"}},
            "LocationOfGoods": {"typeOfLocation": "D", "qualifierOfIdentification": "Z",
                                "Address": {"streetAndNumber": "Testvej 1", "postcode": "6700", "city": "Esbjerg",
                                            "country": "DK"}},
            "DepartureTransportMeans": [{"sequenceNumber": "1", "typeOfIdentification": "30",
                                         "identificationNumber": "DK12345", "nationality": "DK"}],
            "HouseConsignment": [{"sequenceNumber": "1", "grossMass": "10000", "ConsignmentItem": [{
                "goodsItemNumber": "1", "declarationGoodsItemNumber": "1",
                "Commodity": {"descriptionOfGoods": "Varebeskrivelse",
                              "CommodityCode": {"harmonizedSystemSubHeadingCode": "730411"},
                              "GoodsMeasure": {"grossMass": "10000", "netMass": "9000"}},
                "Packaging": [{"sequenceNumber": "1", "typeOfPackages": "PK", "numberOfPackages": "1",
                               "shippingMarks": "ADR"}],
                "PreviousDocument": [{"sequenceNumber": "1", "type": "N822", "referenceNumber": "4785B CV",
                                      "goodsItemNumber": "123", "typeOfPackages": "3A", "numberOfPackages": "123",
                                      "measurementUnitAndQualifier": "KGM", "quantity": "123",
                                      "complementOfInformation": "Internal Community TD"}]}]}],
        },
    }


# --- the shapes, as changes to a valid declaration (test_official_shapes_http.py sends them too) ------

def with_inner_spaces(data: dict) -> dict:
    """Inner spaces in the LRN, a postcode, the UCR and the vehicle identities."""
    lrn = data["TransitOperation"]["LRN"]
    data["TransitOperation"]["LRN"] = f"{lrn[:8]} {lrn[-8:]} 01"
    data["Consignment"]["referenceNumberUCR"] = "5DK13585628 ORDRE 2025 17"
    data["Consignment"]["Consignee"]["Address"].update(postcode="GB DEP E20 1HZ", streetAndNumber="1 High Street")
    data["Consignment"]["DepartureTransportMeans"][0]["identificationNumber"] = "AB 12 345"
    data["Consignment"]["ActiveBorderTransportMeans"][0]["identificationNumber"] = "AB 12 345"
    return data


def to_northern_ireland_via_great_britain(data: dict) -> dict:
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "XI000142"
    data["Consignment"].update(countryOfDestination="XI", CountryOfRoutingOfConsignment=[
        {"sequenceNumber": "1", "country": "DK"}, {"sequenceNumber": "2", "country": "GB"},
        {"sequenceNumber": "3", "country": "XI"}])
    data["Consignment"]["Consignee"]["Address"].update(country="XI", postcode="BT1 3NR", city="Belfast")
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "GB000060"},
                                              {"sequenceNumber": "2", "referenceNumber": "XI000142"}]
    return data


def with_packages_of_the_full_list(data: dict) -> dict:
    """Kinds of packages 1A and 4C (CL017 in full, not only the common ones)."""
    _items(data)[0]["Packaging"][0]["typeOfPackages"] = "1A"
    _items(data)[1]["Packaging"].append({"sequenceNumber": "2", "typeOfPackages": "4C", "numberOfPackages": "2",
                                         "shippingMarks": "KASSE 1-2"})
    return data


def as_tir_with_guarantee_b(data: dict) -> dict:
    data["TransitOperation"].update(declarationType="TIR", TIRCarnetNumber="XB25123456")
    data["HolderOfTheTransitProcedure"]["TIRHolderIdentificationNumber"] = "DNK/123/45"
    data["Guarantee"] = [{"sequenceNumber": "1", "guaranteeType": "B"}]
    return data


def pre_lodged_without_limit_date_or_container_indicator(data: dict) -> dict:
    """Type D by an authorised consignor: no time limit, container indicator or transport yet (CC170C brings them)."""
    data["TransitOperation"]["additionalDeclarationType"] = "D"
    data["TransitOperation"].pop("limitDate", None)
    data["Authorisation"] = [{"sequenceNumber": "1", "type": "C521", "referenceNumber": "DKACR13585628"}]
    for name in ("containerIndicator", "TransportEquipment", "DepartureTransportMeans", "ActiveBorderTransportMeans"):
        del data["Consignment"][name]
    return data


def with_item_level_transport_documents(data: dict) -> dict:
    for n, item in enumerate(_items(data), start=1):
        item["TransportDocument"] = [{"sequenceNumber": "1", "type": "N730", "referenceNumber": f"CMR 2025 {n}"}]
    return data


def with_six_decimal_masses_and_trailing_zero_amounts(data: dict) -> dict:
    _items(data)[0]["Commodity"]["GoodsMeasure"].update(grossMass="800.500001", netMass="700.000001")
    _items(data)[1]["Commodity"]["GoodsMeasure"].update(grossMass="400.000000", supplementaryUnits="12.500000")
    data["Consignment"]["grossMass"] = "1200.500001"
    data["Consignment"]["HouseConsignment"][0]["grossMass"] = "1200.500001"
    data["Guarantee"][0]["GuaranteeReference"][0]["amountToBeCovered"] = "1000.0000"
    return data


def without_consignor_or_country_of_dispatch(data: dict) -> dict:
    del data["Consignment"]["Consignor"], data["Consignment"]["countryOfDispatch"]
    return data


SHAPES = (with_inner_spaces, to_northern_ireland_via_great_britain, with_packages_of_the_full_list,
          as_tir_with_guarantee_b, with_item_level_transport_documents, with_six_decimal_masses_and_trailing_zero_amounts,
          without_consignor_or_country_of_dispatch)


# --- accepted ---------------------------------------------------------------------------------

def test_the_danish_authorised_consignor_template_without_seals_or_consignor_is_accepted():
    assert problems(dms_authorised_consignor_template(), **AUTHORISED) == []


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__)
def test_a_declaration_of_an_official_shape_is_accepted(shape):
    assert problems(shape(valid_declaration_data())) == []


def test_a_pre_lodged_declaration_without_limit_date_or_container_indicator_is_accepted():
    assert problems(pre_lodged_without_limit_date_or_container_indicator(valid_declaration_data()), **AUTHORISED) == []


def test_a_holder_given_by_eori_alone_is_accepted():
    data = valid_declaration_data()
    data["HolderOfTheTransitProcedure"] = {"identificationNumber": HOLDER}
    assert problems(data) == []


def test_a_uk_style_export_mrn_as_previous_and_supporting_document_is_accepted():
    data = valid_declaration_data()
    data["Consignment"]["PreviousDocument"] = [{"sequenceNumber": "1", "type": "NMRN", "referenceNumber": "25GB12345678901234"}]
    data["Consignment"]["SupportingDocument"] = [{"sequenceNumber": "1", "type": "NZZZ", "referenceNumber": "25GB1234567890123"}]
    assert problems(data) == []


def test_a_guarantee_waiver_for_a_small_amount_is_accepted():
    data = valid_declaration_data()
    data["Guarantee"] = [{"sequenceNumber": "1", "guaranteeType": "5", "GuaranteeReference": [
        {"sequenceNumber": "1", "amountToBeCovered": "3500.00", "currency": "DKK"}]}]
    assert problems(data) == []


def test_the_same_declaration_read_as_an_amendment_is_accepted_and_points_into_cc013c():
    data = valid_declaration_data()
    data["Consignment"]["countryOfDispatch"] = "QQ"
    decl = declaration_from_data(data, root="/CC013C")
    assert [p.pointer for p in check_declaration(decl, rule_context())] == ["/CC013C/Consignment/countryOfDispatch"]


# --- refused, as phase 5 refuses ------------------------------------------------------------------

def _refusals(data: dict, **context) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in problems(data, **context)]


def test_phase_5_refuses_a_time_limit_in_the_standard_procedure():
    data = valid_declaration_data()
    data["TransitOperation"]["limitDate"] = "2025-03-05"
    assert _refusals(data) == [("transit.limit_date.not_allowed", "/CC015C/TransitOperation/limitDate")]


def test_phase_5_refuses_a_number_of_packages_for_bulk_goods():
    data = valid_declaration_data()
    _items(data)[1]["Packaging"][0]["typeOfPackages"] = "VL"
    assert _refusals(data) == [("transit.packages.number_not_allowed", f"{ITEM}[2]/Packaging[1]/numberOfPackages")]


def test_phase_5_refuses_a_tir_declaration_with_a_comprehensive_guarantee():
    data = valid_declaration_data()
    data["TransitOperation"].update(declarationType="TIR", TIRCarnetNumber="XB25123456")
    data["HolderOfTheTransitProcedure"]["TIRHolderIdentificationNumber"] = "DNK/123/45"
    assert _refusals(data) == [("transit.guarantee.type_for_tir", "/CC015C/Guarantee[1]/guaranteeType")]


def test_phase_5_refuses_a_route_into_great_britain_without_its_office_of_transit():
    data = valid_declaration_data()
    data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"] = "GB000060"
    data["Consignment"]["countryOfDestination"] = "GB"
    data["Consignment"]["Consignee"]["Address"]["country"] = "GB"
    assert [code for code, _ in _refusals(data)] == ["transit.transit_office.missing",
                                                      "transit.transit_office.border_missing"]


def test_phase_5_refuses_seals_listed_beside_number_of_seals_0_and_sequence_numbers_out_of_order():
    data = valid_declaration_data()
    equipment = data["Consignment"]["TransportEquipment"][0]
    equipment["numberOfSeals"] = "0"
    equipment["Seal"][1]["sequenceNumber"] = "1"
    assert _refusals(data) == [
        ("transit.seals.not_allowed", "/CC015C/Consignment/TransportEquipment[1]/Seal[1]"),
        ("transit.sequence_number.order", "/CC015C/Consignment/TransportEquipment[1]/Seal[2]/sequenceNumber")]


def test_the_refusals_point_into_the_message_and_speak_both_languages():
    data = copy.deepcopy(dms_authorised_consignor_template())
    data["Guarantee"][0]["guaranteeType"] = "2"
    found = problems(data, **AUTHORISED)
    assert [p.pointer for p in found] == ["/CC015C/Guarantee[1]/guaranteeType"]
    assert found[0].en and found[0].da and found[0].en != found[0].da
    assert isinstance(declaration(data).holder.name, str)
