"""The supplementary declarations' work list across month ends, overdue ones becoming estimated-assessment cases
(idempotently), the sweep, and who sees which (seed 004 "Tidsfrister")."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.imports.service.helpers import (FORWARDER_PARTY, IMPORTER_PARTY, NATIONAL, OFFICER, STRANGER_PARTY,
                                           simplified, supplementary, world)
from toldsystem.core import clock
from toldsystem.core.errors import Forbidden
from toldsystem.imports import service


def accepted_at(moment: datetime, lrn: str) -> str:
    previous = clock.install(clock.FixedClock(moment))
    try:
        return service.lodge_data(FORWARDER_PARTY, simplified(lrn)).mrn
    finally:
        clock.install(previous)


@pytest.mark.parametrize("accepted, due", [
    (datetime(2026, 3, 31, 23, 30, tzinfo=clock.COPENHAGEN), date(2026, 4, 7)),  # Easter: Thu 2, Fri 3, Mon 6 off
    (datetime(2026, 12, 31, 12, 0, tzinfo=clock.COPENHAGEN), date(2027, 1, 5)),  # New Year: Fri 1 off, Mon 4, Tue 5
    (datetime(2027, 1, 31, 12, 0, tzinfo=clock.COPENHAGEN), date(2027, 2, 2)),
])
def test_the_due_date_is_the_second_danish_working_day_of_the_next_month(store, accepted, due):
    world()
    mrn = accepted_at(accepted, f"LRN-{accepted:%Y%m%d}")
    listed = service.due_list(NATIONAL, accepted.date())
    assert [(i.mrn, i.due, i.overdue) for i in listed] == [(mrn, due, False)]


def test_accepted_just_after_midnight_danish_time_counts_in_the_new_month(store):
    world()
    # 2026-10-31 23:30 UTC is 1 November 00:30 in Copenhagen: due the 2nd working day of December (Wed 2 Dec)
    mrn = accepted_at(datetime(2026, 10, 31, 23, 30, tzinfo=UTC), "LRN-MIDNIGHT")
    assert service.due_list(NATIONAL, date(2026, 11, 1))[0].due == date(2026, 12, 2) and mrn


def test_overdue_opens_one_estimated_assessment_case_however_often_the_list_is_computed(store):
    world()
    mrn = accepted_at(datetime(2026, 11, 10, 10, 0, tzinfo=clock.COPENHAGEN), "LRN-LATE")
    assert service.due_list(NATIONAL, date(2026, 12, 2))[0].overdue is False  # due Wed 2 December
    listed = service.due_list(NATIONAL, date(2026, 12, 3))
    assert [(i.mrn, i.overdue) for i in listed] == [(mrn, True)]
    service.due_list(NATIONAL, date(2026, 12, 4))
    cases = service.cases(NATIONAL)
    assert [(c.mrn, c.due, c.state) for c in cases] == [(mrn, date(2026, 12, 2), "open")]
    assert service.sweep(NATIONAL, date(2026, 12, 5)) == 0
    assert service.declaration(FORWARDER_PARTY, mrn)["supplementary"]["state"] == "estimated"
    closed = service.close_case(OFFICER, cases[0].id, "told anslået til 1.200 kr.")
    assert closed.state == "closed" and service.cases(NATIONAL) == []


def test_the_sweep_opens_every_overdue_case_once(store):
    world()
    late = [accepted_at(datetime(2026, 10, day, 10, 0, tzinfo=clock.COPENHAGEN), f"LRN-OCT-{day}") for day in (5, 6)]
    on_time = accepted_at(datetime(2026, 11, 20, 10, 0, tzinfo=clock.COPENHAGEN), "LRN-NOV")
    assert service.sweep(NATIONAL, date(2026, 11, 10)) == 2
    assert service.sweep(NATIONAL, date(2026, 11, 10)) == 0
    assert sorted(c.mrn for c in service.cases(NATIONAL)) == sorted(late)
    assert on_time not in {c.mrn for c in service.cases(NATIONAL)}
    with pytest.raises(Forbidden):
        service.sweep(OFFICER, date(2026, 11, 10))  # national officers only
    with pytest.raises(Forbidden):
        service.sweep(FORWARDER_PARTY, date(2026, 11, 10))


def test_a_lodged_supplementary_declaration_leaves_the_list(store, fixed_clock):
    world()
    mrn = service.lodge_data(FORWARDER_PARTY, simplified()).mrn
    assert [i.mrn for i in service.due_list(FORWARDER_PARTY)] == [mrn]
    service.lodge_data(FORWARDER_PARTY, supplementary(mrn))
    assert service.due_list(FORWARDER_PARTY) == []


def test_each_party_sees_its_own_due_declarations(store, fixed_clock):
    world()
    mrn = service.lodge_data(FORWARDER_PARTY, simplified()).mrn
    assert [i.mrn for i in service.due_list(IMPORTER_PARTY)] == [mrn]  # the consignee
    assert service.due_list(STRANGER_PARTY) == []
    assert [i.mrn for i in service.due_list(OFFICER)] == [mrn]  # the office's officer
    other_office = OFFICER.__class__(kind="officer", name="Elsewhere", office="DK009761")
    assert service.due_list(other_office) == []


def test_the_list_pages_by_due_date_and_id(store):
    world()
    made = [accepted_at(datetime(2026, 11, day, 10, 0, tzinfo=clock.COPENHAGEN), f"LRN-P-{day}") for day in (3, 4, 5)]
    first = service.due_list(NATIONAL, date(2026, 11, 20), limit=2)
    rest = service.due_list(NATIONAL, date(2026, 11, 20), limit=2, after=(first[-1].due, first[-1].id))
    assert [i.mrn for i in first + rest] == made
    assert service.due_list(NATIONAL, date(2026, 11, 20), overdue_only=True) == []
