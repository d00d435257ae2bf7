"""GMS use cases on SQLite and PostgreSQL (seed 003 "Sikkerhedsstillelse i NCTS"; SPEC G)."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import CONSIGNOR, FORWARDER, IMPORTER, STRANGER, register_company
from tests.guarantees.conftest import OFFICE, comprehensive, make_holder, state
from toldsystem import config, db
from toldsystem.access.rules import Party
from toldsystem.core.errors import Conflict, NotFound, Rejected
from toldsystem.guarantees import rules, service, store


def reserve(g, code, amount="1000.00", movement="MRN-1", holder=FORWARDER, currency="EUR", route=("DK", "DE")):
    return service.check_and_reserve(holder, g.grn, code, amount, currency, list(route), movement)


def reasons(raised) -> list[tuple[str, str]]:
    return [(p.code, p.pointer) for p in raised.value.problems]


def assert_ledger_agrees(grn: str) -> None:
    assert service.ledger_balance(grn) == service.get(grn).open_amount


# --- registration ------------------------------------------------------------------------------

def test_comprehensive_guarantee_gets_a_17_character_grn_and_an_access_code(store):
    g, code = comprehensive()
    assert len(g.grn) == 17 and g.grn[2:10] == OFFICE and g.status == rules.REGISTERED
    assert g.reference_amount == Decimal("100000.00") and g.open_amount == 0
    assert len(code.code) == 4 and code.grn == g.grn


def test_grn_serials_are_allocated_by_the_database_one_after_another(store):
    grns = [comprehensive()[0].grn for _ in range(3)]
    assert len(set(grns)) == 3 and sorted(grns) == grns


def test_comprehensive_guarantee_needs_the_authorisation(store):
    make_holder(IMPORTER, authorised=False)
    with pytest.raises(Rejected) as raised:
        service.register_comprehensive(IMPORTER, "1000", office_of_guarantee=OFFICE)
    assert reasons(raised) == [("guarantee.no_authorisation", "holder_eori")]
    assert service.list_guarantees() == []


def test_comprehensive_guarantee_needs_an_eori_registered_holder(store):
    register_company(IMPORTER, importer=False)
    with pytest.raises(Rejected) as raised:
        service.register_comprehensive(IMPORTER, "1000", office_of_guarantee=OFFICE)
    assert reasons(raised) == [("company.not_eori_registered", "holder_eori")]


def test_registration_rejects_bad_input_naming_every_field(store):
    make_holder()
    with pytest.raises(Rejected) as raised:
        service.register_comprehensive(FORWARDER, "-5", "XXX", office_of_guarantee="DK009264", guarantee_type="2",
                                       not_valid_in=["DE"])
    assert {p for _, p in reasons(raised)} == {"guarantee_type", "reference_amount", "currency",
                                               "office_of_guarantee", "not_valid_in"}
    assert service.list_guarantees() == []


def test_registration_rejects_an_invalid_eori(store):
    with pytest.raises(Rejected) as raised:
        service.register_comprehensive("DK13585627", "1000", office_of_guarantee=OFFICE)
    assert reasons(raised)[0][1] == "holder_eori"


def test_individual_guarantee_document_must_be_approved_before_use(store):
    make_holder()
    g, code = service.register_individual_document(FORWARDER, "5000", office_of_guarantee=OFFICE, guarantor="Kaution A/S")
    assert g.status == rules.PENDING and g.type == "2"
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code, "100")
    assert reasons(raised) == [("guarantee.not_approved", "guarantee/GRN")]
    assert service.approve_individual_document(g.grn).status == rules.REGISTERED
    assert reserve(g, code.code, "100").amount == Decimal("100.00")
    with pytest.raises(Conflict):
        service.approve_individual_document(g.grn)


def test_individual_guarantee_by_guarantor_covers_one_movement_up_to_its_amount(store):
    make_holder()
    g, code = service.register_individual_document(FORWARDER, "5000", office_of_guarantee=OFFICE, guarantee_type="2")
    service.approve_individual_document(g.grn)
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code, "5000.01")
    assert reasons(raised) == [("guarantee.not_covered", "guarantee/amountToBeCovered")]
    reserve(g, code.code, "5000", movement="M1")
    service.free("M1")
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code, "1", movement="M2")
    assert reasons(raised) == [("guarantee.document_already_used", "guarantee/amountToBeCovered")]
    assert_ledger_agrees(g.grn)


def test_only_individual_documents_are_approved(store):
    g, _ = comprehensive()
    with pytest.raises(Conflict):
        service.approve_individual_document(g.grn)
    with pytest.raises(NotFound):
        service.approve_individual_document(rules.new_grn(2025, OFFICE, 999))


# --- vouchers ------------------------------------------------------------------------------------

def test_vouchers_of_7000_eur_are_sold_in_batches_each_with_a_24_character_grn_and_code(store):
    register_company(IMPORTER)
    batch = service.sell_voucher_batch(IMPORTER, 3, office_of_guarantee=OFFICE)
    assert batch.count == 3 and not batch.registered and len(batch.vouchers) == 3
    for v in batch.vouchers:
        assert len(v.grn) == 24 and v.grn.startswith(batch.base_grn) and len(v.code) == 4
        g = service.get(v.grn)
        assert (g.type, g.reference_amount, g.currency, g.holder_eori) == ("4", Decimal("7000.00"), "EUR", IMPORTER)


def test_voucher_cannot_be_used_before_the_office_registers_it(store):
    register_company(IMPORTER)
    batch = service.sell_voucher_batch(IMPORTER, 2, office_of_guarantee=OFFICE)
    voucher = service.get(batch.vouchers[0].grn)
    with pytest.raises(Rejected) as raised:
        reserve(voucher, batch.vouchers[0].code, "7000", holder=IMPORTER)
    assert reasons(raised) == [("guarantee.voucher_not_registered", "guarantee/GRN")]
    assert service.register_voucher_batch(batch.id).registered
    assert reserve(voucher, batch.vouchers[0].code, "7000", holder=IMPORTER).amount == Decimal("7000.00")
    with pytest.raises(Conflict):
        service.register_voucher_batch(batch.id)


def test_voucher_covers_at_most_7000_eur_once(store):
    register_company(IMPORTER)
    batch = service.sell_voucher_batch(IMPORTER, 2, office_of_guarantee=OFFICE)
    service.register_voucher_batch(batch.id)
    v1, v2 = (service.get(v.grn) for v in batch.vouchers)
    with pytest.raises(Rejected) as raised:
        reserve(v1, batch.vouchers[0].code, "7000.01", holder=IMPORTER)
    assert reasons(raised) == [("guarantee.not_covered", "guarantee/amountToBeCovered")]
    # 60,000 DKK is more than 7,000 EUR at 7.46
    with pytest.raises(Rejected):
        reserve(v1, batch.vouchers[0].code, "60000", currency="DKK", holder=IMPORTER)
    reserve(v2, batch.vouchers[1].code, "50000", currency="DKK", holder=IMPORTER, movement="M1")
    with pytest.raises(Rejected) as raised:
        reserve(v2, batch.vouchers[1].code, "1", holder=IMPORTER, movement="M2")
    assert reasons(raised) == [("guarantee.voucher_already_used", "guarantee/amountToBeCovered")]


def test_voucher_batch_rejects_a_bad_count(store):
    register_company(IMPORTER)
    with pytest.raises(Rejected) as raised:
        service.sell_voucher_batch(IMPORTER, 0, office_of_guarantee=OFFICE)
    assert reasons(raised) == [("voucher.count", "count")]


# --- check and reserve --------------------------------------------------------------------------

def test_valid_guarantee_reserves_the_amount_and_writes_the_ledger(guarantee):
    g, code = guarantee
    r = reserve(g, code.code, "12500.50")
    assert (r.amount, r.currency, r.state) == (Decimal("12500.50"), "EUR", rules.RESERVED)
    assert service.get(g.grn).open_amount == Decimal("12500.50")
    assert [(e.kind, e.movement_ref, e.amount) for e in service.ledger(g.grn)] == [("reserve", "MRN-1",
                                                                                    Decimal("12500.50"))]
    assert_ledger_agrees(g.grn)


def test_amount_in_another_currency_is_converted_through_eur(guarantee):
    g, code = guarantee
    r = reserve(g, code.code, "7460.00", currency="DKK")
    assert (r.amount, r.currency, r.declared_amount, r.declared_currency) == (Decimal("1000.00"), "EUR",
                                                                             Decimal("7460.00"), "DKK")


def test_comprehensive_guarantee_refuses_what_exceeds_the_reference_amount(guarantee):
    g, code = guarantee
    reserve(g, code.code, "60000", movement="M1")
    before = state()
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code, "40000.01", movement="M2")
    assert reasons(raised) == [("guarantee.not_covered", "guarantee/amountToBeCovered")]
    assert state() == before
    reserve(g, code.code, "40000", movement="M2")
    assert service.get(g.grn).available == 0


def test_reserving_the_same_movement_twice_does_not_double_reserve(guarantee):
    g, code = guarantee
    first = reserve(g, code.code, "100000")
    again = reserve(g, code.code, "100000")
    assert (again.movement_ref, again.amount) == (first.movement_ref, first.amount)
    assert service.get(g.grn).open_amount == Decimal("100000.00") and len(service.ledger(g.grn)) == 1
    with pytest.raises(Conflict):
        reserve(g, code.code, "5")


def test_a_guarantee_reserved_on_before_is_still_checked_in_full_each_time(store):
    # The first reservation lets this process skip reading the guarantee next time; every
    # check must still hold, and a refusal still names its reason.
    g, code = comprehensive(not_valid_in=["CH"])
    make_holder(IMPORTER)
    reserve(g, code.code, "1000", movement="M1")
    assert reserve(g, code.code, "1000", movement="M2").state == rules.RESERVED  # the quick way
    before = state()
    refusals = {
        "wrong code": lambda: reserve(g, "ZZZZ" if code.code != "ZZZZ" else "YYYY", movement="M3"),
        "other holder": lambda: reserve(g, code.code, movement="M3", holder=IMPORTER),
        "limited country": lambda: reserve(g, code.code, movement="M3", route=("DK", "CH")),
        "beyond the reference amount": lambda: reserve(g, code.code, "98000.01", movement="M3"),
    }
    found = {}
    for name, attempt in refusals.items():
        with pytest.raises(Rejected) as raised:
            attempt()
        found[name] = reasons(raised)[0][0]
    assert found == {"wrong code": "guarantee.not_valid", "other holder": "guarantee.not_valid",
                     "limited country": "guarantee.not_valid_in_country",
                     "beyond the reference amount": "guarantee.not_covered"}
    assert state() == before  # no refusal wrote anything
    service.revoke_access_code(Party.company(FORWARDER), g.grn, code.id)
    before = state()
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code, movement="M3")
    assert reasons(raised)[0][0] == "guarantee.not_valid"
    assert state() == before
    assert_ledger_agrees(g.grn)


@pytest.mark.parametrize("close", [service.free, service.discharge])
def test_a_movement_reference_whose_reservation_was_closed_is_not_reserved_again(guarantee, close):
    g, code = guarantee
    reserve(g, code.code, "1000", movement="M1")
    close("M1")
    before = state()
    with pytest.raises(Conflict) as raised:
        reserve(g, code.code, "1000", movement="M1")  # the same call as the first: no replay of a closed one
    assert reasons(raised) == [("reservation.closed", "movementReference")]
    assert state() == before


def test_guarantee_must_be_valid_in_every_route_country(store):
    g, code = comprehensive(not_valid_in=["CH", "NO"])
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code, route=("DK", "DE", "CH", "IT"))
    assert reasons(raised) == [("guarantee.not_valid_in_country", "countryOfRoutingOfConsignment")]
    assert reserve(g, code.code, route=("DK", "DE", "AT", "IT")).state == rules.RESERVED


def test_every_reason_is_listed_together(store):
    make_holder()
    g, code = service.register_individual_document(FORWARDER, "5000", office_of_guarantee=OFFICE, not_valid_in=["CH"])
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code, route=("DK", "CH"))
    assert reasons(raised) == [("guarantee.not_approved", "guarantee/GRN"),
                               ("guarantee.not_valid_in_country", "countryOfRoutingOfConsignment")]


def test_revoked_guarantee_cannot_be_used(guarantee):
    g, code = guarantee
    service.revoke_guarantee(g.grn)
    with pytest.raises(Rejected) as raised:
        reserve(g, code.code)
    assert reasons(raised) == [("guarantee.revoked", "guarantee/GRN")]
    assert service.get(g.grn).available == 0  # nothing may be reserved on it, so nothing is shown as available


def test_unknown_grn_and_wrong_access_code_get_the_same_answer(guarantee):
    g, code = guarantee
    make_holder(IMPORTER)
    wrong = "ZZZZ" if code.code != "ZZZZ" else "YYYY"
    unknown = rules.new_grn(2026, OFFICE, 999)
    answers = []
    for holder, grn, access in ((FORWARDER, unknown, code.code), (FORWARDER, g.grn, wrong),
                                (IMPORTER, g.grn, code.code)):
        with pytest.raises(Rejected) as raised:
            service.check_and_reserve(holder, grn, access, "10", "EUR", ["DK"], "M1")
        answers.append([p.as_dict() for p in raised.value.problems])
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0]["code"] == "guarantee.not_valid"
    for grn, access in ((unknown, code.code), (g.grn, wrong)):
        with pytest.raises(Rejected) as raised:
            service.balance(grn, access, caller=FORWARDER)
        assert [p.as_dict() for p in raised.value.problems] == answers[0]


@pytest.mark.parametrize("field, value, pointer", [
    ("holder", "DK13585627", "holder/identificationNumber"),
    ("grn", "26DK009860000001X", "guarantee/GRN"),
    ("access", "AB1", "guarantee/accessCode"),
    ("amount", "-5", "guarantee/amountToBeCovered"),
    ("amount", "12,50", "guarantee/amountToBeCovered"),
    ("amount", "0", "guarantee/amountToBeCovered"),
    ("amount", "1.234", "guarantee/amountToBeCovered"),
    ("currency", "XXX", "guarantee/currency"),
    ("route", ["D"], "countryOfRoutingOfConsignment"),
    ("movement", "", "movementReference"),
])
def test_bad_input_names_the_field_and_changes_nothing(guarantee, field, value, pointer):
    g, code = guarantee
    reserve(g, code.code, "500", movement="EARLIER")
    args = {"holder": FORWARDER, "grn": g.grn, "access": code.code, "amount": "10", "currency": "EUR",
            "route": ["DK"], "movement": "M1"}
    args[field] = value
    before = state()
    with pytest.raises(Rejected) as raised:
        service.check_and_reserve(args["holder"], args["grn"], args["access"], args["amount"], args["currency"],
                                  args["route"], args["movement"])
    assert [p.pointer for p in raised.value.problems] == [pointer]
    assert state() == before


def test_wrong_holder_grn_or_code_changes_nothing(guarantee):
    g, code = guarantee
    make_holder(STRANGER)
    before = state()
    for holder, grn, access in ((STRANGER, g.grn, code.code), (FORWARDER, rules.new_grn(2026, OFFICE, 77), code.code),
                                (FORWARDER, g.grn, "0000" if code.code != "0000" else "1111")):
        with pytest.raises(Rejected):
            service.check_and_reserve(holder, grn, access, "10", "EUR", ["DK"], "M1")
    assert state() == before


# --- free and discharge ---------------------------------------------------------------------------

def test_arrival_frees_the_amount_for_reuse(guarantee):
    g, code = guarantee
    reserve(g, code.code, "100000", movement="M1")
    with pytest.raises(Rejected):
        reserve(g, code.code, "1", movement="M2")
    assert [r.state for r in service.free("M1")] == [rules.FREED]
    assert service.get(g.grn).open_amount == 0
    reserve(g, code.code, "100000", movement="M2")
    assert_ledger_agrees(g.grn)


def test_conform_control_result_discharges_finally(guarantee):
    g, code = guarantee
    reserve(g, code.code, "300", movement="M1")
    reserve(g, code.code, "200", movement="M2")
    service.free("M1")
    assert [r.state for r in service.discharge("M1")] == [rules.DISCHARGED]
    assert [r.state for r in service.discharge("M2")] == [rules.DISCHARGED]  # discharged without arrival
    assert service.get(g.grn).open_amount == 0
    kinds = [(e.kind, e.movement_ref, e.amount) for e in service.ledger(g.grn)]
    assert kinds == [("reserve", "M1", Decimal("300.00")), ("reserve", "M2", Decimal("200.00")),
                     ("free", "M1", Decimal("300.00")), ("discharge", "M1", Decimal("0.00")),
                     ("discharge", "M2", Decimal("200.00"))]
    before = state()
    service.free("M1")
    service.discharge("M2")
    assert state() == before
    assert_ledger_agrees(g.grn)


def test_freeing_an_unknown_movement_is_not_found(store):
    with pytest.raises(NotFound) as raised:
        service.free("NOPE")
    assert raised.value.problems[0].pointer == "movementReference"


def test_balance_equals_the_ledger_after_every_operation(guarantee):
    g, code = guarantee
    operations = [lambda: reserve(g, code.code, "100.10", movement="A"),
                  lambda: reserve(g, code.code, "7460", currency="DKK", movement="B"),
                  lambda: reserve(g, code.code, "1.01", movement="C"),
                  lambda: service.free("A"),
                  lambda: service.discharge("B"),
                  lambda: reserve(g, code.code, "99999", movement="D"),  # refused: not covered
                  lambda: service.discharge("A"),
                  lambda: service.free("C"),
                  lambda: reserve(g, code.code, "500", movement="A")]  # idempotent replay of a done movement
    for operation in operations:
        try:
            operation()
        except (Rejected, Conflict):
            pass
        assert_ledger_agrees(g.grn)
    assert service.get(g.grn).open_amount == 0


# --- balance query ----------------------------------------------------------------------------------

def test_balance_query_shows_reference_open_and_available(guarantee):
    g, code = guarantee
    reserve(g, code.code, "2500")
    b = service.balance(g.grn, code.code.lower(), caller=FORWARDER)
    assert (b.reference_amount, b.open_amount, b.available, b.currency) == (Decimal("100000.00"), Decimal("2500.00"),
                                                                            Decimal("97500.00"), "EUR")


def test_balance_queries_are_rate_limited_per_caller_and_grn(guarantee, fixed_clock):
    g, code = guarantee
    other, other_code = comprehensive()
    limit = config.settings().balance_queries_per_minute
    for _ in range(limit):
        service.balance(g.grn, code.code, caller=STRANGER)
    with pytest.raises(service.RateLimited) as raised:
        service.balance(g.grn, code.code, caller=STRANGER)
    assert raised.value.status == 429 and raised.value.problems[0].pointer == "guarantee/GRN"
    assert service.balance(other.grn, other_code.code, caller=STRANGER).grn == other.grn  # per GRN
    # One company's queries never use up the holder's (nor anyone else's).
    assert service.balance(g.grn, code.code, caller=FORWARDER).grn == g.grn
    assert service.balance(g.grn, code.code, caller=IMPORTER).grn == g.grn
    fixed_clock.advance(seconds=61)
    assert service.balance(g.grn, code.code, caller=STRANGER).grn == g.grn


def test_unknown_grns_are_answered_and_counted_as_wrong_codes_are(guarantee, fixed_clock):
    g, code = guarantee
    wrong = "ZZZZ" if code.code != "ZZZZ" else "YYYY"
    unknown = rules.new_grn(2026, OFFICE, 4242)

    def answers(grn: str, access: str, caller: str) -> list[tuple[int, str]]:
        seen = []
        for _ in range(config.settings().balance_queries_per_minute + 1):
            with pytest.raises((Rejected, service.RateLimited, service.TooManyAttempts)) as raised:
                service.balance(grn, access, caller=caller)
            seen.append((raised.value.status, raised.value.problems[0].code))
        return seen

    for_unknown = answers(unknown, "AB12", STRANGER)
    assert for_unknown == answers(g.grn, wrong, IMPORTER)
    assert for_unknown[0] == (422, "guarantee.not_valid") and for_unknown[-1][0] == 429


# --- access codes ------------------------------------------------------------------------------

def test_access_code_is_never_stored_in_clear(guarantee):
    g, code = guarantee
    extra = service.add_access_code(Party.company(FORWARDER), g.grn, "Mette Jensen", "MJ42")
    with db.reading() as conn:
        rows = [tuple(str(v) for v in r) for r in conn.execute(select(store.access_codes))]
    for secret in (code.code, extra.code, "MJ42"):
        assert not any(secret in value or secret.lower() in value for row in rows for value in row)
    assert all(len(r[3]) == 64 for r in rows)


def test_holder_may_add_several_labelled_access_codes(guarantee):
    g, code = guarantee
    mette = service.add_access_code(Party.company(FORWARDER), g.grn, "Mette Jensen")
    ole = service.add_access_code(Party.company(FORWARDER), g.grn, "Ole Hansen", "OH01")
    assert [c.label for c in service.access_codes(Party.company(FORWARDER), g.grn)] == ["Hovedforpligtede", "Mette Jensen",
                                                                         "Ole Hansen"]
    for c in (code.code, mette.code, ole.code):
        reserve(g, c, "1", movement=f"M-{c}")
    with pytest.raises(Conflict):
        service.add_access_code(Party.company(FORWARDER), g.grn, "Twin", "oh01")


def test_holder_may_change_an_access_code_at_any_time(guarantee):
    g, code = guarantee
    new = service.change_access_code(Party.company(FORWARDER), g.grn, code.id, "NEW1")
    assert new.label == code.label and new.code == "NEW1"
    with pytest.raises(Rejected):
        reserve(g, code.code, movement="M1")
    assert reserve(g, "NEW1", movement="M1").state == rules.RESERVED
    listed = service.access_codes(Party.company(FORWARDER), g.grn)
    assert [c.revoked_at is not None for c in listed] == [True, False]


def test_holder_may_revoke_an_access_code(guarantee):
    g, code = guarantee
    service.revoke_access_code(Party.company(FORWARDER), g.grn, code.id)
    with pytest.raises(Rejected):
        reserve(g, code.code)
    with pytest.raises(Conflict):
        service.revoke_access_code(Party.company(FORWARDER), g.grn, code.id)


def test_only_the_holder_manages_access_codes(guarantee):
    g, code = guarantee
    make_holder(CONSIGNOR)
    before = state()
    with pytest.raises(NotFound):
        service.add_access_code(Party.company(CONSIGNOR), g.grn, "Intruder")
    with pytest.raises(NotFound):
        service.revoke_access_code(Party.company(CONSIGNOR), g.grn, code.id)
    with pytest.raises(NotFound):
        service.access_codes(Party.company(CONSIGNOR), g.grn)
    assert state() == before


def test_access_codes_are_never_logged(guarantee, caplog):
    g, code = guarantee
    caplog.set_level(logging.DEBUG)
    make_holder(IMPORTER)
    new_g, new_code = service.register_comprehensive(IMPORTER, "5000", office_of_guarantee=OFFICE)
    added = service.add_access_code(Party.company(FORWARDER), g.grn, "Mette", "LG77")
    changed = service.change_access_code(Party.company(FORWARDER), g.grn, added.id)
    reserve(g, code.code, "10")
    reserve(g, changed.code, "10", movement="M2")
    service.balance(g.grn, code.code, caller=FORWARDER)
    with pytest.raises(Rejected):
        service.balance(g.grn, "QQ99" if code.code != "QQ99" else "QQ98", caller=FORWARDER)
    service.revoke_access_code(Party.company(FORWARDER), g.grn, changed.id)
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert caplog.records  # something was logged
    for secret in (code.code, new_code.code, "LG77", changed.code):
        assert secret not in logged


# --- demo ----------------------------------------------------------------------------------------

def test_demo_guarantees_are_usable_with_their_known_codes(store):
    register_company(FORWARDER)
    register_company(IMPORTER)
    demo = service.load_demo(FORWARDER, IMPORTER)
    assert service.load_demo(FORWARDER, IMPORTER) == demo  # loading again changes nothing
    c, i = demo["comprehensive"], demo["individual"]
    assert service.balance(c["grn"], c["access_code"], caller=FORWARDER).reference_amount == Decimal("100000.00")
    assert service.check_and_reserve(FORWARDER, i["grn"], i["access_code"], "100", "EUR", ["DK"], "D1")
    assert len(demo["vouchers"]) == 3
    for n, v in enumerate(demo["vouchers"]):
        assert service.check_and_reserve(IMPORTER, v["grn"], v["access_code"], "7000", "EUR", ["DK"], f"V{n}")


def test_listing_is_per_holder(store):
    comprehensive(FORWARDER)
    make_holder(IMPORTER)
    comprehensive(IMPORTER)
    assert {g.holder_eori for g in service.list_guarantees(IMPORTER)} == {IMPORTER}
    assert len(service.list_guarantees()) == 2
    with pytest.raises(NotFound):
        service.get_for(Party.company(IMPORTER), service.list_guarantees(FORWARDER)[0].grn)




def test_a_proof_of_the_access_code_reserves_as_the_code_does(guarantee):
    g, code = guarantee
    proof = service.access_code_proof(g.grn, code.code)
    assert code.code not in proof
    held = service.check_and_reserve(FORWARDER, g.grn, "", "250.00", "EUR", ["DK", "DE"], "LRN-PRE-1", proof=proof)
    assert held.state == rules.RESERVED and service.get(g.grn).open_amount == 250
    again = service.check_and_reserve(FORWARDER, g.grn, "", "100.00", "EUR", ["DK"], "LRN-PRE-2", proof=proof)
    assert again.amount == 100  # the second time on the fast path, with the proof as its digest
    assert_ledger_agrees(g.grn)


def test_a_wrong_proof_or_one_of_a_revoked_code_is_refused_like_a_wrong_code(guarantee):
    g, code = guarantee
    for proof in (service.access_code_proof(g.grn, "ZZZ9" if code.code != "ZZZ9" else "YYY8"), "0" * 64):
        with pytest.raises(Rejected) as raised:
            service.check_and_reserve(FORWARDER, g.grn, "", "10", "EUR", ["DK"], "LRN-PRE-3", proof=proof)
        assert reasons(raised) == [("guarantee.not_valid", "guarantee/GRN")]
    proof = service.access_code_proof(g.grn, code.code)
    service.revoke_access_code(Party.company(FORWARDER), g.grn, code.id)
    with pytest.raises(Rejected):
        service.check_and_reserve(FORWARDER, g.grn, "", "10", "EUR", ["DK"], "LRN-PRE-4", proof=proof)
    assert service.get(g.grn).open_amount == 0
