"""The shared DEC-DMS core (toldsystem.dms), driven by small schemas of its own: a qualified message like the
DEC-DMS ones and an unqualified one like the EU export system's CC507C."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from toldsystem.core.xml_input import Bounds
from toldsystem.dms.convert import build, data_problems, element_data, fill, render
from toldsystem.dms.kinds import MessageKinds
from toldsystem.dms.model import PREFIXES, ContentModel, compile_schema
from toldsystem.dms.parser import pointer_of, read_received, schema_problems, unreadable

NS = "urn:test:dms"
QUALIFIED = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="{NS}" targetNamespace="{NS}"
    elementFormDefault="qualified">
  <xs:element name="Message">
    <xs:complexType><xs:sequence>
      <xs:element name="ID" type="Code"/>
      <xs:element name="Amount" minOccurs="0">
        <xs:complexType><xs:simpleContent><xs:extension base="xs:decimal">
          <xs:attribute name="currencyID" type="xs:string"/>
        </xs:extension></xs:simpleContent></xs:complexType>
      </xs:element>
      <xs:element name="Item" maxOccurs="2">
        <xs:complexType><xs:sequence>
          <xs:element name="Name" type="xs:string"/>
          <xs:element name="Note" type="xs:token" minOccurs="0"/>
        </xs:sequence></xs:complexType>
      </xs:element>
    </xs:sequence></xs:complexType>
  </xs:element>
  <xs:simpleType name="Code"><xs:restriction base="xs:token"><xs:pattern value="[A-Z]{{3}}"/></xs:restriction>
  </xs:simpleType>
</xs:schema>"""
UNQUALIFIED = """<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="urn:test:ecs" targetNamespace="urn:test:ecs">
  <xs:element name="CC999C">
    <xs:complexType><xs:sequence>
      <xs:element name="Reference" type="xs:string"/>
      <xs:element name="Seal" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence></xs:complexType>
  </xs:element>
</xs:schema>"""


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dms")
    (folder / "qualified.xsd").write_text(QUALIFIED)
    (folder / "unqualified.xsd").write_text(UNQUALIFIED)
    return {"qualified": folder / "qualified.xsd", "unqualified": folder / "unqualified.xsd"}


@pytest.fixture(scope="module")
def model(files: dict[str, Path]) -> ContentModel:
    return ContentModel(files["qualified"], f"{{{NS}}}Message")


@pytest.fixture(scope="module")
def schema(files: dict[str, Path]) -> etree.XMLSchema:
    return compile_schema(files["qualified"])


@pytest.fixture(scope="module")
def ecs(files: dict[str, Path]) -> ContentModel:
    return ContentModel(files["unqualified"], "{urn:test:ecs}CC999C")


GOOD = {"ID": "ABC", "Amount": {"value": "12.50", "currencyID": "DKK"}, "Item": [{"Name": "one"}]}


def test_the_model_is_read_from_a_file_and_a_root(model: ContentModel) -> None:
    assert model.root.qname == f"{{{NS}}}Message"
    children = model.children(model.root.type_key)
    assert [(c.name, c.min_occurs, c.max_occurs) for c in children] == [("ID", 1, 1), ("Amount", 0, 1), ("Item", 1, 2)]
    assert children[1].attributes == frozenset({"currencyID"}) and children[2].repeats
    assert children[0].whitespace == "collapse"


def test_an_unknown_root_is_a_key_error(files: dict[str, Path]) -> None:
    with pytest.raises(KeyError):
        ContentModel(files["qualified"], f"{{{NS}}}Other")


def test_data_is_built_in_schema_order_and_read_back(model: ContentModel, schema: etree.XMLSchema) -> None:
    shuffled = {"Item": [{"Note": " a  b ", "Name": "one"}], "Amount": {"currencyID": "DKK", "value": Decimal("12.50")},
                "ID": "ABC"}
    problems: list = []
    root = build(model, shuffled, problems)
    assert problems == [] and [etree.QName(c).localname for c in root] == ["ID", "Amount", "Item"]
    assert root.nsmap == {None: NS, **PREFIXES}
    assert schema.validate(etree.ElementTree(root))
    assert element_data(model, root) == {"ID": "ABC", "Amount": {"value": "12.50", "currencyID": "DKK"},
                                         "Item": [{"Name": "one", "Note": "a b"}]}


def test_fill_places_data_under_any_parent_of_a_type(model: ContentModel) -> None:
    item_type = model.child(model.root.type_key, "Item").type_key
    parent = etree.Element("holder")
    problems: list = []
    fill(model, parent, item_type, {"Name": "x", "Colour": "red"}, "/Message/Item[1]", problems)
    assert [etree.QName(c).localname for c in parent] == ["Name"]
    assert [(p.code, p.pointer) for p in problems] == [("data.unknown_element", "/Message/Item[1]/Colour")]


def test_a_root_with_unqualified_children_takes_a_prefix(ecs: ContentModel, files: dict[str, Path]) -> None:
    problems: list = []
    root = build(ecs, {"Reference": "R1", "Seal": ["S1", "S2"]}, problems, root_prefix="ecs")
    assert problems == [] and root.nsmap == {"ecs": "urn:test:ecs"} and root.prefix == "ecs"
    assert all(etree.QName(child).namespace is None for child in root)
    assert compile_schema(files["unqualified"]).validate(etree.ElementTree(root))
    assert render(ecs, {"Reference": "R1"}, root_prefix="ecs").startswith(b"<?xml")


def test_render_refuses_data_that_does_not_fit(model: ContentModel) -> None:
    with pytest.raises(ValueError, match="/Message/Item"):
        render(model, {"ID": "ABC", "Item": {"Name": "not a list"}})


@pytest.mark.parametrize(("data", "code", "pointer"), [
    ({"ID": "ABC"}, "xml.schema.missing", "/Message/Item"),
    ({"ID": "abc", "Item": [{"Name": "x"}]}, "xml.schema.pattern", "/Message/ID"),
    ({"ID": "ABC", "Item": [{"Name": "x"}] * 3}, "xml.schema.too_many", "/Message/Item[3]"),
    ({"ID": "ABC", "Item": [{"Note": "x"}]}, "xml.schema.missing", "/Message/Item[1]/Name"),
    ({"ID": "ABC", "Amount": {"value": "12", "rate": "1"}, "Item": [{"Name": "x"}]}, "data.unknown_attribute",
     "/Message/Amount/@rate"),
    (["not", "an", "object"], "data.not_object", "/"),
])
def test_data_problems_point_at_the_element(model: ContentModel, schema: etree.XMLSchema, data, code: str,
                                            pointer: str) -> None:
    found = data_problems(model, schema, data)
    assert [(p.code, p.pointer) for p in found][:1] == [(code, pointer)]


def test_good_data_has_no_problems(model: ContentModel, schema: etree.XMLSchema) -> None:
    assert data_problems(model, schema, GOOD) == []


def test_a_received_message_gets_lines_and_columns(model: ContentModel, schema: etree.XMLSchema) -> None:
    tree = etree.ElementTree(etree.fromstring(f'<Message xmlns="{NS}">\n<ID>abc</ID>\n<Item><Name>x</Name></Item>'
                                              f'</Message>'.encode()))
    found = schema_problems(model, schema, tree, received=True)
    assert [(p.pointer, p.line) for p in found] == [("/Message/ID", 2)]
    assert schema_problems(model, schema, tree)[0].line in (None, 0)


def test_pointers_index_what_may_repeat(model: ContentModel) -> None:
    root = build(model, {"ID": "ABC", "Item": [{"Name": "a"}, {"Name": "b", "Note": "n"}]}, [])
    note = root[-1][-1]
    assert pointer_of(model, note) == "/Message/Item[2]/Note"
    assert pointer_of(model, root[0]) == "/Message/ID"


def test_read_received_refuses_before_it_reads() -> None:
    assert read_received("text", Bounds(), lambda root: [])[0].code == "xml.not_bytes"
    assert read_received(b"<a><b></a>", Bounds(), lambda root: [])[0].code.startswith("xml.")
    refused = read_received(b"<a/>", Bounds(), lambda root: unreadable(ValueError("x")))
    assert [p.code for p in refused] == ["xml.unreadable"] and "ValueError" in refused[0].en
    assert isinstance(read_received(b"<a><b/></a>", Bounds(), lambda root: []), etree._ElementTree)


def test_a_doctype_is_refused() -> None:
    found = read_received(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', Bounds(), lambda root: [])
    assert isinstance(found, list) and found


@given(names=st.lists(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1,
                              max_size=12), min_size=1, max_size=2))
def test_names_round_trip(model: ContentModel, schema: etree.XMLSchema, names: list[str]) -> None:
    data = {"ID": "XYZ", "Item": [{"Name": name} for name in names]}
    problems: list = []
    root = build(model, data, problems)
    assert problems == [] and schema.validate(etree.ElementTree(root))
    assert element_data(model, etree.ElementTree(root)) == data


@pytest.fixture(scope="module")
def kinds(files: dict[str, Path]) -> MessageKinds:
    return MessageKinds({"message": (files["qualified"], f"{{{NS}}}Message")}, "test message kind")


def test_a_kind_is_compiled_and_read_once(kinds: MessageKinds) -> None:
    assert kinds.content_model("message") is kinds.content_model("message")
    assert kinds.compiled_schema("message") is kinds.compiled_schema("message")
    with pytest.raises(KeyError, match="no schema for test message kind 'other'"):
        kinds.content_model("other")


def test_receive_gives_kind_data_bytes_and_tree(kinds: MessageKinds) -> None:
    raw = f'<Message xmlns="{NS}"><ID>ABC</ID><Item><Name>x</Name></Item></Message>'.encode()
    kind, data, received, tree = kinds.receive(bytearray(raw), None, Bounds(), lambda root: [], lambda root: "message")
    assert (kind, data, received) == ("message", {"ID": "ABC", "Item": [{"Name": "x"}]}, raw)
    assert tree.getroot().tag == f"{{{NS}}}Message"


def test_receive_returns_schema_problems_and_never_raises(kinds: MessageKinds) -> None:
    raw = f'<Message xmlns="{NS}"><ID>ABC</ID></Message>'.encode()
    missing = kinds.receive(raw, "message", Bounds(), lambda root: [], lambda root: "message")
    assert [(p.code, p.pointer, p.line) for p in missing] == [("xml.schema.missing", "/Message/Item", 1)]

    def broken(root: etree._Element) -> str:
        raise RuntimeError("a bug in a room")

    assert [p.code for p in kinds.receive(raw, None, Bounds(), lambda root: [], broken)] == ["xml.unreadable"]
