"""Identifiers and check digits (seed 003 box 00 and 52; seed 000)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.core.identifiers import (
    EXPORT_PROCEDURE_LETTERS,
    IMPORT_PROCEDURE_LETTERS,
    MRN_PATTERN,
    PROCEDURE_LETTERS,
    TRANSIT_PROCEDURE_LETTERS,
    check_character,
    eori_problem,
    has_valid_check_character,
    is_valid_cvr,
    is_valid_grn,
    is_valid_lrn,
    is_valid_mrn,
    make_grn,
    make_mrn,
    make_voucher_grn,
)


def test_check_character_follows_iso_6346():
    # The standard's own worked example: container CSQU 305438 has check digit 3.
    assert check_character("CSQU305438") == "3"


def test_check_character_skips_multiples_of_eleven_for_letters():
    # A=10, B=12 (11 skipped), so "B" weighs 12 at position 0.
    assert check_character("B") == str(12 % 11 % 10)
    assert check_character("A") == "0"  # 10 mod 11 = 10, mod 10 = 0


def test_mrn_has_seed_structure_and_phase5_check_digit():
    mrn = make_mrn(2026, "DK", "009761", 1234)
    assert len(mrn) == 18
    assert mrn[:2] == "26" and mrn[2:4] == "DK" and mrn[4:10] == "009761"
    assert mrn[16] == "J"
    assert is_valid_mrn(mrn)


def test_mrn_with_wrong_check_digit_is_invalid():
    mrn = make_mrn(2026, "DK", "009264", 7)
    wrong = mrn[:-1] + str((int(mrn[-1]) + 1) % 10)
    assert not is_valid_mrn(wrong)


@pytest.mark.parametrize("letter", ["F", "G", "H", "I", "N", "O", "Q", "Y", "Z", "j", "", "JK"])
def test_mrn_procedure_letter_must_be_one_of_the_eu_table(letter):
    with pytest.raises(ValueError):
        make_mrn(2026, "DK", "009264", 1, procedure=letter)


def test_the_eu_mrn_letters_per_system():
    assert set(TRANSIT_PROCEDURE_LETTERS) == set("JKLM")
    assert set(EXPORT_PROCEDURE_LETTERS) == set("ABCDE")
    assert {"R", "S", "T", "U"} <= set(IMPORT_PROCEDURE_LETTERS)
    assert set(PROCEDURE_LETTERS) == {*TRANSIT_PROCEDURE_LETTERS, *EXPORT_PROCEDURE_LETTERS, *IMPORT_PROCEDURE_LETTERS,
                                      "P"}
    assert all(PROCEDURE_LETTERS.values())  # every letter is named


def test_the_transit_mrn_is_unchanged():
    # transit's default letter, layout and check digit as before the export and import letters were added
    assert make_mrn(2026, "DK", "009761", 1234) == make_mrn(2026, "DK", "009761", 1234, "J")
    body = "26DK009761" + "0000YA" + "J"
    assert make_mrn(2026, "DK", "009761", 1234) == body + check_character(body)


@pytest.mark.parametrize("letter", ["A", "B", "E", "R", "U"])
def test_export_and_import_mrns_are_mrns(letter):
    mrn = make_mrn(2026, "DK", "003102", 41, letter)
    assert mrn[16] == letter and is_valid_mrn(mrn)


@pytest.mark.parametrize("letter", ["F", "N", "Z"])
def test_an_mrn_with_a_letter_outside_the_table_is_invalid(letter):
    body = "26DK003102000015" + letter
    assert not MRN_PATTERN.fullmatch(body + check_character(body))
    assert not is_valid_mrn(body + check_character(body))


def test_grn_is_17_characters_with_check_digit():
    grn = make_grn(2026, "DK", "009860000001")
    assert len(grn) == 17 and is_valid_grn(grn)
    assert not is_valid_grn(grn[:-1] + ("0" if grn[-1] != "0" else "1"))


def test_voucher_grn_is_24_characters():
    voucher = make_voucher_grn(make_grn(2026, "DK", "009860000001"), 42)
    assert len(voucher) == 24 and is_valid_grn(voucher)


def test_lrn_is_at_most_22_characters():
    assert is_valid_lrn("13585628" + "20261123" + "000001")
    assert not is_valid_lrn("X" * 23)
    assert not is_valid_lrn("")


def test_danish_eori_needs_valid_cvr_check_digit():
    assert eori_problem("DK13585628") is None
    assert eori_problem("DK13585627") is not None
    assert is_valid_cvr("13585628") and not is_valid_cvr("1358562")


def test_foreign_eori_is_country_code_and_up_to_15_characters():
    assert eori_problem("DE123456789012345") is None
    assert eori_problem("DE1234567890123456") is not None
    assert eori_problem("123") is not None


@given(st.integers(min_value=0, max_value=36**6 - 1), st.sampled_from(sorted(PROCEDURE_LETTERS)))
def test_every_allocated_mrn_validates(serial, letter):
    assert is_valid_mrn(make_mrn(2026, "DK", "009264", serial, letter))


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=30))
def test_identifier_with_its_check_character_appended_validates(body):
    full = body + check_character(body)
    assert has_valid_check_character(full)
