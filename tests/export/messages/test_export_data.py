"""XML ⇄ data: every sample survives JSON and back, data gets the same checks as XML, and bad data is refused
with a pointer instead of raising."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from tests.export.messages.helpers import sample
from toldsystem.export.messages import parse_export, render, validate_data

SAMPLES = [("b1_standard", "declaration"), ("b1_prelodged_full", "declaration"), ("c1_simplified", "simplified"),
           ("b1_amendment", "amendment"), ("ie507_arrival_at_exit", "arrival_at_exit"),
           ("b1_invalidation", "invalidation")]


@pytest.mark.parametrize(("name", "kind"), SAMPLES)
def test_json_round_trip_gives_the_same_data_and_valid_xml(name, kind):
    data = parse_export(sample(name)).data
    again = json.loads(json.dumps(data))
    assert validate_data(kind, again) == []
    rendered = render(kind, again)
    reread = parse_export(rendered, kind)
    assert reread.data == data


def test_keys_in_any_order_render_in_schema_order():
    data = parse_export(sample("b1_standard")).data
    shuffled = dict(reversed(list(data.items())))
    root = etree.fromstring(render("declaration", shuffled))
    assert [etree.QName(child).localname for child in root][:3] == ["FunctionCode", "ProcedureCategory",
                                                                   "FunctionalReferenceID"]


def test_an_unknown_key_is_refused_with_its_pointer():
    data = {**parse_export(sample("b1_standard")).data, "Importer": {"ID": "DK1"}}
    (found,) = validate_data("declaration", data)
    assert found.code == "data.unknown_element" and found.pointer == "/Declaration/Importer"


def test_a_single_item_where_a_list_belongs_is_refused():
    data = parse_export(sample("b1_standard")).data
    data["GoodsShipment"]["GovernmentAgencyGoodsItem"] = data["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]
    (found,) = validate_data("declaration", data)
    assert found.code == "data.wrong_shape" and found.pointer.endswith("/GovernmentAgencyGoodsItem")


def test_a_missing_required_element_in_data_is_a_schema_problem():
    data = parse_export(sample("b1_standard")).data
    del data["Exporter"]
    assert [p.pointer for p in validate_data("declaration", data)] == ["/Declaration/Exporter"]


def test_data_that_is_not_an_object_is_refused():
    assert validate_data("declaration", ["not", "an", "object"])[0].code == "data.not_object"


def test_an_unknown_kind_is_refused():
    assert validate_data("exit_summary", {})[0].code == "message.unknown_type"


def test_render_refuses_data_it_cannot_place():
    with pytest.raises(ValueError, match="Importer"):
        render("declaration", {"Importer": {}})
