"""The arrival at exit (IE507) read from its data, and when it may be registered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.export.messages.helpers import sample
from toldsystem.core.errors import Problem
from toldsystem.export.messages import parse_export
from toldsystem.export.rules import (DeclarationKind, ExportDeclaration, Status, arrival_at_exit_of,
                                     arrival_may_be_registered)

MRN = "26DK0031020000DWA2"


def arrival_data() -> dict:
    return parse_export(sample("ie507_arrival_at_exit")).data


def export(status: Status, mrn: str = MRN) -> ExportDeclaration:
    return ExportDeclaration("LRN-EX-2026-000101", mrn, DeclarationKind.STANDARD, status, "DK004700")


def test_the_arrival_reads_its_export_time_office_and_place():
    arrival = arrival_at_exit_of(arrival_data())
    assert arrival.mrn == MRN and arrival.office == "DK004700" and arrival.place == "Aarhus Havn, kaj 2"
    assert arrival.at == datetime(2026, 12, 1, 9, 10, tzinfo=UTC)  # 10:10 in Copenhagen, winter time
    assert not arrival.discrepancies and not arrival.storing


def test_the_flags_are_read():
    data = arrival_data()
    data["ExportOperation"] = {**data["ExportOperation"], "discrepanciesExist": "1", "storingFlag": "1"}
    arrival = arrival_at_exit_of(data)
    assert arrival.discrepancies and arrival.storing


def test_a_time_that_is_not_one_is_a_problem():
    data = arrival_data()
    data["ExportOperation"] = {**data["ExportOperation"], "arrivalNotificationDateAndTime": "tomorrow"}
    found = arrival_at_exit_of(data)
    assert isinstance(found, Problem) and found.code == "export.arrival.time"


def test_an_arrival_is_registered_for_goods_presented_at_exit():
    assert arrival_may_be_registered(arrival_at_exit_of(arrival_data()), export(Status.PRESENTED_AT_EXIT)) is None


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PRESENTED_AT_EXIT])
def test_no_arrival_before_presentation_or_after_it_is_registered(status):
    found = arrival_may_be_registered(arrival_at_exit_of(arrival_data()), export(status))
    assert found.code == "export.arrival.not_presented"


def test_an_arrival_for_another_export_is_refused():
    arrival = arrival_at_exit_of(arrival_data())
    assert arrival_may_be_registered(arrival, None).code == "export.arrival.unknown_mrn"
    other = export(Status.PRESENTED_AT_EXIT, mrn="26DK0031020000AAA0")
    assert arrival_may_be_registered(arrival, other).code == "export.arrival.unknown_mrn"
