"""Every notification builder's output is valid against our notification schema, and says what happened."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from tests.imports.messages.helpers import sample, without
from toldsystem.imports.messages import ParsedDeclaration, parse_declaration, render, schema_problems, validate_data
from toldsystem.imports.messages import notifications as n

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
AT = datetime(2026, 12, 1, 22, 15, 30, tzinfo=COPENHAGEN)  # 21:15:30 UTC
MRN = "26DK000460000017B5"
SID = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.fixture
def declaration() -> dict:
    found = parse_declaration(sample("prelodged_d"))
    assert isinstance(found, ParsedDeclaration)
    return found.data


def built(declaration) -> dict[str, dict]:
    problems = parse_declaration(without(sample("full_express_a"), "Importer"))
    return {
        n.ACCEPTED: n.accepted(declaration, MRN, AT, sid=SID),
        n.REJECTED: n.rejected(declaration, problems, AT, sid=SID),
        n.RELEASED: n.released(declaration, MRN, AT, sid=SID),
        n.CONTROL: n.selected_for_control(declaration, MRN, AT, "documentary", documents=[("N380", "INV-77812")],
                                          due=datetime(2026, 12, 2, 12, 0, tzinfo=COPENHAGEN), sid=SID),
        n.SUPPLEMENTARY_DUE: n.supplementary_due(declaration, MRN, AT, date(2027, 1, 5), sid=SID),
        n.INVALIDATED: n.invalidated(declaration, MRN, AT, sid=SID),
    }


def test_every_builder_gives_a_valid_notification_of_its_event(declaration):
    notifications = built(declaration)
    assert sorted(notifications) == sorted(n.EVENT_TYPES)
    for event, data in notifications.items():
        assert validate_data("notification", data) == [], event
        assert data["NotificationEventType"] == event
        tree = etree.ElementTree(etree.fromstring(render("notification", data)))
        assert schema_problems("notification", tree) == []


def test_the_declaration_is_summarised_by_its_references_and_parties(declaration):
    summary = n.accepted(declaration, MRN, AT, sid=SID)["Declaration"]
    assert summary["MRN"] == MRN and summary["LRN"] == "NF/2026/12/0007"
    assert summary["Declarant"] == {"Name": "Nordic Forwarding ApS", "ID": "DK13585628"}
    assert summary["Agent"] == {"ID": "DK13585628", "FunctionCode": "3"}
    assert summary["AcceptanceDateTime"] == {"DateTimeString": {"value": "20261201211530Z", "formatCode": "304"}}


def test_a_rejection_lists_each_problem_with_its_pointer_and_line(declaration):
    data = n.rejected(declaration, parse_declaration(without(sample("full_express_a"), "Importer")), AT)
    (error,) = data["Error"]
    assert error["Pointer"] == [{"DocumentSectionCode": "/Declaration/GoodsShipment/Importer"}]
    assert error["ValidationCode"] == "xml.schema.missing"
    assert "line 91" in error["ValidationText"] and "skal angives" in error["ValidationInformation"]
    assert "MRN" not in {k for k, v in data["Declaration"].items() if v is not None}


def test_a_release_names_every_goods_item(declaration):
    indicators = n.released(declaration, MRN, AT)["GoodsItemsReleaseIndicators"]["ReleaseIndicator"]
    assert [i["GoodsItemSequenceNumber"] for i in indicators] == ["1", "2"]


def test_a_control_says_its_lane_documents_and_limit(declaration):
    data = n.selected_for_control(declaration, MRN, AT, "physical", due=datetime(2026, 12, 2, 9, tzinfo=COPENHAGEN))
    assert data["Control"] == [{"SequenceNumeric": "1", "TypeCode": "PHYSICAL",
                                "LimitDateTime": {"DateTimeString": {"value": "20261202080000Z", "formatCode": "304"}}}]
    assert data["AdditionalDocument"] is None
    with pytest.raises(ValueError, match="lane"):
        n.selected_for_control(declaration, MRN, AT, "x-ray")


def test_a_supplementary_declaration_due_date_is_a_date(declaration):
    data = n.supplementary_due(declaration, MRN, AT, date(2027, 1, 5))
    assert data["DueDate"] == {"DateTimeString": {"value": "20270105", "formatCode": "102"}}


def test_a_naive_time_is_refused(declaration):
    with pytest.raises(ValueError, match="aware"):
        n.accepted(declaration, MRN, datetime(2026, 12, 1, 22, 0))


def test_each_notification_has_its_own_id(declaration):
    assert n.accepted(declaration, MRN, AT)["NotificationSID"] != n.accepted(declaration, MRN, AT)["NotificationSID"]


def test_the_schema_refuses_a_notification_without_its_id_or_with_a_bad_one(declaration):
    data = n.accepted(declaration, MRN, AT, sid=SID)
    assert [p.pointer for p in validate_data("notification", {**data, "NotificationSID": "not-a-guid"})] == [
        "/Notification/NotificationSID"]
    del data["NotificationSID"]
    assert [(p.code, p.pointer) for p in validate_data("notification", data)] == [
        ("xml.schema.missing", "/Notification/NotificationSID")]
