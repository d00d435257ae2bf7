"""Reading a CC015C dict into a Declaration; also the valid base declaration the rule tests mutate."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

from toldsystem.core.errors import Problem
from toldsystem.core.identifiers import make_grn
from toldsystem.reference.rules import Office, parse_roles
from toldsystem.transit.declaration import Declaration, declaration_from_data
from toldsystem.transit.rules import RuleContext, check_declaration

TODAY = date(2025, 3, 3)
HOLDER = "DK13585628"
GRN = make_grn(25, "DK", "000000000001")
ITEM = "/CC015C/Consignment/HouseConsignment[1]/ConsignmentItem"


def _address(street: str, postcode: str, city: str, country: str) -> dict:
    return {"streetAndNumber": street, "postcode": postcode, "city": city, "country": country}


def _item(number: int, description: str, hs: str, gross: str, net: str, packages: str) -> dict:
    return {
        "goodsItemNumber": str(number), "declarationGoodsItemNumber": str(number),
        "Commodity": {"descriptionOfGoods": description,
                      "CommodityCode": {"harmonizedSystemSubHeadingCode": hs},
                      "GoodsMeasure": {"grossMass": gross, "netMass": net}},
        "Packaging": [{"sequenceNumber": "1", "typeOfPackages": "CT", "numberOfPackages": packages,
                       "shippingMarks": f"PS-{number}"}],
        "SupportingDocument": [{"sequenceNumber": "1", "type": "N380", "referenceNumber": f"INV-2025-{number}"}],
    }


def valid_declaration_data() -> dict:
    """A T1 from Padborg to Hamburg in one container, standard procedure: breaks no rule."""
    return copy.deepcopy({
        "messageSender": HOLDER, "messageRecipient": "NTA.DK", "preparationDateAndTime": "2025-03-03T10:00:00",
        "messageIdentification": "MSG-0001", "messageType": "CC015C",
        "TransitOperation": {"LRN": "1358562820250303000001", "declarationType": "T1", "additionalDeclarationType": "A",
                             "security": "0", "reducedDatasetIndicator": "0",
                             "communicationLanguageAtDeparture": "DA", "bindingItinerary": "0"},
        "CustomsOfficeOfDeparture": {"referenceNumber": "DK009264"},
        "CustomsOfficeOfDestinationDeclared": {"referenceNumber": "DE004851"},
        "HolderOfTheTransitProcedure": {"identificationNumber": HOLDER, "name": "Padborg Spedition A/S",
                                        "Address": _address("Transitvej 1", "6330", "Padborg", "DK")},
        "Guarantee": [{"sequenceNumber": "1", "guaranteeType": "1", "GuaranteeReference": [
            {"sequenceNumber": "1", "GRN": GRN, "accessCode": "1234", "amountToBeCovered": "1000.00", "currency": "EUR"}]}],
        "Consignment": {
            "countryOfDispatch": "DK", "countryOfDestination": "DE", "containerIndicator": "1",
            "inlandModeOfTransport": "3", "grossMass": "1200.5",
            "Consignor": {"name": "Jysk Elektronik ApS", "Address": _address("Fabriksvej 2", "7100", "Vejle", "DK")},
            "Consignee": {"name": "Hamburger Handel GmbH", "Address": _address("Hafenstraße 5", "21129", "Hamburg", "DE")},
            "TransportEquipment": [{"sequenceNumber": "1", "containerIdentificationNumber": "MSKU1234565",
                                    "numberOfSeals": "2",
                                    "Seal": [{"sequenceNumber": "1", "identifier": "DK0001"},
                                             {"sequenceNumber": "2", "identifier": "DK0002"}],
                                    "GoodsReference": [{"sequenceNumber": "1", "declarationGoodsItemNumber": "1"},
                                                       {"sequenceNumber": "2", "declarationGoodsItemNumber": "2"}]}],
            "DepartureTransportMeans": [{"sequenceNumber": "1", "typeOfIdentification": "30",
                                         "identificationNumber": "AB12345", "nationality": "DK"}],
            "ActiveBorderTransportMeans": [{"sequenceNumber": "1", "customsOfficeAtBorderReferenceNumber": "DK009264",
                                            "typeOfIdentification": "30", "identificationNumber": "AB12345",
                                            "nationality": "DK"}],
            "HouseConsignment": [{"sequenceNumber": "1", "grossMass": "1200.5", "ConsignmentItem": [
                _item(1, "Bærbare computere", "847130", "800.5", "700", "10"),
                _item(2, "Computerskærme", "852852", "400", "350.2", "20"),
            ]}],
        },
    })


# A realistic slice of the official reference data: the offices, countries and code lists the
# tests need, written here so that the rules are tested against the official codes (CL ids)
# whatever the bundled data holds.
OFFICES = {code: Office(code, name, "", "", code[:2], parse_roles(roles)) for code, name, roles in (
    ("DK009264", "Padborg", "DEP;DES;TRA"), ("DK009262", "Centerhavn Toldekspedition", "DEP;DES;INC;TRA;TXT"),
    ("DK005600", "Skattecenter Middelfart", "DEP;DES;EXP;EXT;GUA"), ("DK000010", "Post", "EXL;EXT"),
    ("DE004851", "Hamburg", "DEP;DES;TRA"), ("DE003353", "Zollamt Ellund", "DEP;DES;TRA"),
    ("NL000510", "Douane Rotterdam Haven", "DEP;DES;TRA;GUA"), ("FR620001", "Calais Port Tunnel", "DEP;DES;TRA;TXT"),
    ("IT018100", "Como", "DEP;DES;TRA"), ("IT279100", "Milano 1", "DEP;DES;TRA;GUA"),
    ("CH001001", "Basel Weil am Rhein-Autobahn", "DEP;DES;TRA"), ("NO001011", "Svinesund", "DEP;DES;TRA"),
    ("NO003600", "Oslo", "DEP;DES;TRA"), ("GB000060", "Dover/Folkestone Freight", "DEP;DES;TRA"),
    ("GB000246", "Birmingham", "DEP;DES"), ("XI000142", "Belfast", "DEP;DES;TRA"),
    ("TR340001", "Istanbul", "DEP;DES;TRA"), ("BG005800", "Kapitan Andreevo", "DEP;DES;TRA"),
    ("SM000001", "San Marino", "DEP;DES;TRA"), ("AD000001", "Andorra la Vella", "DEP;DES;TRA"),
)}
EU = frozenset("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE XI".split())
CTC = frozenset("AL CH GB GE IS LI MD ME MK NO RS TR UA".split())
CODE_LISTS: dict[str, frozenset[str]] = {
    "CL008": EU | CTC | frozenset("AD SM US CN JP AE HK".split()),
    "CL165": EU | CTC | frozenset("US CN JP PA LR MT".split()),
    "CL248": EU | CTC | frozenset("AD SM US CN JP AE HK".split()),
    "CL010": EU, "CL009": EU | CTC, "CL112": CTC, "CL147": EU | {"CH", "NO"},
    "CL505": frozenset({"AE", "HK"}), "CL553": EU - {"XI"},
    "CL017": frozenset("1A 1B 1D 3A 4A 4B 4C BA BG BX CR CS CT DR NE NF NG PA PK PX RO SA TN VG VL VO VQ VR "
                       "VS VY".split()),
    "CL213": frozenset("N380 N325 N730 N740 N705 N935 C651 NZZZ".split()),
    "CL214": frozenset("N830 N821 N822 N825 NMRN N952 N955 C651".split()),
    "CL228": frozenset({"N830"}), "CL754": frozenset("N730 N740 N705 N741 N787".split()),
    "CL380": frozenset("C651 C658 Y022 Y023 Y024 N003".split()),
    "CL239": frozenset("30300 30400 30500 30600 20100 20200 20300 00200".split()),
    "CL251": frozenset("0 1 2 3 4 5 8 9 A B".split()), "CL230": frozenset("0 1 2 3 4 5 8 9 A".split()),
    "CL229": frozenset("0 1 2 3 4 5 8 9 A".split()),
    "CL048": frozenset("EUR DKK SEK NOK GBP CHF".split()),
    "CL235": frozenset("C521 C523 C524".split()), "CL236": frozenset({"C522"}),
    "CL218": frozenset("1 2 3 4 5 7 8 9".split()), "CL750": frozenset("10 11 20 21 30 31 40 41 80 81".split()),
    "CL219": frozenset("10 11 21 30 40 41 80 81".split()), "CL192": frozenset("DA EN DE SV".split()),
    "CL347": frozenset("A B C D".split()), "CL326": frozenset("T U V W X Y Z".split()),
    "CL094": frozenset({"2", "3"}), "CL116": frozenset("A B C D H Y Z".split()),
    "CL178": frozenset("N821 N822 N825 T2L T2LF".split()), "CL349": frozenset("KGM LTR".split()),
}
EUR_RATES = {"EUR": Decimal(1), "DKK": Decimal("7.46"), "GBP": Decimal("0.85")}


def rule_context(**changes) -> RuleContext:
    """A known, registered holder on TODAY, with the official code lists the tests need."""
    base = {"today": TODAY, "holder_known": True, "holder_eori_registered": True, "offices": OFFICES,
            "code_lists": CODE_LISTS, "eur_rates": EUR_RATES}
    return RuleContext(**(base | changes))


def declaration(data: dict) -> Declaration:
    decl = declaration_from_data(data)
    assert isinstance(decl, Declaration), decl
    return decl


def problems(data: dict, **context) -> list[Problem]:
    return check_declaration(declaration(data), rule_context(**context))


def codes(data: dict, **context) -> set[str]:
    return {p.code for p in problems(data, **context)}


# --- the base declaration -----------------------------------------------------------------------

def test_base_declaration_breaks_no_rule():
    assert problems(valid_declaration_data()) == []


def test_reads_header_offices_holder_and_guarantee():
    decl = declaration(valid_declaration_data())
    assert decl.transit_operation.lrn == "1358562820250303000001"
    assert decl.transit_operation.pointer == "/CC015C/TransitOperation"
    assert decl.office_of_departure.reference_number == "DK009264"
    assert decl.holder.address.city == "Padborg"
    assert decl.holder.address.pointer == "/CC015C/HolderOfTheTransitProcedure/Address"
    reference = decl.guarantees[0].references[0]
    assert reference.amount_to_be_covered == Decimal("1000.00")
    assert reference.pointer == "/CC015C/Guarantee[1]/GuaranteeReference[1]"


def test_reads_goods_items_with_pointers():
    decl = declaration(valid_declaration_data())
    items = [item for _, item in decl.goods_items()]
    assert [i.declaration_goods_item_number for i in items] == [1, 2]
    assert items[1].pointer == f"{ITEM}[2]"
    assert items[1].packaging[0].pointer == f"{ITEM}[2]/Packaging[1]"
    assert items[1].packaging[0].number_of_packages == 20
    assert items[0].commodity.gross_mass == Decimal("800.5")
    assert items[0].commodity.harmonized_system_code == "847130"
    assert items[0].supporting_documents[0].type == "N380"


def test_reads_transport_and_equipment():
    c = declaration(valid_declaration_data()).consignment
    assert c.container_indicator == "1"
    assert c.transport_equipment[0].number_of_seals == 2
    assert [s.identifier for s in c.transport_equipment[0].seals] == ["DK0001", "DK0002"]
    assert c.transport_equipment[0].goods_item_numbers == (1, 2)
    assert c.departure_transport_means[0].nationality == "DK"
    assert c.active_border_transport_means[0].pointer == "/CC015C/Consignment/ActiveBorderTransportMeans[1]"


def test_missing_optional_parts_become_none_or_empty():
    data = valid_declaration_data()
    del data["Consignment"]["TransportEquipment"], data["Consignment"]["Consignor"], data["Guarantee"]
    del data["TransitOperation"]["communicationLanguageAtDeparture"]
    decl = declaration(data)
    assert decl.consignment.transport_equipment == ()
    assert decl.consignment.consignor is None
    assert decl.guarantees == ()
    assert decl.transit_operation.communication_language_at_departure is None
    assert decl.transit_operation.limit_date is None


def test_an_empty_object_is_read_and_left_to_the_rules():
    decl = declaration({})
    assert decl.holder is None and decl.consignment.house_consignments == ()
    found = check_declaration(decl, rule_context())
    assert "transit.lrn.missing" in {p.code for p in found}


def test_malformed_number_is_a_problem_with_its_pointer():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]["Packaging"][0]["numberOfPackages"] = "ti"
    data["Consignment"]["grossMass"] = "1.200,5"
    found = declaration_from_data(data)
    assert isinstance(found, list)
    assert {p.pointer for p in found} == {f"{ITEM}[2]/Packaging[1]/numberOfPackages", "/CC015C/Consignment/grossMass"}
    assert all(p.code == "transit.malformed" and p.da for p in found)


def test_malformed_date_is_a_problem():
    data = valid_declaration_data()
    data["TransitOperation"]["limitDate"] = "2025-02-30"
    found = declaration_from_data(data)
    assert [p.pointer for p in found] == ["/CC015C/TransitOperation/limitDate"]


def test_reads_limit_date():
    data = valid_declaration_data()
    data["TransitOperation"]["limitDate"] = "2025-03-07"
    assert declaration(data).transit_operation.limit_date == date(2025, 3, 7)


def test_numbers_from_json_may_be_numbers_not_strings():
    data = valid_declaration_data()
    data["Consignment"]["grossMass"] = 1200.5
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Packaging"][0]["numberOfPackages"] = 10
    decl = declaration(data)
    assert decl.consignment.gross_mass == Decimal("1200.5")


def test_a_single_repeated_element_given_as_an_object_is_read_as_a_list_of_one():
    data = valid_declaration_data()
    data["Guarantee"] = data["Guarantee"][0]
    assert len(declaration(data).guarantees) == 1


def test_dms_extensions_are_flattened_and_give_the_fallback_flag():
    data = valid_declaration_data()
    data["Extensions"] = [
        {"SequenceNumeric": "1", "Key": "isFallback", "Value": "1", "DataType": "text"},
        {"SequenceNumeric": "2", "Key": "SUBMITTER", "Value": "object", "DataType": "object", "Extensions": [
            {"SequenceNumeric": "1", "Key": "Submitter.ID", "Value": "17840744:19552101", "DataType": "text"}]},
    ]
    extensions = declaration(data).extensions
    assert extensions.is_fallback
    assert extensions.values == {"isFallback": "1", "Submitter.ID": "17840744:19552101"}


def test_extensions_absent_or_as_plain_object():
    assert not declaration(valid_declaration_data()).extensions.is_fallback
    data = valid_declaration_data()
    data["Extensions"] = {"isFallback": "0"}
    assert not declaration(data).extensions.is_fallback


def test_routing_countries_follow_their_sequence_numbers():
    data = valid_declaration_data()
    data["Consignment"]["CountryOfRoutingOfConsignment"] = [
        {"sequenceNumber": "2", "country": "CH"}, {"sequenceNumber": "1", "country": "DE"}]
    assert declaration(data).consignment.countries_of_routing == ("DE", "CH")


def test_mixed_declaration_written_t_dash_as_in_the_seed_is_read_as_t_and_refused_by_cl231():
    data = valid_declaration_data()
    data["TransitOperation"]["declarationType"] = "T-"
    for item, kind in zip(data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"], ("T1", "T2")):
        item["declarationType"] = kind
    data["CustomsOfficeOfTransitDeclared"] = [{"sequenceNumber": "1", "referenceNumber": "DE003353"}]
    assert declaration(data).transit_operation.declaration_type == "T"
    found = problems(data)
    assert [(p.code, p.pointer) for p in found] == [("transit.code_list.unknown", "/CC015C/TransitOperation/declarationType")]


def test_masses_with_six_decimals_and_amounts_with_trailing_zeros_are_read_exactly():
    data = valid_declaration_data()
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]["Commodity"]["GoodsMeasure"]["grossMass"] = "800.123456"
    data["Guarantee"][0]["GuaranteeReference"][0]["amountToBeCovered"] = "1000.0000"
    decl = declaration(data)
    assert decl.goods_items()[0][1].commodity.gross_mass == Decimal("800.123456")
    assert decl.guarantees[0].references[0].amount_to_be_covered == Decimal("1000")


def test_a_number_too_long_to_be_one_is_malformed_not_slow():
    data = valid_declaration_data()
    data["Consignment"]["grossMass"] = "9" * 10_000
    assert [p.pointer for p in declaration_from_data(data)] == ["/CC015C/Consignment/grossMass"]


def test_an_amendment_is_read_under_its_own_root():
    decl = declaration_from_data(valid_declaration_data(), root="/CC013C")
    assert decl.root == "/CC013C"
    assert decl.guarantees[0].pointer == "/CC013C/Guarantee[1]"
    assert decl.consignment.house_consignments[0].items[0].pointer.startswith("/CC013C/Consignment/")


def test_reads_item_level_transport_documents_consignees_and_additional_references():
    data = valid_declaration_data()
    item = data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]
    item["TransportDocument"] = [{"sequenceNumber": "1", "type": "N730", "referenceNumber": "CMR 4711"}]
    item["AdditionalReference"] = [{"sequenceNumber": "1", "type": "C651", "referenceNumber": "24DKA1B2C3D4E5F6G7H8I"}]
    read = declaration(data).goods_items()[0][1]
    assert read.transport_documents[0].reference_number == "CMR 4711"
    assert read.additional_references[0].pointer == f"{ITEM}[1]/AdditionalReference[1]"


def test_mrn_for_a_declaration_carries_the_office_and_the_procedure_letter():
    from toldsystem.core.identifiers import is_valid_mrn
    from toldsystem.transit.mrn import mrn_for

    mrn = mrn_for("DK009264", 2025, 1234, security="0")
    assert len(mrn) == 18 and mrn.startswith("25DK009264") and mrn[-2] == "J" and is_valid_mrn(mrn)
    assert [mrn_for("DK009264", 2025, 1, s)[-2] for s in ("1", "2", "3")] == ["L", "K", "M"]


def test_sample_cc015c_for_vendors_breaks_no_rule():
    from datetime import date
    from pathlib import Path

    from toldsystem.transit.messages import parse_message

    sample = Path(__file__).parent / "messages" / "samples" / "cc015c_padborg_to_hamburg.xml"
    parsed = parse_message(sample.read_bytes())
    decl = declaration(parsed.data)
    assert check_declaration(decl, rule_context(today=date(2024, 5, 15), holder_is_authorised_consignor=True)) == []


def test_an_office_years_serials_are_a_keyed_permutation_unique_and_telling_nothing_of_the_next():
    from toldsystem.transit.mrn import drawn_serial

    key = bytes(range(32))
    drawn = [drawn_serial(count, key) for count in range(1, 50_001)]
    assert len(set(drawn)) == len(drawn) and all(0 <= s < 36**6 for s in drawn)
    assert sum(1 for a, b in zip(drawn, drawn[1:]) if abs(a - b) < 1000) < 50  # neighbours land far apart
    assert drawn != [drawn_serial(count, bytes(32)) for count in range(1, 50_001)]  # another key, another order
    assert drawn_serial(7, None) == 7  # office-years begun before migration 0009 go on in order
