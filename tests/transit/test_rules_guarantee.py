"""Guarantee, authorised consignor and time-limit rules (box 52 and D; R0900, C0085, C0086, C0130, C0839)."""

from __future__ import annotations

from datetime import timedelta

from tests.transit.test_declaration import GRN, TODAY, declaration, problems, rule_context, valid_declaration_data
from toldsystem.core.identifiers import make_grn, make_voucher_grn
from toldsystem.transit.rules import guarantee, simplified

REFERENCE = "/CC015C/Guarantee[1]/GuaranteeReference[1]"


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


def _guarantee(data: dict) -> dict:
    return data["Guarantee"][0]


def _without_grn(data: dict) -> dict:
    reference = _guarantee(data)["GuaranteeReference"][0]
    del reference["GRN"], reference["accessCode"]
    return data


def _as_authorised_consignor(limit_days: int | None = 3) -> dict:
    data = valid_declaration_data()
    data["Authorisation"] = [{"sequenceNumber": "1", "type": "C521", "referenceNumber": "DKACR1358562"}]
    if limit_days is not None:
        data["TransitOperation"]["limitDate"] = (TODAY + timedelta(days=limit_days)).isoformat()
    return data


# --- box 52 -------------------------------------------------------------------------------------

def test_guarantee_is_required():
    data = valid_declaration_data()
    del data["Guarantee"]
    assert _check(guarantee.guarantee_stated, data).code == "transit.guarantee.missing"


def test_cl251_guarantee_type_from_the_code_list():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "Z"
    assert [(p.code, p.pointer) for p in problems(data)] == [("transit.code_list.unknown",
                                                              "/CC015C/Guarantee[1]/guaranteeType")]


def test_r0900_tir_uses_guarantee_type_b_without_reference():
    data = valid_declaration_data()
    data["TransitOperation"].update(declarationType="TIR", TIRCarnetNumber="XB25123456")
    data["HolderOfTheTransitProcedure"]["TIRHolderIdentificationNumber"] = "DNK/123/45"
    assert [p.code for p in _check(guarantee.guarantee_type_fits_the_declaration_and_the_office_of_departure,
                                   data)] == ["transit.guarantee.type_for_tir"]
    data["Guarantee"] = [{"sequenceNumber": "1", "guaranteeType": "B"}]
    assert problems(data) == []


def test_r0900_guarantee_type_b_is_for_tir_only():
    data = valid_declaration_data()
    data["Guarantee"] = [{"sequenceNumber": "1", "guaranteeType": "B"}]
    assert [p.code for p in _check(guarantee.guarantee_type_fits_the_declaration_and_the_office_of_departure,
                                   data)] == ["transit.guarantee.type_for_office_of_departure"]


def test_c0086_grn_and_access_code_for_guarantee_types_0_1_2_4_9():
    for kind in ("0", "1", "2", "9"):
        data = valid_declaration_data()
        _guarantee(data)["guaranteeType"] = kind
        assert _check(guarantee.grn_and_access_code_for_types_with_a_grn, data) == [], kind
        del _guarantee(data)["GuaranteeReference"][0]["GRN"]
        found = _check(guarantee.grn_and_access_code_for_types_with_a_grn, data)
        assert [(p.code, p.pointer) for p in found] == [("transit.guarantee.grn_missing", f"{REFERENCE}/GRN")], kind


def test_c0086_access_code_goes_with_the_grn():
    data = valid_declaration_data()
    del _guarantee(data)["GuaranteeReference"][0]["accessCode"]
    assert [p.pointer for p in _check(guarantee.grn_and_access_code_for_types_with_a_grn, data)] == [
        f"{REFERENCE}/accessCode"]


def test_c0086_cash_deposit_has_no_grn_or_access_code():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "3"
    assert [p.code for p in _check(guarantee.grn_and_access_code_for_types_with_a_grn, data)] == [
        "transit.guarantee.grn_not_allowed", "transit.guarantee.access_code_not_allowed"]
    assert problems(_without_grn(data)) == []


def test_c0085_waiver_by_agreement_has_no_guarantee_reference():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "A"
    assert [p.code for p in _check(guarantee.guarantee_reference_for_types_with_a_reference, data)] == [
        "transit.guarantee.reference_not_allowed"]
    del _guarantee(data)["GuaranteeReference"]
    assert problems(data) == []


def test_c0085_comprehensive_guarantee_has_its_reference():
    data = valid_declaration_data()
    del _guarantee(data)["GuaranteeReference"]
    assert _check(guarantee.guarantee_reference_for_types_with_a_reference, data)[0].code == \
        "transit.guarantee.reference_missing"


def test_c0130_public_bodies_state_their_other_guarantee_reference():
    data = valid_declaration_data()
    del _guarantee(data)["GuaranteeReference"]  # C0085: type 8 is not in CL076, so it states no reference
    _guarantee(data)["guaranteeType"] = "8"
    assert [p.code for p in _check(guarantee.other_guarantee_reference_for_public_bodies_and_cash_only, data)] == [
        "transit.guarantee.other_reference_missing"]
    _guarantee(data)["otherGuaranteeReference"] = "Forsvarsministeriet 2025/17"
    assert problems(data) == []


def test_c0130_no_other_guarantee_reference_beside_a_grn():
    data = valid_declaration_data()
    _guarantee(data)["otherGuaranteeReference"] = "X"
    assert [p.code for p in _check(guarantee.other_guarantee_reference_for_public_bodies_and_cash_only, data)] == [
        "transit.guarantee.other_reference_not_allowed"]


def test_r0318_grn_must_carry_a_valid_check_digit():
    data = valid_declaration_data()
    _guarantee(data)["GuaranteeReference"][0]["GRN"] = GRN[:-1] + str((int(GRN[-1]) + 1) % 10)
    assert [p.code for p in _check(guarantee.grn_has_the_length_of_its_type_and_a_valid_check_digit, data)] == [
        "transit.guarantee.grn_malformed"]


def test_r0318_voucher_guarantee_names_several_24_character_grns():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "4"
    _guarantee(data)["GuaranteeReference"] = [
        {"sequenceNumber": str(n), "GRN": make_voucher_grn(GRN, n), "accessCode": "1234",
         "amountToBeCovered": "7000.00", "currency": "EUR"} for n in (1, 2)]
    assert problems(data) == []
    _guarantee(data)["GuaranteeReference"][1]["GRN"] = GRN
    assert [p.pointer for p in _check(guarantee.grn_has_the_length_of_its_type_and_a_valid_check_digit, data)] == [
        "/CC015C/Guarantee[1]/GuaranteeReference[2]/GRN"]


def test_a_comprehensive_guarantee_may_name_several_references():
    data = valid_declaration_data()
    second = dict(_guarantee(data)["GuaranteeReference"][0], sequenceNumber="2", GRN=make_grn(25, "DK", "000000000002"))
    _guarantee(data)["GuaranteeReference"].append(second)
    assert problems(data) == []


def test_seed_amount_and_currency_of_each_reference_are_stated():
    data = valid_declaration_data()
    reference = _guarantee(data)["GuaranteeReference"][0]
    del reference["amountToBeCovered"], reference["currency"]
    found = _check(guarantee.guarantee_amount_and_currency_stated, data)
    assert {p.pointer for p in found} == {f"{REFERENCE}/amountToBeCovered", f"{REFERENCE}/currency"}
    assert all("seed 003" in p.en for p in found)


def test_amounts_have_at_most_two_decimals_but_trailing_zeros_are_fine():
    data = valid_declaration_data()
    _guarantee(data)["GuaranteeReference"][0]["amountToBeCovered"] = "1000.000000"
    assert _check(guarantee.guarantee_amount_and_currency_stated, data) == []
    _guarantee(data)["GuaranteeReference"][0]["amountToBeCovered"] = "1000.125"
    assert [p.code for p in _check(guarantee.guarantee_amount_and_currency_stated, data)] == [
        "transit.guarantee.amount_decimals"]


def test_cl048_currency_from_the_code_list():
    data = valid_declaration_data()
    _guarantee(data)["GuaranteeReference"][0]["currency"] = "EURO"
    assert [p.pointer for p in problems(data)] == [f"{REFERENCE}/currency"]


def test_seed_guarantee_type_5_waives_at_most_500_eur():
    data = _without_grn(valid_declaration_data())
    _guarantee(data)["guaranteeType"] = "5"
    _guarantee(data)["GuaranteeReference"][0].update(amountToBeCovered="500.00", currency="EUR")
    assert problems(data) == []
    _guarantee(data)["GuaranteeReference"][0].update(amountToBeCovered="3800.00", currency="DKK")  # 509 EUR
    found = _check(guarantee.small_amount_waiver_covers_at_most_500_eur, data)
    assert [(p.code, p.pointer) for p in found] == [("transit.guarantee.waiver_above_500_eur",
                                                     f"{REFERENCE}/amountToBeCovered")]
    assert "509.38 EUR" in found[0].en


# --- authorised consignor (boxes 52, D) ------------------------------------------------------------

def test_authorised_consignor_declaration_passes_every_rule():
    assert problems(_as_authorised_consignor(), holder_is_authorised_consignor=True) == []


def test_authorised_consignor_must_hold_the_authorisation():
    found = _check(simplified.authorised_consignor_holds_the_authorisation, _as_authorised_consignor())
    assert found.pointer == "/CC015C/Authorisation[1]/referenceNumber"


def test_seed_authorised_consignor_uses_guarantee_type_0_or_1():
    data = _as_authorised_consignor()
    _guarantee(data)["guaranteeType"] = "2"
    found = _check(guarantee.authorised_consignor_uses_guarantee_type_0_or_1, data, holder_is_authorised_consignor=True)
    assert [p.pointer for p in found] == ["/CC015C/Guarantee[1]/guaranteeType"] and "seed 003" in found[0].en
    _guarantee(data)["guaranteeType"] = "0"
    assert _check(guarantee.authorised_consignor_uses_guarantee_type_0_or_1, data) == []


def test_seed_authorised_consignor_time_limit_at_most_8_days():
    assert _check(simplified.authorised_consignor_time_limit_at_most_8_days, _as_authorised_consignor(8)) is None
    found = _check(simplified.authorised_consignor_time_limit_at_most_8_days, _as_authorised_consignor(9))
    assert found.code == "transit.limit_date.too_far" and found.pointer == "/CC015C/TransitOperation/limitDate"


def test_time_limit_beyond_8_days_in_a_special_case_granted_by_the_office():
    assert _check(simplified.authorised_consignor_time_limit_at_most_8_days, _as_authorised_consignor(12),
                  time_limit_special_case=True) is None


def test_time_limit_not_in_the_past():
    assert _check(simplified.authorised_consignor_time_limit_at_most_8_days,
                  _as_authorised_consignor(-1)).code == "transit.limit_date.past"


def test_c0839_authorised_consignor_states_the_time_limit():
    found = _check(simplified.authorised_consignor_states_the_time_limit_unless_pre_lodged,
                   _as_authorised_consignor(None))
    assert found.code == "transit.limit_date.missing"


def test_c0839_pre_lodged_declaration_without_limit_date():
    data = _as_authorised_consignor(None)
    data["TransitOperation"]["additionalDeclarationType"] = "D"
    assert problems(data, holder_is_authorised_consignor=True) == []


def test_c0839_time_limit_is_set_by_customs_in_the_standard_procedure():
    data = valid_declaration_data()
    data["TransitOperation"]["limitDate"] = (TODAY + timedelta(days=2)).isoformat()
    assert _check(simplified.time_limit_only_in_the_simplified_procedure, data).code == "transit.limit_date.not_allowed"


def test_c0085_public_bodies_state_no_guarantee_reference():
    data = _without_grn(valid_declaration_data())
    _guarantee(data)["guaranteeType"] = "8"
    _guarantee(data)["otherGuaranteeReference"] = "Forsvarsministeriet 2025/17"
    assert [p.code for p in _check(guarantee.guarantee_reference_for_types_with_a_reference, data)] == [
        "transit.guarantee.reference_not_allowed"]
