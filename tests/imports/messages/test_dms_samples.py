"""Hand-written DEC-DMS declarations (from the agency's element names) are accepted, as the right kind,
with their data where the import rules will look for it."""

from __future__ import annotations

import pytest

from tests.imports.messages.helpers import replaced, sample
from toldsystem.imports.messages import ParsedDeclaration, attribute_of, parse_declaration, render, value_of

KINDS = {"full_express_a": ("declaration", "IMA"), "prelodged_d": ("declaration", "IMD"),
         "simplified_c": ("declaration", "IMC"), "supplementary_y": ("declaration", "IMY"),
         "amendment": ("amendment", "IMA"), "invalidation": ("invalidation", "IMA")}


def parsed(xml: bytes, **options) -> ParsedDeclaration:
    found = parse_declaration(xml, **options)
    assert isinstance(found, ParsedDeclaration), found
    return found


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_sample_is_accepted_as_its_kind(name):
    found = parsed(sample(name))
    kind, type_code = KINDS[name]
    assert found.kind == kind
    assert found.data["TypeCode"] == type_code  # declaration type IM + additional declaration type


@pytest.mark.parametrize("name", sorted(KINDS))
def test_data_rendered_and_read_again_is_the_same(name):
    first = parsed(sample(name))
    again = parsed(render(first.kind, first.data), kind=first.kind)
    assert again.data == first.data
    assert render(again.kind, again.data) == render(first.kind, first.data)


def test_the_key_paths_of_a_full_express_declaration():
    data = parsed(sample("full_express_a")).data
    item = data["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]
    assert data["TypeCode"][2] == "A"
    assert data["FunctionalReferenceID"] == "LRN-2026-A-000123"
    assert data["Declarant"]["ID"] == "DK13585628"
    assert (data["Agent"]["ID"], data["Agent"]["FunctionCode"]) == ("DK13585628", "2")
    assert data["GoodsShipment"]["Importer"]["ID"] == "DK12345674"
    assert [c["ID"] for c in item["Commodity"]["Classification"]] == ["85171300", "00", "0000"]
    assert item["Origin"][0]["CountryCode"] == "CN"
    assert value_of(item["StatisticalValueAmount"]) == "12500.00"
    assert attribute_of(item["StatisticalValueAmount"], "currencyID") == "DKK"
    assert [p["CurrentCode"] for p in item["GovernmentProcedure"]] == ["40", "000"]
    assert data["GoodsShipment"]["Consignment"]["BorderTransportMeans"]["ModeCode"] == "3"
    assert data["PresentationOffice"]["ID"] == "DK003102"
    assert data["GoodsShipment"]["Consignment"]["GoodsLocation"]["CustomsOffice"]["identification"] == "DK003102"


def test_a_simplified_declaration_names_its_authorisation():
    data = parsed(sample("simplified_c")).data
    assert data["TypeCode"] == "IMC"
    assert [(a["Type"], a["ID"]) for a in data["Authorisation"]] == [("C512", "DKC512DK12345674-2025-0003")]


def test_a_supplementary_declaration_points_at_the_simplified_one():
    data = parsed(sample("supplementary_y")).data
    assert data["GoodsShipment"]["PreviousDocument"] == [
        {"SequenceNumeric": "1", "ID": "26DK000460000042A1", "TypeCode": "SDE"}]
    item_document = data["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]["PreviousDocument"][0]
    assert item_document["AcceptanceDateTime"] == {"DateTimeString": {"value": "20261203081500Z", "formatCode": "304"}}


def test_an_amendment_carries_the_mrn_and_its_reason():
    data = parsed(sample("amendment")).data
    assert data["ID"] == "26DK000460000017B5"
    assert data["Amendment"]["ChangeReasonText"] == "Wrong net mass on item 1"


def test_an_invalidation_carries_its_repayment_application():
    data = parsed(sample("invalidation")).data
    repayment = data["RepaymentRemissionAuthorisation"]
    assert repayment["AmountDuty"] == {"Currency": "DKK", "Amount": "1875.5"}
    assert repayment["ApplicationDate"] == {"value": "20261201", "formatCode": "102"}
    assert repayment["DutyType"] == [{"UnionCode": "A00"}]
    assert "GoodsShipment" not in data


def test_the_repayment_application_is_checked_too():
    xml = replaced(sample("invalidation"), "<eds:LegalBasis>A</eds:LegalBasis>", "<eds:LegalBasis>AB</eds:LegalBasis>")
    found = parse_declaration(xml)
    assert [p.pointer for p in found] == ["/Declaration/RepaymentRemissionAuthorisation/LegalBasis"]


def test_the_sender_may_say_the_kind_and_is_held_to_it():
    assert parsed(sample("amendment"), kind="amendment").kind == "amendment"
    found = parse_declaration(sample("full_express_a"), kind="amendment")
    assert isinstance(found, list)
    assert {p.pointer for p in found} & {"/Declaration/ID", "/Declaration/Amendment"}


def test_optional_blocks_several_items_and_attributes_are_read():
    data = parsed(sample("prelodged_d")).data
    shipment = data["GoodsShipment"]
    assert len(shipment["GovernmentAgencyGoodsItem"]) == 2
    assert [o["TypeCode"] for o in shipment["GovernmentAgencyGoodsItem"][1]["Origin"]] == ["1", "2"]
    assert data["FunctionCode"] == {"value": "9", "listID": "DMS"}
    assert data["Extensions"][0]["Key"] == "softwareVersion"
    assert shipment["Consignment"]["TransportEquipment"][0]["SequenceNumeric"] == ["1", "2"]
    assert data["ObligationGuarantee"][0]["ReferenceID"] == "26DK0000000000001234"


def test_inner_spaces_stay_where_the_type_keeps_them_and_collapse_where_it_does_not():
    data = parsed(sample("prelodged_d")).data
    # TextType is a string: inner runs are the sender's; IDType and CodeType are tokens.
    assert data["Agent"]["Contact"][0]["name"] == "Mette   Hansen"
    assert data["GoodsShipment"]["AdditionalInformation"][0]["StatementDescription"] == \
        "Importer and declarant are  not the same person"
    spaced = parsed(replaced(sample("full_express_a"), "<FunctionalReferenceID>LRN-2026-A-000123",
                             "<FunctionalReferenceID>\n   LRN-2026   A-000123  "))
    assert spaced.data["FunctionalReferenceID"] == "LRN-2026 A-000123"


@pytest.mark.parametrize(("old", "new"), [
    ("<DispatchCountry>\n      <ID>DE</ID>", "<DispatchCountry>\n      <ID>de</ID>"),  # a2: letters, any case
    ("<CurrentCode>000</CurrentCode>", "<CurrentCode>F15</CurrentCode>"),
    ("<TypeCode>IMA</TypeCode>", "<TypeCode>IMZ</TypeCode>"),
    ("<FunctionCode>9</FunctionCode>", "<FunctionCode>41</FunctionCode>"),
    ("<ModeCode>3</ModeCode>", "<ModeCode>0</ModeCode>"),
    ('<InvoiceAmount currencyID="DKK">12500.00', '<InvoiceAmount currencyID="DKK">.5'),
    ("<Description>Mobile telephones", "<Description>Mobiltelefoner — “smart” æøå ÆØÅ"),
])
def test_unusual_but_valid_values_are_accepted(old, new):
    assert parsed(replaced(sample("full_express_a"), old, new)).kind == "declaration"


def test_comments_and_processing_instructions_carry_no_data():
    xml = replaced(sample("full_express_a"), "<ProcedureCategory>", "<!-- note --><?pi x?><ProcedureCategory>")
    assert parsed(xml).data == parsed(sample("full_express_a")).data
