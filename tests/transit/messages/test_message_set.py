"""The whole official phase 5 message set: every one of the 33 schemas compiles, and a message of each
type goes data -> XML -> data unchanged, full (every element) and minimal (only required ones)."""

import pytest
from lxml import etree

from toldsystem.transit.messages import MESSAGE_TYPES, ParsedMessage, parse_message, render, to_data, validate_data
from toldsystem.transit.messages.schemas import CUSTOMS_MESSAGES, TRADER_MESSAGES, compiled_schema, content_model

from .instances import message

ALL = sorted(MESSAGE_TYPES)


def test_the_set_is_the_33_official_types_split_by_sender():
    assert len(ALL) == 33
    assert set(TRADER_MESSAGES) == {"CC007C", "CC013C", "CC014C", "CC015C", "CC044C", "CC170C"}
    assert not set(TRADER_MESSAGES) & set(CUSTOMS_MESSAGES)
    assert {"CC004C", "CC057C", "CC182C", "CC019C", "CC035C"} <= set(CUSTOMS_MESSAGES)


@pytest.mark.parametrize("message_type", ALL)
def test_schema_compiles_and_names_its_root(message_type):
    schema = compiled_schema(message_type)
    assert isinstance(schema, etree.XMLSchema)
    assert content_model(message_type).root.name == message_type


@pytest.mark.parametrize("full", [True, False], ids=["full", "minimal"])
@pytest.mark.parametrize("message_type", ALL)
def test_round_trip_data_xml_data(message_type, full):
    data = message(message_type, full=full, repeats=2)
    xml = render(message_type, data)
    compiled_schema(message_type).assertValid(etree.fromstring(xml).getroottree())
    parsed = parse_message(xml)
    assert isinstance(parsed, ParsedMessage), parsed
    assert parsed.message_type == message_type
    assert parsed.data == data
    assert render(message_type, parsed.data) == xml
    assert validate_data(message_type, data) == []


@pytest.mark.parametrize("message_type", ALL)
def test_a_required_element_left_out_is_named(message_type):
    data = message(message_type, full=False)
    required = next(name for name in reversed(list(data)) if name != "messageType")
    del data[required]
    problems = validate_data(message_type, data)
    assert problems and problems[0].code == "xml.schema.missing"
    assert problems[0].pointer == f"/{message_type}/{required}"


def test_only_trader_messages_accept_the_dms_extensions():
    for message_type in ALL:
        names = [d.name for d in content_model(message_type).children(content_model(message_type).root.type_key)]
        assert ("Extensions" in names) == (message_type in TRADER_MESSAGES), message_type


def test_messagetype_must_name_the_message_itself():
    xml = render("CC015C", message("CC015C", full=False)).replace(
        b"<messageType>CC015C</messageType>", b"<messageType>CC013C</messageType>")
    problems = parse_message(xml)
    assert [p.code for p in problems] == ["xml.message_type_mismatch"]
    assert problems[0].pointer == "/CC015C/messageType" and problems[0].line > 0


def test_messagetype_outside_the_phase_5_list_is_a_schema_error():
    data = {**message("CC928C", full=False), "messageType": "CC999C"}
    problems = validate_data("CC928C", data)
    assert [p.pointer for p in problems] == ["/CC928C/messageType"]


def test_to_data_reads_a_message_of_every_type_as_the_same_shape():
    for message_type in ALL:
        data = message(message_type, repeats=1)
        assert to_data(etree.fromstring(render(message_type, data))) == data


@pytest.mark.parametrize("message_type", ALL)
def test_a_required_element_left_out_below_the_root_is_named(message_type):
    data = message(message_type, full=False)
    model = content_model(message_type)
    parent = next(d for d in reversed(model.children(model.root.type_key))
                  if d.type_key and d.min_occurs and any(c.min_occurs for c in model.children(d.type_key)))
    block = data[parent.name][0] if parent.repeats else data[parent.name]
    required = next(c.name for c in reversed(model.children(parent.type_key)) if c.min_occurs)
    del block[required]
    problems = validate_data(message_type, data)
    index = "[1]" if parent.repeats else ""
    assert [(p.code, p.pointer) for p in problems][:1] == [
        ("xml.schema.missing", f"/{message_type}/{parent.name}{index}/{required}")]
