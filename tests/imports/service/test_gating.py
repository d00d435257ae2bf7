"""The board gates DMS Import as it gates transit: a rejecting window refuses (nothing received), a queued one holds
the declaration in the shared durable intake queue and it is lodged after the window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.imports.service.helpers import FORWARDER_PARTY, full_express, world
from toldsystem.core import clock
from toldsystem.imports import service
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.operations.rules import Effect

START = datetime(2026, 11, 23, 18, 0, tzinfo=clock.COPENHAGEN)
END = START + timedelta(hours=3)


def window(state: str) -> None:
    operations.create(systems=["dms_import"], kind="service_window", title="PRD-servicewindow DMS Import",
                      work_order="WO0000001700002", window_start=START, window_end=END,
                      effects=[Effect("file", state)])


def test_a_rejecting_window_refuses_and_receives_nothing(store, fixed_clock):
    world()
    window("rejected")
    fixed_clock.advance(hours=8, minutes=30)  # 18:30
    read = service.read_data(full_express())
    with pytest.raises(service.Closed) as refused:
        service.admit(FORWARDER_PARTY, read, full_express())
    assert "DMS Import" in refused.value.problems[0].en and "PRD-servicewindow" in refused.value.problems[0].en
    assert service.declarations(FORWARDER_PARTY) == []


def test_a_queued_window_holds_the_declaration_and_it_is_lodged_after(store, fixed_clock):
    world()
    window("queued")
    fixed_clock.advance(hours=8, minutes=30)
    data = full_express()
    taken = service.admit(FORWARDER_PARTY, service.read_data(data), data)
    assert isinstance(taken, service.Queued) and service.declarations(FORWARDER_PARTY) == []
    fixed_clock.advance(hours=3)  # 21:30: the window is over
    intake.drain("dms_import")
    held = service.held(FORWARDER_PARTY, taken.held.id)
    assert held.state == "processed" and held.outcome["mrn"]
    assert [d["mrn"] for d in service.declarations(FORWARDER_PARTY)] == [held.outcome["mrn"]]


def test_outside_the_window_the_declaration_is_lodged_at_once(store, fixed_clock):
    world()
    window("rejected")
    data = full_express()
    outcome = service.admit(FORWARDER_PARTY, service.read_data(data), data)
    assert outcome.mrn
