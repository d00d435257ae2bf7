"""Pure GMS rules (seed 003 box 52, "Sikkerhedsstillelse i NCTS"): no database."""

from datetime import datetime, timezone
from decimal import Decimal

from toldsystem.core.identifiers import is_valid_grn
from toldsystem.guarantees import rules
from toldsystem.guarantees.rules import Guarantee

KEY = b"k" * 32


def _guarantee(type_="1", reference="1000", open_="0", uses=0, status=rules.REGISTERED, currency="EUR"):
    return Guarantee("26DK0098600000017", type_, "DK13585628", "DK009860", Decimal(reference), currency, status,
                     frozenset(), Decimal(open_), uses, None, datetime.now(timezone.utc))


def test_guarantee_types_are_those_of_box_52():
    for t in "012345689":
        assert rules.check_guarantee_type(t) is None
    for t in ("7", "A", "", "10"):
        assert rules.check_guarantee_type(t).code == "guarantee.type"


def test_grn_is_required_for_types_0_1_2_4_and_9():
    for t in "01249":
        assert rules.requires_grn(t)
        assert rules.check_grn_given_when_required(t, []).code == "guarantee.grn_required"
        assert rules.check_grn_given_when_required(t, ["26DK0098600000017"]) is None
    for t in "3568":
        assert not rules.requires_grn(t)
        assert rules.check_grn_given_when_required(t, []) is None


def test_cash_deposit_has_no_grn_and_no_access_code():
    assert rules.check_grn_given_when_required("3", ["26DK0098600000017"]).code == "guarantee.grn_not_allowed"
    assert rules.check_cash_deposit_has_no_access_code("3", "AB12").pointer == "guarantee/accessCode"
    assert rules.check_cash_deposit_has_no_access_code("3", None) is None
    assert rules.check_cash_deposit_has_no_access_code("1", "AB12") is None


def test_only_vouchers_may_state_several_grns():
    two = ["26DK0098600000017V000001", "26DK0098600000017V000002"]
    assert rules.check_grn_given_when_required("4", two) is None
    assert rules.check_grn_given_when_required("1", two).code == "guarantee.one_grn"


def test_authorised_consignor_may_only_use_guarantee_type_0_or_1():
    assert rules.check_authorised_consignor_guarantee_type("0", True) is None
    assert rules.check_authorised_consignor_guarantee_type("1", True) is None
    for t in "2345689":
        found = rules.check_authorised_consignor_guarantee_type(t, True)
        assert found.code == "guarantee.authorised_consignor_type" and found.pointer == "guarantee/guaranteeType"
        assert rules.check_authorised_consignor_guarantee_type(t, False) is None


def test_comprehensive_guarantee_is_type_1_or_waiver_0():
    assert rules.check_comprehensive_type("1") is None and rules.check_comprehensive_type("0") is None
    assert rules.check_comprehensive_type("2").code == "guarantee.not_comprehensive"


def test_individual_guarantee_document_is_type_2_or_9():
    assert rules.check_individual_document_type("2") is None and rules.check_individual_document_type("9") is None
    assert rules.check_individual_document_type("4").code == "guarantee.not_individual"


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


def test_individual_guarantee_covers_its_amount_once():
    assert rules.check_covers(_guarantee("2", "5000"), Decimal("5000")) is None
    assert rules.check_covers(_guarantee("2", "5000"), Decimal("5000.01")).code == "guarantee.not_covered"
    assert rules.check_covers(_guarantee("2", "5000", uses=1), Decimal("1")).code == "guarantee.already_used"
    assert rules.available_amount(_guarantee("9", "5000", uses=1)) == 0


def test_voucher_covers_at_most_7000_eur():
    voucher = _guarantee("4", str(rules.VOUCHER_AMOUNT))
    assert rules.check_covers(voucher, Decimal("7000")) is None
    assert rules.check_covers(voucher, Decimal("7000.01")).code == "guarantee.not_covered"


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
