"""The separate numbering series of NCTS box C and export box A (seed 002; rules in numbering.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.core.identifiers import MRN_PATTERN
from toldsystem.fallback.rules.numbering import (SERIES_MAX, SeriesExhausted, SeriesKind, SeriesState, issue,
                                                 issued_in_order, number_problem, open_series, read_number)

AT = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)
OFFICE = "DK003102"


def test_the_first_numbers_of_a_series_ascend_from_one() -> None:
    state = open_series(SeriesKind.NCTS_BOX_C, OFFICE, AT)
    first, state = issue(state, AT)
    second, state = issue(state, AT)
    assert (first, second, state.last) == ("DK003102-NPT-26-000001", "DK003102-NPT-26-000002", 2)
    assert issued_in_order([first, second])
    assert not issued_in_order([second, first]) and not issued_in_order([first, first])


def test_a_new_danish_year_restarts_the_series_at_one() -> None:
    state = SeriesState(SeriesKind.EXPORT_BOX_A, OFFICE, 2026, last=41)
    # 23:30 UTC on 31 December is already 1 January in Copenhagen.
    number, state = issue(state, datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert (number, state.year, state.last) == ("DK003102-NPE-27-000001", 2027, 1)
    with pytest.raises(ValueError):
        issue(state, AT)


def test_the_series_is_exhausted_past_its_last_number() -> None:
    number, state = issue(SeriesState(SeriesKind.NCTS_BOX_C, OFFICE, 2026, SERIES_MAX - 1), AT)
    assert number.endswith("-999999")
    with pytest.raises(SeriesExhausted):
        issue(state, AT)


def test_a_series_needs_a_customs_office() -> None:
    with pytest.raises(ValueError):
        open_series(SeriesKind.NCTS_BOX_C, "Aarhus", AT)


@given(st.sampled_from(list(SeriesKind)), st.integers(1, SERIES_MAX), st.integers(2000, 2099))
def test_a_number_reads_back_and_is_never_an_mrn(kind: SeriesKind, sequence: int, year: int) -> None:
    number, _ = issue(SeriesState(kind, OFFICE, year, sequence - 1), datetime(year, 6, 1, tzinfo=timezone.utc))
    read = read_number(number)
    assert (read.kind, read.office, read.year, read.sequence) == (kind, OFFICE, year % 100, sequence)
    assert not MRN_PATTERN.fullmatch(number)
    assert number_problem(number, kind, "/boxC") is None


@pytest.mark.parametrize("text", ["", "26DK00310200000001J5", "DK003102-NPT-26-000000", "DK003102-NPX-26-000001",
                                  "DK003102-NPT-26-1"])
def test_anything_else_is_not_a_series_number(text: str) -> None:
    assert number_problem(text, SeriesKind.NCTS_BOX_C, "/boxC").code == "fallback.series_number"


def test_a_number_of_the_other_kind_is_refused() -> None:
    assert number_problem("DK003102-NPE-26-000001", SeriesKind.NCTS_BOX_C, "/boxC") is not None
