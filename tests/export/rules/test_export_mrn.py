"""The export MRN: its procedure letter (EU MRN structure) and transit's layout and check digit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.core.errors import Problem
from toldsystem.core.identifiers import check_character, has_valid_check_character, make_mrn
from toldsystem.export.rules import export_mrn, export_mrn_procedure_letter, is_export_mrn

KEY = b"export-test-key-16"


@pytest.mark.parametrize(("category", "security", "letter"), [
    ("B1", "0", "A"), ("B1", None, "A"), ("B1", "1", "B"), ("B2", "0", "A"), ("B3", "1", "B"), ("C1", "0", "A"),
    ("C1", "1", "B"), ("B4", "0", "E"), ("B4", "1", "E")])
def test_the_procedure_letter(category, security, letter):
    assert export_mrn_procedure_letter(category, security) == letter


def test_an_import_declaration_has_no_export_letter():
    found = export_mrn_procedure_letter("H1", "0")
    assert isinstance(found, Problem) and found.code == "export.mrn.not_export"


def test_an_unknown_security_indicator_is_refused():
    found = export_mrn_procedure_letter("B1", "3")
    assert isinstance(found, Problem) and found.pointer == "/Declaration/SecurityCode"


def test_an_export_mrn_has_the_layout_the_letter_and_a_check_digit():
    mrn = export_mrn("DK003102", 2026, 41, KEY, "B")
    assert len(mrn) == 18 and mrn.startswith("26DK003102") and mrn[16] == "B"
    assert has_valid_check_character(mrn) and is_export_mrn(mrn)


def test_a_transit_mrn_is_not_an_export_mrn():
    mrn = export_mrn("DK003102", 2026, 41, KEY, "A")
    transit = mrn[:16] + "J"
    from toldsystem.core.identifiers import check_character
    assert not is_export_mrn(transit + check_character(transit))


def test_a_wrong_check_digit_is_not_an_export_mrn():
    mrn = export_mrn("DK003102", 2026, 7, KEY, "A")
    assert not is_export_mrn(mrn[:-1] + str((int(mrn[-1]) + 1) % 10))


def test_a_letter_that_is_not_export_is_refused():
    with pytest.raises(ValueError):
        export_mrn("DK003102", 2026, 1, KEY, "J")


@given(st.lists(st.integers(min_value=0, max_value=36**6 - 1), min_size=2, max_size=30, unique=True))
def test_distinct_counts_give_distinct_valid_mrns(counts):
    mrns = [export_mrn("DK003102", 2026, count, KEY, "A") for count in counts]
    assert len(set(mrns)) == len(mrns) and all(is_export_mrn(m) for m in mrns)


@given(st.integers(min_value=0, max_value=36**6 - 1), st.sampled_from("ABCDE"))
def test_the_export_mrn_is_core_make_mrn_with_the_export_letter(count, letter):
    # what the export MRN was before core took export letters: transit's layout, the letter swapped in, the check
    # digit recomputed over it
    mrn = export_mrn("DK003102", 2026, count, KEY, letter)
    transit = make_mrn(2026, "DK", "003102", int(mrn[10:16], 36), "J")
    assert mrn == transit[:16] + letter + check_character(transit[:16] + letter)


def test_a_known_export_mrn_stays_the_same():
    assert export_mrn("DK003102", 2026, 41, KEY, "B") == "26DK003102DZQSTRB3"
    assert export_mrn("DK003102", 2026, 99999, KEY, "E") == "26DK003102QB7LI1E7"


def test_an_import_mrn_is_not_an_export_mrn():
    assert not is_export_mrn(make_mrn(2026, "DK", "003102", 41, "R"))
