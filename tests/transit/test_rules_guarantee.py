"""Guarantee, authorised consignor and time-limit rules (seed 003, boxes 52 and D)."""

from __future__ import annotations

from datetime import timedelta

from tests.transit.test_declaration import GRN, TODAY, declaration, problems, rule_context, valid_declaration_data
from toldsystem.core.identifiers import make_grn, make_voucher_grn
from toldsystem.transit import rules_guarantee as rules
from toldsystem.transit import rules_transport

REFERENCE = "/CC015C/Guarantee[1]/GuaranteeReference[1]"


def _check(rule, data: dict, **context):
    return rule(declaration(data), rule_context(**context))


def _guarantee(data: dict) -> dict:
    return data["Guarantee"][0]


def _as_authorised_consignor(limit_days: int | None = 3) -> dict:
    data = valid_declaration_data()
    data["Authorisation"] = [{"sequenceNumber": "1", "type": "C521", "referenceNumber": "DKACR1358562"}]
    if limit_days is not None:
        data["TransitOperation"]["limitDate"] = (TODAY + timedelta(days=limit_days)).isoformat()
    return data


# --- box 52 ---------------------------------------------------------------------------------

def test_guarantee_is_required():
    data = valid_declaration_data()
    del data["Guarantee"]
    assert _check(rules.guarantee_stated, data).code == "transit.guarantee.missing"


def test_guarantee_type_is_known():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "7"
    assert [p.pointer for p in _check(rules.guarantee_type_is_known, data)] == ["/CC015C/Guarantee[1]/guaranteeType"]


def test_grn_required_for_guarantee_types_0_1_2_4_9():
    for kind in ("0", "1", "2", "9"):
        data = valid_declaration_data()
        _guarantee(data)["guaranteeType"] = kind
        assert _check(rules.guarantee_reference_number_where_required, data) == [], kind
        del _guarantee(data)["GuaranteeReference"][0]["GRN"]
        found = _check(rules.guarantee_reference_number_where_required, data)
        assert [p.pointer for p in found] == [f"{REFERENCE}/GRN"], kind


def test_grn_must_carry_a_valid_check_digit():
    data = valid_declaration_data()
    _guarantee(data)["GuaranteeReference"][0]["GRN"] = GRN[:-1] + str((int(GRN[-1]) + 1) % 10)
    assert [p.code for p in _check(rules.guarantee_reference_number_where_required, data)] == [
        "transit.guarantee.grn_malformed"]


def test_voucher_guarantee_may_name_several_24_character_grns():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "4"
    _guarantee(data)["GuaranteeReference"] = [
        {"sequenceNumber": str(n), "GRN": make_voucher_grn(GRN, n), "accessCode": "1234",
         "amountToBeCovered": "7000.00", "currency": "EUR"} for n in (1, 2)]
    assert problems(data) == []
    _guarantee(data)["GuaranteeReference"][1]["GRN"] = GRN
    assert [p.pointer for p in _check(rules.guarantee_reference_number_where_required, data)] == [
        "/CC015C/Guarantee[1]/GuaranteeReference[2]/GRN"]


def test_only_voucher_guarantees_have_several_references():
    data = valid_declaration_data()
    second = dict(_guarantee(data)["GuaranteeReference"][0], sequenceNumber="2", GRN=make_grn(25, "DK", "000000000002"))
    _guarantee(data)["GuaranteeReference"].append(second)
    found = _check(rules.only_voucher_guarantees_have_several_references, data)
    assert [p.pointer for p in found] == ["/CC015C/Guarantee[1]/GuaranteeReference[2]"]


def test_cash_deposit_has_no_grn():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "3"
    assert [p.code for p in _check(rules.guarantee_reference_number_where_required, data)] == [
        "transit.guarantee.grn_not_allowed"]
    reference = _guarantee(data)["GuaranteeReference"][0]
    del reference["GRN"], reference["accessCode"]
    assert problems(data) == []


def test_access_code_present_when_grn_present():
    data = valid_declaration_data()
    del _guarantee(data)["GuaranteeReference"][0]["accessCode"]
    assert [p.pointer for p in _check(rules.access_code_with_grn, data)] == [f"{REFERENCE}/accessCode"]


def test_access_code_only_with_a_grn():
    data = valid_declaration_data()
    _guarantee(data)["guaranteeType"] = "3"
    del _guarantee(data)["GuaranteeReference"][0]["GRN"]
    assert [p.code for p in _check(rules.access_code_with_grn, data)] == ["transit.guarantee.access_code_without_grn"]


def test_guarantee_amount_and_currency_present():
    data = valid_declaration_data()
    reference = _guarantee(data)["GuaranteeReference"][0]
    del reference["amountToBeCovered"]
    reference["currency"] = "euro"
    found = _check(rules.guarantee_amount_and_currency_stated, data)
    assert {p.pointer for p in found} == {f"{REFERENCE}/amountToBeCovered", f"{REFERENCE}/currency"}


# --- authorised consignor (boxes 52, D) ------------------------------------------------------------

def test_authorised_consignor_declaration_passes_every_rule():
    assert problems(_as_authorised_consignor(), holder_is_authorised_consignor=True) == []


def test_authorised_consignor_must_hold_the_authorisation():
    found = _check(rules.authorised_consignor_holds_authorisation, _as_authorised_consignor())
    assert found.pointer == "/CC015C/Authorisation[1]/referenceNumber"


def test_authorised_consignor_uses_guarantee_type_0_or_1():
    data = _as_authorised_consignor()
    _guarantee(data)["guaranteeType"] = "2"
    found = _check(rules.authorised_consignor_uses_guarantee_type_0_or_1, data, holder_is_authorised_consignor=True)
    assert [p.pointer for p in found] == ["/CC015C/Guarantee[1]/guaranteeType"]
    _guarantee(data)["guaranteeType"] = "0"
    assert _check(rules.authorised_consignor_uses_guarantee_type_0_or_1, data) == []


def test_authorised_consignor_time_limit_at_most_8_days():
    assert _check(rules.authorised_consignor_time_limit_at_most_8_days, _as_authorised_consignor(8)) is None
    found = _check(rules.authorised_consignor_time_limit_at_most_8_days, _as_authorised_consignor(9))
    assert found.code == "transit.limit_date.too_far" and found.pointer == "/CC015C/TransitOperation/limitDate"


def test_time_limit_beyond_8_days_in_a_special_case_granted_by_the_office():
    assert _check(rules.authorised_consignor_time_limit_at_most_8_days, _as_authorised_consignor(12),
                  time_limit_special_case=True) is None


def test_authorised_consignor_states_a_time_limit_not_in_the_past():
    assert _check(rules.authorised_consignor_time_limit_at_most_8_days,
                  _as_authorised_consignor(None)).code == "transit.limit_date.missing"
    assert _check(rules.authorised_consignor_time_limit_at_most_8_days,
                  _as_authorised_consignor(-1)).code == "transit.limit_date.past"


def test_time_limit_is_set_by_customs_in_the_standard_procedure():
    data = valid_declaration_data()
    data["TransitOperation"]["limitDate"] = (TODAY + timedelta(days=2)).isoformat()
    assert _check(rules.time_limit_set_only_by_authorised_consignor, data).code == "transit.limit_date.reserved"


def test_authorised_consignor_states_seals():
    data = _as_authorised_consignor()
    del data["Consignment"]["TransportEquipment"][0]["Seal"]
    data["Consignment"]["TransportEquipment"][0]["numberOfSeals"] = "0"
    assert _check(rules_transport.authorised_consignor_states_seals, data).code == "transit.seals.missing"
    data["Consignment"]["TransportEquipment"][0]["Seal"] = [{"sequenceNumber": "1", "identifier": "Fritaget"}]
    assert _check(rules_transport.authorised_consignor_states_seals, data) is None
