"""Every export notification builder gives data valid against the notification schema, saying what happened."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from lxml import etree

from tests.export.messages.helpers import sample
from toldsystem.core.errors import problem
from toldsystem.export.messages import notifications as n
from toldsystem.export.messages import parse_export, render, validate_data

AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
MRN = "26DK0031020K0UEKA0"


@pytest.fixture(scope="module")
def declaration():
    return parse_export(sample("b1_standard")).data


def built(declaration):
    return {
        n.ACCEPTED: n.accepted(declaration, MRN, AT),
        n.REJECTED: n.rejected(declaration, [problem("xml.schema.missing", "/Declaration/ExitOffice",
                                                      "ExitOffice is required here.", "ExitOffice skal angives her.",
                                                      12, 3)], AT),
        n.RELEASED: n.released_for_export(declaration, MRN, AT),
        n.CONTROL: n.selected_for_control(declaration, MRN, AT, "physical", documents=[("N380", "INV-1")],
                                          due=AT + timedelta(hours=4)),
        n.PRESENTED_AT_EXIT: n.presented_at_exit(declaration, MRN, AT, "DK004700"),
        n.ARRIVED_AT_EXIT: n.arrived_at_exit(declaration, MRN, AT, "DK004700",
                                             location="exited af udf.toldstedet pga nødp."),
        n.EXIT_CONFIRMED: n.exit_confirmed(declaration, MRN, AT, "DK004700", departure="DEP-2026-0001"),
        n.INVALIDATED: n.invalidated(declaration, MRN, AT),
        n.AMENDED: n.amended(declaration, MRN, AT),
    }


def test_every_event_type_has_a_builder_and_each_is_schema_valid(declaration):
    notifications = built(declaration)
    assert set(notifications) == set(n.EVENT_TYPES)
    for event, data in notifications.items():
        assert validate_data("notification", data) == [], event
        assert data["NotificationEventType"] == event


def test_the_summary_names_the_mrn_lrn_office_of_export_and_exporter(declaration):
    summary = n.accepted(declaration, MRN, AT)["Declaration"]
    assert summary["MRN"] == MRN and summary["LRN"] == "LRN-EX-2026-000101"
    assert summary["CustomsOfficeOfExport"] == "DK003102"
    assert summary["Exporter"] == {"Name": "Eksempel Eksport A/S", "ID": "DK12345674"}


def test_a_rejection_carries_each_problem_with_pointer_and_line(declaration):
    root = etree.fromstring(render("notification", built(declaration)[n.REJECTED]))
    assert root.findtext("Error/Pointer/DocumentSectionCode") == "/Declaration/ExitOffice"
    assert "line 12" in root.findtext("Error/ValidationText")


def test_the_exit_confirmation_says_where_when_and_which_departure(declaration):
    data = n.exit_confirmed(declaration, MRN, datetime(2026, 12, 1, 23, 30, tzinfo=UTC), "DK004700",
                            departure="DEP-2026-0001")
    assert data["CustomsPosition"] == {"ID": "DK004700", "Type": n.EXIT_CONFIRMED}
    assert data["AdditionalInformation"] == {"StatementDescription": "Manifest departure DEP-2026-0001"}
    assert data["Declaration"]["EffectiveDateTime"] == "2026-12-02"  # the Danish day of 23:30 UTC
    assert data["IssueDateTime"]["DateTimeString"]["value"] == "20261201233000Z"


def test_an_arrival_at_exit_carries_the_fallback_location_text(declaration):
    data = n.arrived_at_exit(declaration, MRN, AT, "DK004700", location="exited af udf.toldstedet pga nødp.")
    assert data["AdditionalInformation"]["StatementDescription"] == "exited af udf.toldstedet pga nødp."
    assert "AdditionalInformation" not in n.arrived_at_exit(declaration, MRN, AT, "DK004700")


def test_release_for_export_lists_every_goods_item(declaration):
    data = n.released_for_export(declaration, MRN, AT)
    assert [i["SequenceNumeric"] for i in data["Declaration"]["GoodsShipment"]["GovernmentAgencyGoodsItem"]] == \
        ["1", "2"]
    assert data["CustomsPosition"] == {"Type": n.RELEASED}


def test_the_export_notification_is_not_the_import_one():
    from toldsystem.export.messages import validate_data as validate
    assert validate("notification", {"NotificationEventType": "X", "NotificationSID": "0" * 8 + "-0000-0000-0000-"
                                     + "0" * 12, "Declaration": {}, "GoodsItemsReleaseIndicators": {}})


def test_a_naive_moment_is_refused(declaration):
    with pytest.raises(ValueError):
        n.exit_confirmed(declaration, MRN, datetime(2026, 12, 1, 9, 30), "DK004700")
