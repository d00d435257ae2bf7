"""Each phase 5 guarantee type in GMS (CL251, CL286 from the reference data; seed 003 "Sikkerhedsstillelse
i NCTS"): how it is registered, reserved and queried, and the refusal for every type GMS does not hold."""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from tests.conftest import FORWARDER, IMPORTER, register_company
from tests.guarantees.conftest import OFFICE, comprehensive, make_holder, state
from toldsystem.access.rules import OPERATOR
from toldsystem.cli import app
from toldsystem.core.errors import Rejected, ToldError
from toldsystem.guarantees import rules, service
from toldsystem.reference import service as reference

NOT_IN_GMS = ("3", "5", "8", "A", "B", "J", "R")  # CL251 types without a GRN (not in CL286)


def codes(raised) -> list[str]:
    return [p.code for p in raised.value.problems]


def registered(guarantee_type: str, amount: str = "10000.00"):
    """A registered guarantee of `guarantee_type` for FORWARDER (IMPORTER for vouchers) and its access code."""
    if guarantee_type in rules.COMPREHENSIVE_TYPES:
        return comprehensive(amount=amount, guarantee_type=guarantee_type)
    if guarantee_type in rules.INDIVIDUAL_DOCUMENT_TYPES:
        make_holder()
        g, code = service.register_individual_document(FORWARDER, amount, office_of_guarantee=OFFICE,
                                                       guarantee_type=guarantee_type, guarantor="Kaution A/S")
        return service.approve_individual_document(g.grn), code
    register_company(IMPORTER)
    batch = service.sell_voucher_batch(IMPORTER, 1, office_of_guarantee=OFFICE)
    service.register_voucher_batch(batch.id)
    return service.get(batch.vouchers[0].grn), batch.vouchers[0]


def reserve(g, code, amount: str, movement: str, guarantee_type: str | None = None):
    return service.check_and_reserve(g.holder_eori, g.grn, code.code, amount, "EUR", ["DK", "DE"], movement,
                                     guarantee_type=guarantee_type)


# --- the lists GMS asks -----------------------------------------------------------------------

def test_gms_asks_the_loaded_reference_data_for_the_types_and_those_with_a_grn(store):
    assert set(service.guarantee_types()) == {"0", "1", "2", "3", "4", "5", "8", "9", "A", "B", "J", "R"}
    assert service.guarantee_types()["B"].da.startswith("Sikkerhedsstillelse for varer afsendt under TIR")
    assert service.types_with_grn() == rules.HELD_IN_GMS
    assert [t for t in service.guarantee_types() if service.requires_grn(t)] == ["0", "1", "2", "4", "9"]


def test_a_newly_loaded_cl286_decides_which_types_need_a_grn_and_which_gms_registers(store):
    reference.load_csv(b"list,code,en,da\nCL286,0,Guarantee waiver,\nCL286,1,Comprehensive guarantee,\n"
                       b"CL286,2,Individual guarantee,\nCL286,4,Vouchers,\n")
    assert not service.requires_grn("9") and service.requires_grn("1")
    make_holder()
    before = state()
    with pytest.raises(Rejected) as raised:
        service.register_individual_document(FORWARDER, "5000", office_of_guarantee=OFFICE, guarantee_type="9")
    assert codes(raised) == ["guarantee.type_not_in_gms"]
    assert state() == before


# --- registration ------------------------------------------------------------------------------

@pytest.mark.parametrize("guarantee_type", ["0", "1", "2", "4", "9"])
def test_every_type_with_a_grn_is_registered_with_a_grn_and_an_access_code(store, guarantee_type):
    g, code = registered(guarantee_type)
    assert g.type == guarantee_type and g.status == rules.REGISTERED and code.grn == g.grn
    assert len(g.grn) == (24 if guarantee_type == rules.VOUCHER_TYPE else 17)


@pytest.mark.parametrize("guarantee_type", NOT_IN_GMS)
def test_a_type_without_a_grn_is_never_registered_and_the_refusal_names_it(store, guarantee_type):
    make_holder()
    before = state()
    with pytest.raises(Rejected) as comprehensive_refused:
        service.register_comprehensive(FORWARDER, "1000", office_of_guarantee=OFFICE, guarantee_type=guarantee_type)
    with pytest.raises(Rejected) as document_refused:
        service.register_individual_document(FORWARDER, "1000", office_of_guarantee=OFFICE,
                                             guarantee_type=guarantee_type)
    description = service.guarantee_types()[guarantee_type].en[:20]
    for refused in (comprehensive_refused, document_refused):
        found = refused.value.problems[0]
        assert (found.code, found.pointer) == ("guarantee.type_not_in_gms", "guarantee_type")
        assert description in found.en and "no GRN" in found.en and "GRN" in found.da
    assert state() == before


def test_a_phase_4_code_is_unknown(store):
    make_holder()
    with pytest.raises(Rejected) as raised:
        service.register_comprehensive(FORWARDER, "1000", office_of_guarantee=OFFICE, guarantee_type="6")
    assert codes(raised) == ["guarantee.type_unknown"]


def test_a_type_gms_holds_is_refused_by_another_types_procedure_saying_how_it_is_registered(store):
    make_holder()
    before = state()
    with pytest.raises(Rejected) as raised:
        service.register_comprehensive(FORWARDER, "1000", office_of_guarantee=OFFICE, guarantee_type="9")
    assert codes(raised) == ["guarantee.not_comprehensive"] and "guarantee document" in raised.value.problems[0].en
    with pytest.raises(Rejected) as raised:
        service.register_individual_document(FORWARDER, "1000", office_of_guarantee=OFFICE, guarantee_type="4")
    assert codes(raised) == ["guarantee.not_individual"] and "vouchers" in raised.value.problems[0].en
    assert state() == before


# --- reserving ---------------------------------------------------------------------------------

@pytest.mark.parametrize("guarantee_type, second", [("0", None), ("1", None), ("9", None),
                                                     ("2", "guarantee.document_already_used"),
                                                     ("4", "guarantee.voucher_already_used")])
def test_single_use_types_cover_one_movement_and_the_others_several_within_their_amount(store, guarantee_type,
                                                                                         second):
    g, code = registered(guarantee_type, "7000.00")
    assert reserve(g, code, "3000.00", "M1", guarantee_type).amount == Decimal("3000.00")
    if second is None:
        reserve(g, code, "4000.00", "M2", guarantee_type)
        assert service.get(g.grn).available == Decimal("0.00")
        service.free("M1")
        assert reserve(g, code, "3000.00", "M3", guarantee_type).state == rules.RESERVED  # freed, used again
    else:
        with pytest.raises(Rejected) as raised:
            reserve(g, code, "1.00", "M2", guarantee_type)
        assert codes(raised) == [second]
        assert rules.invalid_guarantee_reason(second) == ("G10" if guarantee_type == "2" else "G05")
    assert service.ledger_balance(g.grn) == service.get(g.grn).open_amount


@pytest.mark.parametrize("guarantee_type", NOT_IN_GMS)
def test_a_declared_type_gms_does_not_hold_is_refused_before_the_grn_is_looked_up(guarantee, guarantee_type):
    g, code = guarantee
    before = state()
    for grn in (g.grn, rules.new_grn(2026, OFFICE, 999)):  # the same answer for a GRN that exists and one that does not
        with pytest.raises(Rejected) as raised:
            service.check_and_reserve(FORWARDER, grn, code.code, "10", "EUR", ["DK"], "M1",
                                      guarantee_type=guarantee_type)
        assert [(p.code, p.pointer) for p in raised.value.problems] == [("guarantee.type_not_in_gms",
                                                                         "guarantee/guaranteeType")]
    assert state() == before
    assert service.failed_attempts(OPERATOR, g.grn) == []  # no code was checked, so none was counted


def test_the_declared_type_must_be_the_grns_type_even_for_a_guarantee_reserved_on_before(guarantee):
    g, code = guarantee  # type 1
    reserve(g, code, "10", "M1", "1")  # this process now knows the GRN: the next check may take the fast path
    before = state()
    with pytest.raises(Rejected) as raised:
        reserve(g, code, "10", "M2", "0")
    assert codes(raised) == ["guarantee.type_mismatch"] and "type 1 (Comprehensive guarantee)" in \
        raised.value.problems[0].en
    assert state() == before
    assert reserve(g, code, "10", "M3").state == rules.RESERVED  # no type declared: not compared


def test_a_wrong_code_is_answered_as_ever_whatever_the_declared_type(guarantee):
    g, code = guarantee
    wrong = "ZZZ9" if code.code != "ZZZ9" else "ZZZ8"
    with pytest.raises(Rejected) as raised:
        service.check_and_reserve(FORWARDER, g.grn, wrong, "10", "EUR", ["DK"], "M1", guarantee_type="2")
    assert codes(raised) == ["guarantee.not_valid"]  # the GRN's own type is told only once the code matches


def test_a_declaration_reserves_its_references_with_their_types_or_none(store):
    (one, one_code), (nine, nine_code) = registered("1"), registered("9")
    refused = service.reserve_all(FORWARDER, [(one.grn, one_code.code, "100", "EUR", "1"),
                                              service.DeclaredReference(nine.grn, nine_code.code, "100", "EUR", "2")],
                                  ["DK"], "MRN-1")
    assert [(grn, [p.code for p in found]) for grn, found in refused] == [(nine.grn, ["guarantee.type_mismatch"])]
    assert service.reservations("MRN-1") == []
    assert service.reserve_all(FORWARDER, [(one.grn, one_code.code, "100", "EUR", "1"),
                                           (nine.grn, nine_code.code, "100", "EUR", "9"),
                                           ], ["DK"], "MRN-2") == []
    assert sorted(r.grn for r in service.reservations("MRN-2")) == sorted([one.grn, nine.grn])


# --- balance -----------------------------------------------------------------------------------

@pytest.mark.parametrize("guarantee_type", ["0", "1", "9"])
def test_a_balance_query_answers_for_types_0_1_and_9(store, guarantee_type):
    g, code = registered(guarantee_type)
    reserve(g, code, "2500.00", "M1")
    b = service.balance(g.grn, code.code, caller=g.holder_eori)
    assert (b.reference_amount, b.open_amount, b.available) == (Decimal("10000.00"), Decimal("2500.00"),
                                                                 Decimal("7500.00"))


@pytest.mark.parametrize("guarantee_type", ["2", "4"])
def test_a_balance_query_on_a_single_use_guarantee_is_refused_once_the_code_matched(store, guarantee_type):
    g, code = registered(guarantee_type, "7000.00")
    with pytest.raises(ToldError) as raised:
        service.balance(g.grn, code.code, caller=g.holder_eori)
    assert codes(raised) == ["guarantee.balance_not_available"] and "0, 1, 9" in raised.value.problems[0].en
    wrong = "ZZZ9" if code.code != "ZZZ9" else "ZZZ8"
    with pytest.raises(ToldError) as raised:
        service.balance(g.grn, wrong, caller=g.holder_eori)
    assert codes(raised) == ["guarantee.not_valid"]


def test_the_terminal_records_a_guarantee_with_multiple_usage(sqlite_store):
    make_holder()
    for flag in ("--multiple-usage", "--annex-47a"):  # the phase 4 name still works
        result = CliRunner().invoke(app, ["guarantees", "register-document", FORWARDER, "5000", "--office", OFFICE,
                                          flag], catch_exceptions=False, env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
    assert [g.type for g in service.list_guarantees(FORWARDER)] == ["9", "9"]
