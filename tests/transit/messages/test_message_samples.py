"""Incoming samples parse, and XML -> data -> XML gives back the same message."""

from pathlib import Path

import pytest
from lxml import etree

from toldsystem.transit.messages import ParsedMessage, parse_message, render, validate_data

SAMPLES = sorted((Path(__file__).parent / "samples").glob("*.xml"))


def test_there_is_a_sample_for_every_trader_message():
    assert {p.name[:6].upper() for p in SAMPLES} == {"CC007C", "CC013C", "CC014C", "CC015C", "CC044C"}


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
