"""Malformed, hostile, wrong-namespace and schema-invalid export messages are refused with a pointer and the
line; none of them raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.export.messages.helpers import replaced, sample, without
from toldsystem.export.messages import parse_export
from toldsystem.export.messages.parser import Bounds


def refused(xml, kind=None, **options) -> list:
    found = parse_export(xml, kind, **options)
    assert isinstance(found, list) and found, found
    return found


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_a_doctype_with_an_external_entity_is_refused_before_parsing():
    xml = b'<?xml version="1.0"?>\n<!DOCTYPE Declaration [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' \
          + sample("b1_standard").split(b"\n", 1)[1].replace(b"B1</", b"&x;</", 1)
    assert codes(refused(xml)) == ["xml.doctype"]


def test_malformed_xml_is_refused_with_line_and_column():
    (found,) = refused(replaced(sample("b1_standard"), "</TypeCode>", "</TypeCod>"))
    assert found.code == "xml.malformed" and found.line == 6 and found.column > 0


def test_the_wrong_namespace_is_refused():
    xml = replaced(sample("b1_standard"), "urn:wco:datamodel:WCO:DEC-DMS:2", "urn:example:not-dms")
    (found,) = refused(xml)
    assert found.code == "xml.wrong_namespace" and found.pointer == "/Declaration" and found.line == 2


def test_another_root_is_refused():
    xml = b'<?xml version="1.0"?><Notification xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"/>'
    assert codes(refused(xml)) == ["xml.unknown_message"]


def test_a_missing_required_element_points_at_it_with_its_line():
    (found,) = refused(without(sample("b1_standard"), "ExitOffice"))
    assert found.code == "xml.schema.missing" and found.pointer == "/Declaration/ExitOffice"
    assert found.line > 0


def test_a_missing_element_inside_a_repeating_item_points_at_that_item():
    xml = sample("b1_standard").replace(b"<Description>Ball bearings</Description>", b"", 1)
    (found,) = refused(xml)
    assert found.pointer == "/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Commodity/Description"


def test_a_value_breaking_a_facet_is_refused_at_its_element():
    (found,) = refused(replaced(sample("b1_standard"), "<ID>DK004700</ID>", "<ID>dk4700</ID>"))
    assert found.pointer == "/Declaration/ExitOffice/ID" and found.code.startswith("xml.schema.")


def test_an_unknown_agent_status_is_refused_by_the_enumeration():
    xml = replaced(sample("b1_standard"), "<FunctionCode>2</FunctionCode>", "<FunctionCode>4</FunctionCode>")
    (found,) = refused(xml)
    assert found.pointer == "/Declaration/Agent/FunctionCode" and found.code == "xml.schema.enumeration"


def test_one_classification_is_too_few():
    xml = replaced(sample("b1_standard"), """<Classification>
          <SequenceNumeric>2</SequenceNumeric>
          <ID>30</ID>
          <IdentificationTypeCode>TRC</IdentificationTypeCode>
        </Classification>""", "")
    found = refused(xml)
    assert found[0].code == "xml.schema.missing"
    assert found[0].pointer.startswith("/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity")


def test_an_element_out_of_order_is_refused():
    xml = replaced(sample("b1_standard"), "<SecurityCode>0</SecurityCode>", "")
    xml = replaced(xml, "<ExitOffice>", "<SecurityCode>0</SecurityCode><ExitOffice>")
    assert refused(xml)[0].code in ("xml.schema.unexpected", "xml.schema.missing")


def test_an_unknown_kind_is_refused():
    assert codes(refused(sample("b1_standard"), "exit_summary")) == ["message.unknown_type"]


def test_text_that_is_not_bytes_is_refused():
    assert codes(refused(sample("b1_standard").decode())) == ["xml.not_bytes"]


def test_a_message_over_the_size_bound_is_refused():
    assert refused(sample("b1_standard"), bounds=Bounds(max_bytes=512))[0].code == "xml.too_large"


def test_nesting_past_the_bound_is_refused():
    deep = b"<a>" * 300 + b"</a>" * 300
    xml = b'<?xml version="1.0"?><Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2">' + deep + b"</Declaration>"
    assert refused(xml)[0].code.startswith("xml.")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data):
    found = parse_export(data)
    assert isinstance(found, list) and all(p.code for p in found)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=3))
def test_a_damaged_sample_never_raises(position, junk):
    xml = sample("b1_prelodged_full")
    found = parse_export(xml[:position] + junk + xml[position + len(junk):])
    assert found is not None


def test_an_arrival_at_exit_without_its_office_of_exit_points_at_it():
    found = refused(without(sample("ie507_arrival_at_exit"), "CustomsOfficeOfExitActual"))
    assert found[0].code == "xml.schema.missing" and found[0].pointer == "/CC507C/CustomsOfficeOfExitActual"


def test_an_arrival_at_exit_with_a_bad_flag_is_refused_at_it():
    (found,) = refused(replaced(sample("ie507_arrival_at_exit"), "<storingFlag>0</storingFlag>",
                                "<storingFlag>yes</storingFlag>"))
    assert found.pointer == "/CC507C/ExportOperation/storingFlag"


def test_an_ecs_message_we_do_not_receive_is_refused():
    xml = b'<?xml version="1.0"?><ecs:CC599C xmlns:ecs="http://ecs.dgtaxud.ec"/>'
    assert codes(refused(xml)) == ["xml.unknown_message"]


def test_a_declaration_sent_as_an_arrival_at_exit_is_refused():
    assert refused(sample("b1_standard"), "arrival_at_exit")[0].code.startswith("xml.schema.")
