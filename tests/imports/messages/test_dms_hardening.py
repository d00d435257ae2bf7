"""Malformed, hostile, wrong-namespace and schema-invalid declarations are refused, with a pointer and
the line; none of them raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.imports.messages.helpers import replaced, sample, without
from toldsystem.imports.messages import ParsedDeclaration, parse_declaration
from toldsystem.imports.messages.parser import Bounds


def refused(xml, **options) -> list:
    found = parse_declaration(xml, **options)
    assert isinstance(found, list) and found, found
    return found


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_a_doctype_is_refused_before_any_parser_reads_it():
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE Declaration [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' \
          + sample("full_express_a").split(b"\n", 1)[1].replace(b"H1</", b"&x;</", 1)
    assert codes(refused(xml)) == ["xml.doctype"]


def test_an_entity_bomb_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' \
           b'<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">&lol2;</Declaration>'
    assert codes(refused(bomb)) == ["xml.doctype"]


def test_malformed_xml_is_refused_with_its_line_and_column():
    xml = replaced(sample("full_express_a"), "</TypeCode>", "</TypeCod>")
    (found,) = refused(xml)
    assert found.code == "xml.malformed"
    assert found.line == 6 and found.column > 0


@pytest.mark.parametrize("xml", [b"", b"   \n", b"\xff\xfe<Declaration/>", "x".encode("utf-16")])
def test_empty_or_not_utf8_is_refused(xml):
    assert codes(refused(xml))[0] in ("xml.empty", "xml.not_utf8")


def test_an_encoding_other_than_utf8_is_refused():
    xml = replaced(sample("full_express_a"), 'encoding="UTF-8"', 'encoding="ISO-8859-1"')
    assert codes(refused(xml)) == ["xml.not_utf8"]


def test_not_bytes_is_refused():
    assert codes(refused(sample("full_express_a").decode())) == ["xml.not_bytes"]


def test_a_message_too_large_is_refused():
    assert codes(refused(sample("full_express_a"), bounds=Bounds(max_bytes=1000))) == ["xml.too_large"]


def test_a_huge_message_is_refused_by_the_default_bound():
    padding = b"<!--" + b"x" * (9 * 1024 * 1024) + b"-->"
    huge = sample("full_express_a").replace(b"</Declaration>", padding + b"</Declaration>")
    assert codes(refused(huge)) == ["xml.too_large"]


def test_deep_nesting_is_refused_with_its_line():
    deep = b"<a>" * 80 + b"</a>" * 80
    xml = replaced(sample("full_express_a"), "<ProcedureCategory>H1</ProcedureCategory>",
                   "<ProcedureCategory>H1</ProcedureCategory>\n" + deep.decode())
    (found,) = refused(xml)
    assert found.code == "xml.too_deep" and "line 5" in found.en


def test_too_many_elements_are_refused_before_the_schema_is_checked():
    xml = replaced(sample("full_express_a"), "</Declaration>", "<x/>" * 2000 + "</Declaration>")
    assert codes(refused(xml, bounds=Bounds(max_elements=500))) == ["xml.too_many_elements"]


def test_too_many_attributes_are_refused():
    xml = replaced(sample("full_express_a"), "<FunctionCode>", '<FunctionCode a="1" b="2" c="3">')
    assert codes(refused(xml, bounds=Bounds(max_attributes=3))) == ["xml.too_many_attributes"]


def test_the_wrong_namespace_is_refused():
    xml = replaced(sample("full_express_a"), "urn:wco:datamodel:WCO:DEC-DMS:2", "urn:wco:datamodel:WCO:DEC-DMS:1")
    (found,) = refused(xml)
    assert (found.code, found.pointer, found.line) == ("xml.wrong_namespace", "/Declaration", 2)


def test_no_namespace_is_refused():
    assert codes(refused(b"<Declaration><FunctionCode>9</FunctionCode></Declaration>")) == ["xml.wrong_namespace"]


def test_another_root_in_the_namespace_is_refused():
    xml = b'<Response xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"/>'
    assert codes(refused(xml)) == ["xml.unknown_message"]


def test_an_unknown_kind_is_refused():
    assert codes(refused(sample("full_express_a"), kind="export")) == ["message.unknown_type"]


@pytest.mark.parametrize(("change", "code", "pointer", "line"), [
    (lambda x: without(x, "Importer"), "xml.schema.missing", "/Declaration/GoodsShipment/Importer", 91),
    (lambda x: without(x, "Submitter"), "xml.schema.missing", "/Declaration/Submitter", 10),
    (lambda x: replaced(x, "<ModeCode>3</ModeCode>", "<ModeCode>33</ModeCode>"), "xml.schema.length",
     "/Declaration/GoodsShipment/Consignment/BorderTransportMeans/ModeCode", 26),
    (lambda x: replaced(x, "<FunctionCode>9</FunctionCode>", "<FunctionCode>8</FunctionCode>"),
     "xml.schema.enumeration", "/Declaration/FunctionCode", 3),
    (lambda x: replaced(x, "<ConditionCode>DAP</ConditionCode>", "<ConditionCode>D4P</ConditionCode>"),
     "xml.schema.pattern", "/Declaration/GoodsShipment/TradeTerms/ConditionCode", 101),
    (lambda x: replaced(x, "<LocationName>København</LocationName>", "<LocationName>   </LocationName>"),
     "xml.schema.pattern", "/Declaration/GoodsShipment/TradeTerms/LocationName", 102),
    (lambda x: replaced(x, "<QuantityQuantity>4</QuantityQuantity>", "<QuantityQuantity>4.5</QuantityQuantity>"),
     "xml.schema.digits", "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Packaging[1]/QuantityQuantity", 86),
    (lambda x: replaced(x, "<TypeCode>IMA</TypeCode>", "<TypeCode>IMA</TypeCode><Foo/>"),
     "xml.schema.unexpected", "/Declaration/Foo", 6),
    (lambda x: replaced(x, "<SequenceNumeric>3</SequenceNumeric>\n          <ID>0000</ID>",
                        "<SequenceNumeric>3</SequenceNumeric>\n          <ID>000000000000000000000</ID>"),
     "xml.schema.too_long",
     "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/Classification[3]/ID", 55),
])
def test_a_schema_error_points_at_its_element_and_line(change, code, pointer, line):
    """The line is the offending element's (for a missing one, the element found in its place)."""
    (found,) = refused(change(sample("full_express_a")))
    assert (found.code, found.pointer, found.line) == (code, pointer, line)
    assert found.en and found.da and "{" not in found.en  # names as in pointers, without namespaces


def test_an_element_repeated_too_often_says_so():
    origin = "<Origin>\n        <SequenceNumeric>1</SequenceNumeric>\n        <CountryCode>CN</CountryCode>\n" \
             "        <TypeCode>1</TypeCode>\n      </Origin>"
    xml = replaced(sample("full_express_a"), origin, origin * 3)
    (found,) = refused(xml)
    assert found.code == "xml.schema.too_many"
    assert found.pointer == "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Origin[3]"


def test_a_missing_attribute_value_is_a_problem_of_its_element():
    xml = replaced(sample("supplementary_y"), ' formatCode="304"', "")
    (found,) = refused(xml)
    assert found.pointer.endswith("/PreviousDocument[1]/AcceptanceDateTime/DateTimeString")


def test_errors_in_the_second_goods_item_point_at_it():
    d = sample("prelodged_d")
    xml = replaced(d, "<Description>Docking stations</Description>", "")
    (found,) = refused(xml)
    assert found.pointer == "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Commodity/Description"


def test_many_errors_are_cut_off_with_a_count():
    xml = sample("full_express_a")
    for code in ("DE", "CN"):
        xml = xml.replace(f">{code}<".encode(), b">XYZ<")
    found = refused(replaced(xml, "<FunctionCode>9", "<FunctionCode>8"), bounds=Bounds(max_problems=2))
    assert len(found) == 2 and found[-1].code == "problems.more"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(noise):
    found = parse_declaration(noise)
    assert isinstance(found, list) and found


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2000), st.binary(min_size=1, max_size=5))
def test_a_damaged_sample_never_raises(at, junk):
    xml = sample("prelodged_d")
    found = parse_declaration(xml[:at] + junk + xml[at:])
    assert isinstance(found, (list, ParsedDeclaration))
