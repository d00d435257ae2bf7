"""The recovery order once a system is back (seed 002 "Import" and "Eksport")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from toldsystem.fallback.rules.recovery import (EXPORT_SYSTEM, IMPORT_SYSTEM, MANIFEST_SYSTEM, Filing, RecoveryItem,
                                                recovery_plan, recovery_verdict)

ALL_UP = {IMPORT_SYSTEM, EXPORT_SYSTEM, MANIFEST_SYSTEM}
A, B = "DK13585628", "DK12345674"


def test_a_manifest_arrival_waits_for_the_companys_missing_express_clearances() -> None:
    clearance = RecoveryItem(Filing.EXPRESS_CLEARANCE, "LRN-1", A)
    arrival = RecoveryItem(Filing.MANIFEST_ARRIVAL, "ARR-1", A)
    held = recovery_verdict(arrival, [clearance, arrival], ALL_UP)
    assert not held.may_file_now and held.waits_for == ("LRN-1",)
    assert "file the missing express clearances first (LRN-1)" in held.en and "ekspresfortoldninger" in held.da
    assert recovery_verdict(arrival, [arrival], ALL_UP).may_file_now
    assert recovery_verdict(clearance, [clearance, arrival], ALL_UP).may_file_now


def test_another_companys_clearances_do_not_hold_an_arrival() -> None:
    arrival = RecoveryItem(Filing.MANIFEST_ARRIVAL, "ARR-1", A)
    assert recovery_verdict(arrival, [RecoveryItem(Filing.EXPRESS_CLEARANCE, "LRN-9", B)], ALL_UP).may_file_now


def test_a_manifest_departure_waits_for_the_arrival_notifications() -> None:
    notification = RecoveryItem(Filing.ARRIVAL_NOTIFICATION, "26DK0000000000001E", A)
    departure = RecoveryItem(Filing.MANIFEST_DEPARTURE, "DEP-1", A)
    held = recovery_verdict(departure, [notification], ALL_UP)
    assert not held.may_file_now and "arrival notifications first" in held.en
    assert recovery_verdict(departure, [], ALL_UP).may_file_now
    # An express clearance does not hold a departure.
    assert recovery_verdict(departure, [RecoveryItem(Filing.EXPRESS_CLEARANCE, "LRN-1", A)], ALL_UP).may_file_now


def test_a_filing_waits_for_its_systems_to_be_back() -> None:
    arrival = RecoveryItem(Filing.MANIFEST_ARRIVAL, "ARR-1", A)
    held = recovery_verdict(arrival, [], {IMPORT_SYSTEM})
    assert held.waits_for == (MANIFEST_SYSTEM,) and "manifest is not back" in held.en
    assert not recovery_verdict(RecoveryItem(Filing.EXPRESS_CLEARANCE, "L", A), [], {MANIFEST_SYSTEM}).may_file_now


def test_the_plan_files_clearances_and_notifications_now_and_holds_the_manifest_filings() -> None:
    pending = [RecoveryItem(Filing.MANIFEST_DEPARTURE, "DEP-1", A), RecoveryItem(Filing.MANIFEST_ARRIVAL, "ARR-1", A),
               RecoveryItem(Filing.EXPRESS_CLEARANCE, "LRN-2", A), RecoveryItem(Filing.ARRIVAL_NOTIFICATION, "N-1", A),
               RecoveryItem(Filing.MANIFEST_ARRIVAL, "ARR-2", B)]
    plan = recovery_plan(pending, ALL_UP)
    assert [i.reference for i in plan.now] == ["LRN-2", "ARR-2", "N-1"]
    assert [(v.item.reference, v.waits_for) for v in plan.held] == [("ARR-1", ("LRN-2",)), ("DEP-1", ("N-1",))]


def test_a_long_wait_list_is_shortened_in_the_message_but_kept_whole() -> None:
    pending = [RecoveryItem(Filing.EXPRESS_CLEARANCE, f"LRN-{n:02d}", A) for n in range(8)]
    held = recovery_verdict(RecoveryItem(Filing.MANIFEST_ARRIVAL, "ARR", A), pending, ALL_UP)
    assert len(held.waits_for) == 8 and "and 3 more" in held.en and "og 3 flere" in held.da


@given(st.lists(st.tuples(st.sampled_from(list(Filing)), st.sampled_from([A, B])), max_size=30))
def test_filing_the_plan_round_by_round_keeps_the_order_and_loses_nothing(drawn) -> None:
    pending = [RecoveryItem(f, f"R{n}", c) for n, (f, c) in enumerate(drawn)]
    filed: list[RecoveryItem] = []
    for _ in range(3):
        plan = recovery_plan(pending, ALL_UP)
        for item in plan.now:
            for earlier in pending:  # nothing it must follow is still pending when it is filed
                assert not (earlier.company == item.company and
                            (item.filing, earlier.filing) in {(Filing.MANIFEST_ARRIVAL, Filing.EXPRESS_CLEARANCE),
                                                              (Filing.MANIFEST_DEPARTURE, Filing.ARRIVAL_NOTIFICATION)})
        filed.extend(plan.now)
        pending = [v.item for v in plan.held]
    assert pending == [] and sorted(i.reference for i in filed) == sorted(f"R{n}" for n in range(len(drawn)))


def test_a_plan_of_ten_thousand_filings_is_quick_and_holds_each_arrival_behind_its_clearances() -> None:
    import time

    pending = [RecoveryItem(Filing.EXPRESS_CLEARANCE, f"LRN-{n:05d}", A) for n in range(5000)]
    pending += [RecoveryItem(Filing.MANIFEST_ARRIVAL, f"ARR-{n:05d}", A) for n in range(5000)]
    began = time.perf_counter()
    plan = recovery_plan(pending, ALL_UP)
    assert time.perf_counter() - began < 5
    assert len(plan.now) == 5000 and len(plan.held) == 5000
    assert all(len(v.waits_for) == 5000 for v in plan.held)
