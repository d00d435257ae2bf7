"""The officer's work lists (issue 12, part 3): what waits for the decision of the officer's office, only there,
and fast with 10,000 movements in the store."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import insert, text

from toldsystem import db, demo
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import NotFound
from toldsystem.transit import service as transit
from toldsystem.transit import states, store
from toldsystem.transit.example import example_arrival

HOLDER, TRADER = "DK13585628", "DE123456789012345"
PADBORG, HAMBURG = "DK009264", "DE004851"
AT_PADBORG = Party(kind="officer", name="Officer at Padborg", office=PADBORG)
AT_HAMBURG = Party(kind="officer", name="Officer at Hamburg", office=HAMBURG)
ELSEWHERE = Party(kind="officer", name="Officer at Kolding", office="DK004700")
NATIONAL = Party(kind="officer", name="National officer")


def declare(standard: bool) -> str:
    declaration = demo.declaration(HOLDER)
    if standard:  # no authorised-consignor authorisation: the office of departure releases
        del declaration["Authorisation"], declaration["TransitOperation"]["limitDate"]
    result = transit.receive_data(Party.company(HOLDER), "CC015C", declaration)
    assert result.mrn, result
    return result.mrn


def waiting(party: Party, kind: str) -> list[str]:
    return [item.mrn for item in transit.work_list(party, kind).items]


@pytest.fixture
def demo_world(store):
    demo.load()


def test_a_standard_movement_waits_at_its_office_of_departure_until_released(demo_world):
    mrn = declare(standard=True)
    assert waiting(AT_PADBORG, transit.DEPARTURE) == [mrn]
    assert waiting(NATIONAL, transit.DEPARTURE) == [mrn]
    assert waiting(ELSEWHERE, transit.DEPARTURE) == [] and waiting(AT_HAMBURG, transit.DEPARTURE) == []
    transit.decide_control(AT_PADBORG, mrn, ["A"])
    [item] = transit.work_list(AT_PADBORG, transit.DEPARTURE).items
    assert (item.mrn, item.state, item.holder_eori) == (mrn, states.UNDER_CONTROL, HOLDER)
    transit.release(AT_PADBORG, mrn)
    assert waiting(AT_PADBORG, transit.DEPARTURE) == []


def test_a_simplified_movement_never_waits_for_release(demo_world):
    declare(standard=False)  # the authorised consignor's movement is released at once
    assert transit.work_counts(AT_PADBORG) == {transit.DEPARTURE: 0, transit.DESTINATION: 0}


def test_an_arrival_in_the_standard_procedure_waits_at_the_office_of_destination(demo_world):
    mrn = declare(standard=False)
    transit.receive_data(Party.company(TRADER), "CC007C", example_arrival(mrn, TRADER, HAMBURG, simplified=False))
    assert waiting(AT_HAMBURG, transit.DESTINATION) == [mrn]
    assert waiting(AT_PADBORG, transit.DESTINATION) == []
    assert transit.work_counts(AT_HAMBURG) == {transit.DEPARTURE: 0, transit.DESTINATION: 1}
    transit.record_control_result(AT_HAMBURG, mrn, conform=True)
    assert waiting(AT_HAMBURG, transit.DESTINATION) == []


def test_a_company_has_no_work_list(demo_world):
    with pytest.raises(NotFound):
        transit.work_list(Party.company(HOLDER), transit.DEPARTURE)
    with pytest.raises(NotFound):
        transit.work_counts(Party.company(HOLDER))


def test_the_longest_waiting_comes_first_and_pages_hold_the_rest(demo_world, fixed_clock):
    first = declare(standard=True)
    fixed_clock.advance(minutes=5)
    second = declare(standard=True)
    page = transit.work_list(AT_PADBORG, transit.DEPARTURE, page=1, page_size=1)
    assert [i.mrn for i in page.items] == [first] and page.total == 2 and page.has_more
    page = transit.work_list(AT_PADBORG, transit.DEPARTURE, page=2, page_size=1)
    assert [i.mrn for i in page.items] == [second] and not page.has_more


def _fill(count: int) -> None:
    """`count` movements in every state, spread over 40 offices of departure and of destination."""
    every_state = sorted(states.BEFORE_RELEASE | states.UNDER_WAY | states.FINAL)
    offices = [f"DK{n:06d}" for n in range(40)]
    now = clock.now()
    rows = [{"holder_eori": HOLDER, "lrn": f"WORK{n:012d}", "mrn": f"26DK{n:014d}",
             "state": every_state[n % len(every_state)],
             "declaration_type": "T1", "office_of_departure": offices[n % 40],
             "office_of_destination": offices[(n * 7) % 40], "simplified": False, "fallback": False,
             "declaration": "{}", "submitted_at": now, "updated_at": now - timedelta(seconds=n)} for n in range(count)]
    with db.transaction() as conn:
        conn.execute(insert(store.movements), rows)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE transit_movements"))


def _fastest(call, times: int = 5) -> float:
    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best


def test_the_work_list_answers_under_100_ms_with_10000_movements(demo_world):
    _fill(10_000)
    officer = Party(kind="officer", name="Officer", office="DK000003")
    page = transit.work_list(officer, transit.DEPARTURE)
    assert page.total > 0 and all(i.office_of_departure == "DK000003" and i.state in states.WAITING_AT_DEPARTURE
                                  for i in page.items)
    for kind in (transit.DEPARTURE, transit.DESTINATION):
        assert _fastest(lambda: transit.work_list(officer, kind)) < 0.1
    assert _fastest(lambda: transit.work_counts(officer)) < 0.1
    assert _fastest(lambda: transit.work_list(NATIONAL, transit.DEPARTURE)) < 0.1


def test_the_office_opens_a_movement_with_the_decisions_its_state_allows(demo_world):
    mrn = declare(standard=True)
    view = transit.office_view(AT_PADBORG, mrn)
    assert view.movement["state"] == states.AWAITING_RELEASE
    assert [e["event"] for e in view.events] == ["declared", "guarantee_accepted"]
    assert [m.message_type for m in view.messages] == ["CC015C", "CC928C", "CC028C"]
    assert view.decisions == ["movement.control", "movement.release", "movement.request_amendment",
                              "movement.refuse_release", "movement.invalidate"]
    assert transit.office_view(AT_HAMBURG, mrn).decisions == []  # destination decides nothing before arrival
    transit.decide_control(AT_PADBORG, mrn, ["A"])
    assert "movement.control" not in transit.office_view(AT_PADBORG, mrn).decisions
    with pytest.raises(NotFound):
        transit.office_view(ELSEWHERE, mrn)
