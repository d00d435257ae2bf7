"""Incoming samples parse, and XML -> data -> XML gives back the same message."""

from pathlib import Path

import pytest
from lxml import etree

from toldsystem.transit.messages import ParsedMessage, parse_message, render, validate_data
from toldsystem.transit.messages.schemas import TRADER_MESSAGES

SAMPLE_DIR = Path(__file__).parent / "samples"
SAMPLES = sorted(SAMPLE_DIR.glob("*.xml"))


def test_there_is_a_sample_for_every_trader_message():
    assert {p.name[:6].upper() for p in SAMPLES} == set(TRADER_MESSAGES)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_sample_is_accepted(sample):
    parsed = parse_message(sample.read_bytes())
    assert isinstance(parsed, ParsedMessage), parsed
    assert parsed.message_type == sample.name[:6].upper()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_round_trip_xml_to_data_to_xml_is_equal(sample):
    parsed = parse_message(sample.read_bytes())
    again = render(parsed.message_type, parsed.data)
    reparsed = parse_message(again)
    assert isinstance(reparsed, ParsedMessage), reparsed
    assert reparsed.data == parsed.data
    assert validate_data(parsed.message_type, parsed.data) == []


def test_declaration_round_trip_is_the_same_xml(declaration_bytes):
    parsed = parse_message(declaration_bytes)
    again = render("CC015C", parsed.data)
    assert etree.canonicalize(again.decode(), strip_text=True) == \
        etree.canonicalize(declaration_bytes.decode(), strip_text=True)


def test_repeatable_elements_are_lists_even_with_one(declaration_bytes):
    data = parse_message(declaration_bytes).data
    assert isinstance(data["Guarantee"], list) and len(data["Guarantee"]) == 1
    house = data["Consignment"]["HouseConsignment"]
    assert isinstance(house, list) and len(house[0]["ConsignmentItem"]) == 3
    assert isinstance(house[0]["ConsignmentItem"][1]["Packaging"], list)
    assert isinstance(data["TransitOperation"], dict)


def test_absent_optional_elements_are_missing_and_leaves_are_strings(declaration_bytes):
    data = parse_message(declaration_bytes).data
    bulk = data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]
    assert bulk["Packaging"][0] == {"sequenceNumber": "1", "typeOfPackages": "VL"}
    assert "Representative" not in data
    assert data["Consignment"]["grossMass"] == "21450.5"


def test_danish_fallback_flag_is_read_from_the_dms_extensions(declaration_bytes):
    data = parse_message(declaration_bytes).data
    flags = {e["Key"]: e["Value"] for e in data["Extensions"]}
    assert flags["isFallback"] == "0"
    assert data["Extensions"][1]["Extensions"][0]["Key"] == "Submitter.ID"


def test_rendering_follows_schema_order_whatever_the_key_order(declaration_bytes):
    data = parse_message(declaration_bytes).data
    shuffled = dict(reversed(list(data.items())))
    shuffled["TransitOperation"] = dict(reversed(list(data["TransitOperation"].items())))
    assert render("CC015C", shuffled) == render("CC015C", data)
    assert isinstance(parse_message(render("CC015C", shuffled)), ParsedMessage)


def test_json_data_gets_the_same_schema_checks_as_xml(declaration_bytes):
    data = parse_message(declaration_bytes).data
    data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][1]["Commodity"]["descriptionOfGoods"] = ""
    problems = validate_data("CC015C", data)
    assert [p.pointer for p in problems] == [
        "/CC015C/Consignment/HouseConsignment[1]/ConsignmentItem[2]/Commodity/descriptionOfGoods"]
    assert problems[0].line == 0  # JSON has no lines; those of the XML made from it would mislead


def test_json_data_with_an_unknown_element_is_refused(declaration_bytes):
    data = parse_message(declaration_bytes).data
    data["TransitOperation"]["colour"] = "blue"
    problems = validate_data("CC015C", data)
    assert [(p.code, p.pointer) for p in problems] == [("data.unknown_element", "/CC015C/TransitOperation/colour")]


def test_json_data_with_a_single_object_where_a_list_belongs_is_refused(declaration_bytes):
    data = parse_message(declaration_bytes).data
    data["Guarantee"] = data["Guarantee"][0]
    assert [p.code for p in validate_data("CC015C", data)] == ["data.wrong_shape"]


def test_json_data_missing_a_required_element_points_at_it(declaration_bytes):
    data = parse_message(declaration_bytes).data
    del data["TransitOperation"]["LRN"]
    problems = validate_data("CC015C", data)
    assert [(p.code, p.pointer) for p in problems] == [("xml.schema.missing", "/CC015C/TransitOperation/LRN")]


# --- messages shaped as real senders write them (the schema level; the rules are checked elsewhere) ---

def sample(name: str) -> bytes:
    return (SAMPLE_DIR / name).read_bytes()


def test_pre_lodged_tir_declaration_from_xi_passes_the_schema():
    data = parse_message(sample("cc015c_tir_prelodged_from_xi.xml")).data
    operation = data["TransitOperation"]
    assert operation["LRN"] == "BEL 2024 TIR 000017" and operation["additionalDeclarationType"] == "D"
    assert "limitDate" not in operation
    assert data["Guarantee"][0] == {"sequenceNumber": "1", "guaranteeType": "B"}
    assert set(data["HolderOfTheTransitProcedure"]) == {"identificationNumber", "TIRHolderIdentificationNumber"}
    consignment = data["Consignment"]
    assert consignment["countryOfDispatch"] == "XI" and consignment["grossMass"] == "12500.123456"
    assert consignment["referenceNumberUCR"] == "4GB123456789000 UCR 01"
    assert consignment["DepartureTransportMeans"][0]["identificationNumber"] == "AB 12 CDE"
    assert consignment["Consignor"]["Address"]["postcode"] == "BT1 3NQ"
    items = consignment["HouseConsignment"][0]["ConsignmentItem"]
    assert items[0]["Packaging"][0]["typeOfPackages"] == "1A"
    assert items[0]["TransportDocument"][0]["referenceNumber"] == "CMR 2024 0455"
    assert items[1]["Commodity"]["GoodsMeasure"] == {"grossMass": "4500.123455"}


def test_arrival_with_incidents_passes_the_schema():
    data = parse_message(sample("cc007c_arrival_with_incidents.xml")).data
    transhipment, tractor = data["Consignment"]["Incident"]
    assert transhipment["Endorsement"]["authority"] == "Toldstyrelsen Kolding"
    assert transhipment["Transhipment"]["TransportMeans"]["identificationNumber"] == "CD 98 765"
    assert tractor["code"] == "6" and tractor["Transhipment"]["TransportMeans"]["identificationNumber"] == "HH AB 1234"


def test_unloading_remarks_with_discrepancies_pass_the_schema():
    data = parse_message(sample("cc044c_unloading_with_discrepancies.xml")).data
    assert data["UnloadingRemark"]["conform"] == "0"
    item = data["Consignment"]["HouseConsignment"][0]["ConsignmentItem"][0]
    assert item["Packaging"][0]["numberOfPackages"] == "11"
    assert item["Commodity"]["GoodsMeasure"]["grossMass"] == "7513.041667"


def test_presentation_notification_passes_the_schema():
    data = parse_message(sample("cc170c_presentation_of_prelodged.xml")).data
    assert data["TransitOperation"] == {"LRN": "BEL 2024 TIR 000017", "limitDate": "2024-11-12"}
    assert data["Consignment"]["LocationOfGoods"]["Address"]["postcode"] == "BT3 9JQ"


@pytest.mark.parametrize(("old", "new", "code"), [
    (b"<postcode>BT1 3NQ</postcode>", b"<postcode> BT1 3NQ</postcode>", "xml.schema.pattern"),  # leading space
    (b"<postcode>BT1 3NQ</postcode>", b"<postcode>BT1 3NQ </postcode>", "xml.schema.pattern"),  # trailing space
    (b"<LRN>BEL 2024 TIR 000017</LRN>", b"<LRN>BEL 2024 TIR 000017 LONGER</LRN>", "xml.schema.too_long"),
    (b"<grossMass>8000.000001</grossMass>", b"<grossMass>8000.0000001</grossMass>", "xml.schema.digits"),
    (b"<netMass>7600.5</netMass>", b"<netMass>0.000</netMass>", "xml.schema.pattern"),  # a net mass is above 0
    (b"<typeOfPackages>1A</typeOfPackages>", b"<typeOfPackages>1</typeOfPackages>", "xml.schema.pattern"),
    (b"<country>XI</country>", b"<country>xi</country>", "xml.schema.pattern"),
])
def test_what_the_official_types_forbid_is_refused(old, new, code):
    changed = sample("cc015c_tir_prelodged_from_xi.xml").replace(old, new, 1)
    assert changed != sample("cc015c_tir_prelodged_from_xi.xml")
    assert [p.code for p in parse_message(changed)] == [code]


def test_amounts_take_two_decimals_as_the_official_type_says():
    xml = sample("cc015c_padborg_to_hamburg.xml")
    amount = xml.split(b"<amountToBeCovered>")[1].split(b"</amountToBeCovered>")[0]
    assert isinstance(parse_message(xml.replace(amount, b"18500.25")), ParsedMessage)
    assert [p.code for p in parse_message(xml.replace(amount, b"18500.255"))] == ["xml.schema.digits"]


def test_codes_are_shapes_here_not_code_lists():
    # Business code lists are rules (reference data), not the schema's: any two characters pass here.
    xml = sample("cc015c_tir_prelodged_from_xi.xml").replace(b"<typeOfPackages>1A</typeOfPackages>",
                                                           b"<typeOfPackages>Q9</typeOfPackages>")
    assert isinstance(parse_message(xml), ParsedMessage)


def test_token_values_are_read_as_the_schema_reads_them():
    xml = sample("cc015c_tir_prelodged_from_xi.xml").replace(b"<declarationType>TIR</declarationType>",
                                                           b"<declarationType>\n  TIR  </declarationType>")
    assert parse_message(xml).data["TransitOperation"]["declarationType"] == "TIR"
