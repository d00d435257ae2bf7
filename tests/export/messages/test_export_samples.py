"""Hand-written export declarations, from the agency's published element names, are accepted and read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.export.messages.helpers import sample
from toldsystem.export.messages import Parsed, attribute_of, parse_export, value_of
from toldsystem.export.rules import is_export_mrn


@pytest.mark.parametrize(("name", "kind"), [("b1_standard", "declaration"), ("b1_prelodged_full", "declaration"),
                                            ("c1_simplified", "simplified"), ("b1_amendment", "amendment"),
                                            ("b1_invalidation", "invalidation"),
                                            ("ie507_arrival_at_exit", "arrival_at_exit")])
def test_each_sample_is_accepted_as_its_kind(name, kind):
    found = parse_export(sample(name))
    assert isinstance(found, Parsed), found
    assert found.kind == kind


def test_a_standard_declaration_reads_as_data_with_its_items_in_order():
    data = parse_export(sample("b1_standard")).data
    assert data["TypeCode"] == "EXA" and data["ProcedureCategory"] == "B1"
    assert data["ExitOffice"]["ID"] == "DK004700" and data["ExportOffice"]["identification"] == "DK003102"
    items = data["GoodsShipment"]["GovernmentAgencyGoodsItem"]
    assert [item["SequenceNumeric"] for item in items] == ["1", "2"]
    assert Decimal(value_of(data["InvoiceAmount"])) == Decimal("48250.00")
    assert attribute_of(data["InvoiceAmount"], "currencyID") == "DKK"
    assert [p["CurrentCode"] for p in items[0]["GovernmentProcedure"]] == ["10", "000"]


def test_the_pre_lodged_sample_keeps_its_optional_blocks():
    data = parse_export(sample("b1_prelodged_full")).data
    assert data["TypeCode"] == "EXD" and data["SecurityCode"] == "1"
    assert [i["RoutingCountryCode"] for i in data["Consignment"]["Itinerary"]] == ["DK", "NO"]
    assert data["Extensions"][0]["Key"] == "trader.reference"
    first = data["GoodsShipment"]["GovernmentAgencyGoodsItem"][0]
    assert first["Authorisation"][0]["AuthorisationHolder"] == "DK12345674"
    assert first["PreviousDocument"][0]["WriteOff"]["Packaging"]["TypeCode"] == "CR"
    assert len(data["GoodsShipment"]["GovernmentAgencyGoodsItem"]) == 3


def test_the_kind_given_by_the_sender_wins_over_the_content():
    found = parse_export(sample("b1_amendment"), "declaration")
    assert isinstance(found, list) and found[0].pointer == "/Declaration/ID"


def test_the_amendment_carries_the_mrn_and_its_reason():
    data = parse_export(sample("b1_amendment")).data
    assert data["ID"] == "26DK0031020000DWA2"
    assert data["Amendment"]["ChangeReasonText"] == "The net mass of item 2 was wrong."


def test_a_simplified_declaration_needs_no_invoice_amount_but_a_b1_does():
    assert isinstance(parse_export(sample("c1_simplified")), Parsed)
    (found,) = parse_export(sample("c1_simplified"), "declaration")
    assert found.pointer == "/Declaration/InvoiceAmount" and found.code == "xml.schema.missing"


def test_a_simplified_declaration_has_no_trade_terms():
    xml = sample("c1_simplified").replace(b"  </GoodsShipment>", b"<TradeTerms><ConditionCode>FCA</ConditionCode>"
                                          b"</TradeTerms></GoodsShipment>", 1)
    found = parse_export(xml)
    assert isinstance(found, list) and found[0].pointer == "/Declaration/GoodsShipment/TradeTerms"


def test_the_arrival_at_exit_names_the_export_and_the_actual_office_of_exit():
    data = parse_export(sample("ie507_arrival_at_exit")).data
    assert is_export_mrn(data["ExportOperation"]["MRN"])
    assert data["CustomsOfficeOfExitActual"]["referenceNumber"] == "DK004700"
    assert data["GoodsShipment"]["Consignment"]["LocationOfGoods"][0]["UNLocode"] == "DKAAR"
    assert data["GoodsShipment"]["GoodsItem"][0]["Packaging"][0]["numberOfPackages"] == "3"


def test_the_mrns_of_the_samples_are_export_mrns():
    assert is_export_mrn(parse_export(sample("b1_amendment")).data["ID"])
    assert is_export_mrn(parse_export(sample("b1_invalidation")).data["ID"])
