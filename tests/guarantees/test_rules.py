"""Pure GMS rules (seed 003 box 52, "Sikkerhedsstillelse i NCTS"): no database."""

from datetime import datetime, timezone
from decimal import Decimal

from toldsystem.core.identifiers import is_valid_grn
from toldsystem.guarantees import rules
from toldsystem.guarantees.rules import Guarantee
from toldsystem.reference import service as reference

KEY = b"k" * 32


def _guarantee(type_="1", reference="1000", open_="0", uses=0, status=rules.REGISTERED, currency="EUR"):
    return Guarantee("26DK0098600000017", type_, "DK13585628", "DK009860", Decimal(reference), currency, status,
                     frozenset(), Decimal(open_), uses, None, datetime.now(timezone.utc))


# The lists as the bundled reference data gives them, so that these tests read the official codes.
SNAPSHOT = reference.bundled_snapshot()
TYPES = {code: SNAPSHOT.entry(rules.GUARANTEE_TYPE_LIST, code) for code in SNAPSHOT.code_lists["CL251"]}
WITH_GRN = SNAPSHOT.code_lists["CL286"]


def test_gms_registers_exactly_the_types_of_cl286_and_every_one_is_a_type_of_cl251():
    assert rules.HELD_IN_GMS == WITH_GRN == {"0", "1", "2", "4", "9"}
    assert rules.HELD_IN_GMS <= set(TYPES)
    assert rules.COMPREHENSIVE_TYPES == {"0", "1"} and rules.INDIVIDUAL_DOCUMENT_TYPES == {"2", "9"}
    assert rules.SINGLE_USE_TYPES == {"2", "4"} and rules.BALANCE_TYPES == {"0", "1", "9"}


def test_requires_grn_asks_cl286_and_without_it_the_types_gms_holds():
    for code in TYPES:
        assert rules.requires_grn(code, WITH_GRN) == (code in WITH_GRN) == rules.requires_grn(code)
    assert rules.requires_grn("A", {"A"}) and not rules.requires_grn("1", {"A"})  # the list given decides
    assert not rules.requires_grn(None, WITH_GRN) and not rules.requires_grn("", WITH_GRN)


def test_every_phase_5_type_without_a_grn_is_refused_by_gms_naming_it():
    never_in_gms = set(TYPES) - WITH_GRN
    assert {"3", "5", "8", "A", "B", "J", "R"} <= never_in_gms
    for code in never_in_gms:
        found = rules.check_type_held_in_gms(code, TYPES, WITH_GRN)
        assert found.code == "guarantee.type_not_in_gms" and found.pointer == "guarantee/guaranteeType"
        assert f"type {code} (" in found.en and TYPES[code].en[:20] in found.en and "C0086" in found.en
        assert TYPES[code].da[:20] in found.da
    tir = rules.check_type_held_in_gms("B", TYPES, WITH_GRN)
    assert "TIR" in tir.en and "no GRN" in tir.en


def test_a_code_outside_cl251_is_unknown_and_the_answer_lists_the_phase_5_types():
    for code in ("6", "7", "Z", "", "10"):  # 6 was phase 4's "waiver (article 95)"; CL251 has it no more
        found = rules.check_type_held_in_gms(code, TYPES, WITH_GRN)
        assert found.code == "guarantee.type_unknown" and "CL251" in found.en
        assert all(t in found.en for t in ("0", "9", "A", "B", "J", "R"))


def test_a_type_of_cl286_that_gms_has_no_procedure_for_is_not_supported():
    found = rules.check_type_held_in_gms("X", {**TYPES, "X": TYPES["1"]}, WITH_GRN | {"X"})
    assert found.code == "guarantee.type_not_supported"


def test_each_type_gms_holds_is_registered_by_its_own_procedure():
    for procedure, types in ((rules.COMPREHENSIVE, "01"), (rules.INDIVIDUAL_DOCUMENT, "29"), (rules.VOUCHERS, "4")):
        for code in sorted(rules.HELD_IN_GMS):
            found = rules.check_registered_as(code, procedure, TYPES, WITH_GRN)
            assert (found is None) == (code in types), (procedure, code)
    wrong = rules.check_registered_as("4", rules.COMPREHENSIVE, TYPES, WITH_GRN)
    assert wrong.code == "guarantee.not_comprehensive" and "vouchers" in wrong.en and "types 0, 1" in wrong.en
    assert rules.check_registered_as("1", rules.INDIVIDUAL_DOCUMENT, TYPES, WITH_GRN).code == "guarantee.not_individual"
    assert rules.check_registered_as("B", rules.COMPREHENSIVE, TYPES, WITH_GRN).code == "guarantee.type_not_in_gms"


def test_the_declared_type_must_be_the_grns_own_type():
    assert rules.check_declared_type(None, "1", TYPES) is None and rules.check_declared_type("1", "1", TYPES) is None
    found = rules.check_declared_type("0", "1", TYPES)
    assert found.code == "guarantee.type_mismatch" and "type 1 (Comprehensive guarantee)" in found.en
    assert rules.invalid_guarantee_reason(found.code) == "G13"


def test_a_balance_is_told_for_types_0_1_and_9_only():
    for code in "019":
        assert rules.check_balance_available(code, TYPES) is None
    for code in "24":
        assert rules.check_balance_available(code, TYPES).code == "guarantee.balance_not_available"


def test_refusals_carry_their_cl252_reason():
    reasons = SNAPSHOT.code_lists["CL252"]
    assert set(rules.INVALID_GUARANTEE_REASONS.values()) | {rules.OTHER_INVALID_GUARANTEE_REASON} <= reasons
    assert rules.invalid_guarantee_reason("guarantee.not_covered") == "G09"
    assert rules.invalid_guarantee_reason("guarantee.voucher_already_used") == "G05"
    assert rules.invalid_guarantee_reason("guarantee.document_already_used") == "G10"
    assert rules.invalid_guarantee_reason("guarantee.not_valid_in_country") == "G08"
    assert rules.invalid_guarantee_reason("guarantee.not_valid") == "G01"  # one answer for GRN, holder and code
    assert rules.invalid_guarantee_reason("something.else") == "G02"


def test_grn_has_17_characters_made_from_office_digits_and_serial():
    grn = rules.new_grn(2026, "DK009860", 17)
    assert len(grn) == 17 and is_valid_grn(grn)
    assert grn.startswith("26DK009860") and grn[10:16] == "00000H"
    assert rules.new_grn(2026, "DK009860", 18) != grn


def test_voucher_grn_has_24_characters():
    grns = rules.voucher_grns(rules.new_grn(2026, "DK009860", 1), 3)
    assert [len(g) for g in grns] == [24, 24, 24] and len(set(grns)) == 3
    assert all(is_valid_grn(g) for g in grns)


def test_grn_format_is_checked():
    assert rules.check_grn_format(rules.new_grn(2026, "DK009860", 5)) is None
    bad = rules.new_grn(2026, "DK009860", 5)[:-1] + "X"
    for wrong in (bad, "", "26DK00986000000", "26dk0098600000017"):
        assert rules.check_grn_format(wrong).pointer == "guarantee/GRN"


def test_access_code_is_4_letters_or_digits():
    assert rules.check_access_code_format("AB12") is None and rules.check_access_code_format("ab12") is None
    for wrong in ("AB1", "AB123", "AB-1", "", None, "ÆØÅ1"):
        assert rules.check_access_code_format(wrong).pointer == "guarantee/accessCode"
    code = rules.new_access_code()
    assert len(code) == 4 and code.isalnum() and code == code.upper()


def test_access_code_is_labelled_with_the_authorised_person():
    assert rules.check_access_code_label("Mette Jensen") is None
    assert rules.check_access_code_label("  ").code == "guarantee.access_code_label"


def test_access_code_digest_is_keyed_and_bound_to_the_grn():
    one = rules.access_code_digest(KEY, "26DK0098600000017", "AB12")
    assert one == rules.access_code_digest(KEY, "26DK0098600000017", "ab12")
    assert one != rules.access_code_digest(b"other-key", "26DK0098600000017", "AB12")
    assert one != rules.access_code_digest(KEY, "26DK0098600000026", "AB12")
    assert "AB12" not in one and len(one) == 64


def test_access_code_matches_only_an_active_digest():
    digest = rules.access_code_digest(KEY, "G", "AB12")
    assert rules.access_code_matches(KEY, "G", "AB12", ["x" * 64, digest])
    assert not rules.access_code_matches(KEY, "G", "AB13", [digest])
    assert not rules.access_code_matches(KEY, "G", "AB12", [])


def test_validity_limitations_are_only_ch_no_is_an_sm_hr():
    assert rules.check_limitation_countries(["CH", "NO", "IS", "AN", "SM", "HR"]) is None
    assert rules.check_limitation_countries(["DE"]).code == "guarantee.limitation_country"


def test_guarantee_must_be_valid_in_every_country_of_the_route():
    assert rules.check_valid_in_route({"CH"}, ["DK", "DE", "IT"]) is None
    found = rules.check_valid_in_route({"CH", "NO"}, ["DK", "DE", "CH", "IT"])
    assert found.code == "guarantee.not_valid_in_country" and "CH" in found.en and "NO" not in found.en


def test_only_registered_guarantees_are_usable():
    assert rules.check_usable(rules.REGISTERED, "1") is None
    assert rules.check_usable(rules.PENDING, "4").code == "guarantee.voucher_not_registered"
    assert rules.check_usable(rules.PENDING, "2").code == "guarantee.not_approved"
    assert rules.check_usable(rules.REVOKED, "1").code == "guarantee.revoked"


def test_comprehensive_guarantee_covers_open_amounts_plus_this_up_to_the_reference_amount():
    g = _guarantee(reference="1000", open_="600")
    assert rules.check_covers(g, Decimal("400")) is None
    found = rules.check_covers(g, Decimal("400.01"))
    assert found.code == "guarantee.not_covered" and found.pointer == "guarantee/amountToBeCovered"


def test_individual_guarantee_by_guarantor_covers_its_amount_once():
    assert rules.check_covers(_guarantee("2", "5000"), Decimal("5000")) is None
    assert rules.check_covers(_guarantee("2", "5000"), Decimal("5000.01")).code == "guarantee.not_covered"
    assert rules.check_covers(_guarantee("2", "5000", uses=1), Decimal("1")).code == "guarantee.document_already_used"
    assert rules.available_amount(_guarantee("2", "5000", uses=1)) == 0


def test_individual_guarantee_with_multiple_usage_covers_several_movements_within_its_amount():
    used = _guarantee("9", "5000", open_="3000", uses=2)
    assert rules.available_amount(used) == Decimal("2000")
    assert rules.check_covers(used, Decimal("2000")) is None
    assert rules.check_covers(used, Decimal("2000.01")).code == "guarantee.not_covered"


def test_voucher_covers_at_most_7000_eur_once():
    voucher = _guarantee("4", str(rules.VOUCHER_AMOUNT))
    assert rules.check_covers(voucher, Decimal("7000")) is None
    assert rules.check_covers(voucher, Decimal("7000.01")).code == "guarantee.not_covered"
    used = _guarantee("4", str(rules.VOUCHER_AMOUNT), open_="0", uses=1)
    assert rules.check_covers(used, Decimal("1")).code == "guarantee.voucher_already_used"


def test_reference_amount_must_be_positive():
    assert rules.check_reference_amount(Decimal("1")) is None
    assert rules.check_reference_amount(Decimal("0")).code == "amount.not_positive"


def test_currency_must_be_in_the_reference_list():
    assert rules.check_currency_known("DKK", {"DKK": Decimal("7.46")}) is None
    assert rules.check_currency_known("XXX", {"DKK": Decimal("7.46")}).pointer == "guarantee/currency"


def test_voucher_batch_holds_1_to_1000():
    assert rules.check_voucher_count(1) is None and rules.check_voucher_count(1000) is None
    assert rules.check_voucher_count(0).code == "voucher.count"
    assert rules.check_voucher_count(1001).code == "voucher.count"


def test_movement_reference_is_required():
    assert rules.check_movement_ref("26DK009860000001J1") is None
    assert rules.check_movement_ref("").pointer == "movementReference"
    assert rules.check_movement_ref("x" * 41).code == "movement.reference"


def test_ledger_entries_move_the_open_amount():
    assert rules.ledger_delta(rules.RESERVE, Decimal("5")) == 5
    assert rules.ledger_delta(rules.FREE, Decimal("5")) == -5
    assert rules.ledger_delta(rules.DISCHARGE, Decimal("5")) == -5
    assert rules.ledger_delta(rules.ADJUST, Decimal("-2")) == -2


def test_unknown_grn_wrong_holder_and_wrong_code_share_one_problem():
    assert rules.guarantee_not_valid_problem() == rules.guarantee_not_valid_problem()
