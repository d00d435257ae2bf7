"""Board messages read as outages for the officer's decision support."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from toldsystem.fallback.rules.board import PROCEDURES_OF_SYSTEM, back_to_normal_at, outages_from_message
from toldsystem.fallback.rules.decision import assess_outage
from toldsystem.fallback.rules.model import Procedure
from toldsystem.operations.rules import BACK_TO_NORMAL, DISRUPTION, ENDED, INFORMATION, SERVICE_WINDOW, Message

AT = datetime(2026, 3, 10, 17, 0, tzinfo=timezone.utc)


def message(**changes) -> Message:
    base = dict(systems=("dms_export", "manifest"), environments=("PRD",), kind=SERVICE_WINDOW, title="Service window",
                body="The use of fallback procedure is allowed within the service window.",
                created=AT - timedelta(days=3),
                updated=AT - timedelta(days=3), window_start=AT, window_end=AT + timedelta(hours=3), fallback="allowed")
    base.update(changes)
    return Message(**base)


def test_a_service_window_announced_in_advance_is_a_planned_outage_per_system_that_always_permits() -> None:
    outages = outages_from_message(message())
    assert [o.system for o in outages] == ["dms_export", "manifest"]
    assert all(o.planned and o.expected_end == AT + timedelta(hours=3) for o in outages)
    assert assess_outage(outages[0], AT + timedelta(minutes=5)).planned_always_permits


def test_a_disruption_begins_when_announced_and_ends_when_the_message_ends() -> None:
    ended = message(kind=DISRUPTION, window_start=None, window_end=None, created=AT, status=ENDED,
                    ended_at=AT + timedelta(minutes=50), fallback="not_allowed")
    (outage, _) = outages_from_message(ended)
    assert (outage.started_at, outage.planned, outage.back_at, outage.board_fallback) == (
        AT, False, AT + timedelta(minutes=50), "not_allowed")
    assert assess_outage(outage, AT + timedelta(hours=2)).ended


def test_information_is_no_outage_and_back_to_normal_gives_the_end() -> None:
    assert outages_from_message(message(kind=INFORMATION)) == ()
    assert back_to_normal_at(message(kind=BACK_TO_NORMAL, created=AT)) == AT
    assert back_to_normal_at(message()) is None


def test_each_system_governs_its_procedures() -> None:
    assert Procedure.TIR in PROCEDURES_OF_SYSTEM["dms_transit"]
    assert set().union(*PROCEDURES_OF_SYSTEM.values()) == set(Procedure)
