"""Access codes cannot be guessed (SPEC G; issue 9): wrong codes from declarations, amendments, balance queries
and test reservations count together per caller and GRN, with growing waits and a lockout; while waiting
nothing is checked; one caller's failures never lock out another caller or the holder."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import CONSIGNOR, FORWARDER, IMPORTER, STRANGER, company_headers, register_company
from tests.guarantees.conftest import comprehensive
from toldsystem import demo
from toldsystem.core.errors import Rejected, ToldError
from toldsystem.access.rules import OPERATOR
from toldsystem.guarantees import rules, rules_codes, service

CHECKED = "guarantee.not_valid"  # the answer that depends on the code sent


def wrong(code: str, n: int = 0) -> str:
    """A code that is not `code`."""
    return next(c for c in (f"W{n:03d}"[-4:], f"X{n:03d}"[-4:]) if c != code.upper())


def ask(grn: str, code: str, caller: str) -> tuple[int, str]:
    try:
        service.balance(grn, code, caller=caller)
    except ToldError as refused:
        return refused.status, refused.problems[0].code
    return 200, "balance"


def test_a_thousand_wrong_codes_get_at_most_the_allowed_number_of_distinguishing_answers(guarantee, fixed_clock):
    g, code = guarantee
    seen = []
    for n in range(1000):
        seen.append(ask(g.grn, wrong(code.code, n), STRANGER))
        # The attacker's best pace: it waits out every wait and every rate-limit window before the next guess.
        attempts = service.failed_attempts(OPERATOR, g.grn)[0]
        if attempts.blocked_until and not attempts.locked:
            fixed_clock.advance(seconds=(attempts.blocked_until - fixed_clock.now()).total_seconds() + 1)
        fixed_clock.advance(seconds=61)
    assert sum(1 for _status, answer in seen if answer == CHECKED) <= rules_codes.LOCKOUT_AFTER
    assert seen[-1] == (429, "guarantee.attempts_locked")
    # Now even the right code is answered as the lockout: it tells nothing.
    assert ask(g.grn, code.code, STRANGER) == (429, "guarantee.attempts_locked")
    # The holder, and any other company, still use it.
    assert ask(g.grn, code.code, FORWARDER) == (200, "balance")
    assert ask(g.grn, code.code, IMPORTER) == (200, "balance")
    assert service.check_and_reserve(FORWARDER, g.grn, code.code, "10", "EUR", ["DK"], "M1").state == "reserved"


def test_while_waiting_the_right_code_is_answered_exactly_as_a_wrong_one(guarantee, fixed_clock):
    g, code = guarantee
    answers = [ask(g.grn, wrong(code.code, n), STRANGER) for n in range(rules_codes.FREE_FAILURES)]
    assert answers == [(422, CHECKED)] * rules_codes.FREE_FAILURES
    with pytest.raises(ToldError) as right:
        service.balance(g.grn, code.code, caller=STRANGER)
    with pytest.raises(ToldError) as wrong_one:
        service.balance(g.grn, wrong(code.code, 99), caller=STRANGER)
    assert right.value.status == wrong_one.value.status == 429
    assert [p.as_dict() for p in right.value.problems] == [p.as_dict() for p in wrong_one.value.problems]
    fixed_clock.advance(seconds=rules_codes.FIRST_WAIT.total_seconds() + 1)
    assert ask(g.grn, code.code, STRANGER) == (200, "balance")  # the wait is over: checked, and right


def test_the_waits_double_and_a_right_code_ends_the_run(guarantee, fixed_clock):
    g, code = guarantee
    waits = []
    for n in range(rules_codes.FREE_FAILURES + 3):
        ask(g.grn, wrong(code.code, n), STRANGER)
        attempts = service.failed_attempts(OPERATOR, g.grn)[0]
        if attempts.blocked_until:
            waits.append(attempts.blocked_until - fixed_clock.now())
            fixed_clock.advance(seconds=waits[-1].total_seconds())
    assert waits == [timedelta(seconds=2), timedelta(seconds=4), timedelta(seconds=8), timedelta(seconds=16)]
    assert ask(g.grn, code.code, STRANGER) == (200, "balance")
    assert service.failed_attempts(OPERATOR, g.grn) == []


def test_unknown_grns_count_as_wrong_codes_so_the_counter_reveals_nothing(guarantee, fixed_clock):
    unknown = rules.new_grn(2026, "DK009860", 4242)
    answers = [ask(unknown, "AB12", STRANGER) for _ in range(rules_codes.FREE_FAILURES + 1)]
    assert answers[-1] == (429, "guarantee.attempts_backoff")


def test_a_locked_out_caller_is_checked_in_full_even_on_a_guarantee_reserved_on_before(guarantee, fixed_clock):
    g, code = guarantee
    service.check_and_reserve(FORWARDER, g.grn, code.code, "10", "EUR", ["DK"], "M0")  # the fast path knows it now
    for n in range(rules_codes.LOCKOUT_AFTER):
        with pytest.raises(Rejected):
            service.check_and_reserve(FORWARDER, g.grn, wrong(code.code, n), "10", "EUR", ["DK"], f"W{n}")
        fixed_clock.advance(hours=2)
    with pytest.raises(service.TooManyAttempts):
        service.check_and_reserve(FORWARDER, g.grn, code.code, "10", "EUR", ["DK"], "M1")
    assert [r.movement_ref for r in service.reservations("M1")] == []
    service.clear_failed_attempts(OPERATOR, g.grn, FORWARDER)
    assert service.check_and_reserve(FORWARDER, g.grn, code.code, "10", "EUR", ["DK"], "M1").state == "reserved"


def test_wrong_codes_in_declarations_and_balance_queries_count_together(store, client):
    demo.load()  # Padborg Spedition (DK13585628) declares for Jysk Eksport (DK20406089) under its power
    guarantee = next(g for g in demo.demo_guarantees() if g["holder_eori"] == CONSIGNOR and g["type"][0] == "1")
    forwarder = {"Authorization": "Bearer told_demo_forwarder"}
    for n in range(rules_codes.FREE_FAILURES - 1):
        declaration = demo.declaration(CONSIGNOR, representative=FORWARDER)
        declaration["Guarantee"][0]["GuaranteeReference"][0]["accessCode"] = wrong(guarantee["access_code"], n)
        answer = client.post("/api/transit/messages", json=declaration, headers=forwarder)
        assert [a["messageType"] for a in answer.json()["answers"]][-1] == "CC055C"
    guess = client.post("/api/guarantees/balance", headers=forwarder,
                        json={"grn": guarantee["grn"], "access_code": wrong(guarantee["access_code"], 9)})
    assert guess.status_code == 422
    right = client.post("/api/guarantees/balance", headers=forwarder,
                        json={"grn": guarantee["grn"], "access_code": guarantee["access_code"]})
    assert right.status_code == 429 and right.json()["errors"][0]["code"] == "guarantee.attempts_backoff"
    declaration = demo.declaration(CONSIGNOR, representative=FORWARDER)  # the right code, while it waits
    waiting = client.post("/api/transit/messages", json=declaration, headers=forwarder).json()["answers"]
    reasons = waiting[-1]["data"]["GuaranteeReference"][0]["InvalidGuaranteeReason"]
    assert waiting[-1]["messageType"] == "CC055C" and "no code is checked before" in reasons[0]["text"]
    # The holder itself is not held up by its representative's mistakes.
    own = client.post("/api/transit/messages", json=demo.declaration(CONSIGNOR),
                      headers={"Authorization": "Bearer told_demo_consignor"})
    assert [a["messageType"] for a in own.json()["answers"]] == ["CC928C", "CC028C", "CC029C"]


def test_a_wrong_code_in_a_declaration_with_several_guarantees_is_counted_though_nothing_is_reserved(store):
    demo.load()
    from toldsystem.transit.guarantee_check import reserve_guarantees

    vouchers = [g for g in demo.demo_guarantees() if g["holder_eori"] == FORWARDER and g["type"][0] == "4"][:2]
    data = demo.declaration(FORWARDER)
    data["Guarantee"] = [{"sequenceNumber": "1", "guaranteeType": "4", "GuaranteeReference": [
        {"sequenceNumber": "1", "GRN": vouchers[0]["grn"], "accessCode": vouchers[0]["access_code"],
         "amountToBeCovered": "500.00", "currency": "EUR"},
        {"sequenceNumber": "2", "GRN": vouchers[1]["grn"], "accessCode": wrong(vouchers[1]["access_code"]),
         "amountToBeCovered": "500.00", "currency": "EUR"}]}]
    invalid = reserve_guarantees(data, "26DK009264000777J0", caller=STRANGER)
    assert [grn for grn, _problems in invalid] == [vouchers[1]["grn"]]
    assert service.reservations("26DK009264000777J0") == []
    assert [a.caller for a in service.failed_attempts(OPERATOR, vouchers[1]["grn"])] == [STRANGER]


def test_the_holder_sees_who_failed_on_its_guarantee_and_clears_a_lock(store, client, fixed_clock):
    register_company(STRANGER)
    guessing = company_headers(STRANGER)
    holder = company_headers(FORWARDER)
    g, code = comprehensive()
    for n in range(rules_codes.LOCKOUT_AFTER):
        client.post("/api/guarantees/balance", json={"grn": g.grn, "access_code": wrong(code.code, n)},
                    headers=guessing)
        fixed_clock.advance(hours=2)
    seen = client.get(f"/api/guarantees/{g.grn}/failed-attempts", headers=holder).json()
    assert [(a["caller"], a["failures"], a["locked"]) for a in seen] == [(STRANGER, rules_codes.LOCKOUT_AFTER, True)]
    assert client.get(f"/api/guarantees/{g.grn}/failed-attempts", headers=guessing).status_code == 404
    assert client.post(f"/api/guarantees/{g.grn}/failed-attempts/{STRANGER}/clear", headers=guessing
                       ).status_code == 404
    cleared = client.post(f"/api/guarantees/{g.grn}/failed-attempts/{STRANGER}/clear", headers=holder)
    assert cleared.status_code == 200 and cleared.json()["failures"] == rules_codes.LOCKOUT_AFTER
    again = client.post("/api/guarantees/balance", json={"grn": g.grn, "access_code": code.code}, headers=guessing)
    assert again.status_code == 200
