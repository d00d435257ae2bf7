"""The steps after lodging on both stores: each step, its event and notification, each refusal with its code
and pointer, and another company's MRN answered exactly as an unknown one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from toldsystem.core.errors import Conflict, Forbidden, NotFound
from toldsystem.export import messages, reading, rules, service
from tests.export.messages.helpers import replaced, sample
from tests.export.service.helpers import (DECLARANT, ELSEWHERE_OFFICER, EXIT_OFFICER, EXPORT_OFFICER, OTHER,
                                          arrival, arrived, lodged)


def code_of(raised) -> tuple[str, str]:
    return raised.value.problems[0].code, raised.value.problems[0].pointer


def test_the_whole_way_from_release_to_exit_confirmed_with_an_event_and_a_notification_each(store):
    mrn = lodged()
    assert service.release(EXPORT_OFFICER, mrn, reason="green").status == "released"
    assert service.present_at_exit(EXIT_OFFICER, mrn).status == "presented_at_exit"
    arrived_outcome = service.receive_xml(EXIT_OFFICER, arrival(mrn))
    assert arrived_outcome.status == "arrived_at_exit"
    exited = service.confirm_exit(EXIT_OFFICER, mrn)
    assert exited.status == "exited"
    seen = reading.declaration(DECLARANT, mrn)
    assert seen.status == "exited" and all(seen.times[t] for t in reading.TIMES)
    assert seen.times["arrived_at_exit_at"] == datetime(2026, 12, 1, 9, 10, tzinfo=UTC)  # 10:10 Danish time
    assert [e.event for e in reading.events(DECLARANT, mrn)] == [
        "lodged", "release", "present_at_exit", "arrive_at_exit", "confirm_exit"]
    kinds = [n.event_type for n in reading.notifications(DECLARANT, mrn)]
    assert kinds == ["ACCEPTED", "RELEASED_FOR_EXPORT", "PRESENTED_AT_EXIT", "ARRIVED_AT_EXIT", "EXIT_CONFIRMED"]
    for n in reading.notifications(DECLARANT, mrn):
        assert not messages.validate_data("notification", n.data), n.event_type


def test_the_officers_decision_is_kept_with_who_made_it_and_why(store):
    mrn = lodged()
    service.select_for_control(EXPORT_OFFICER, mrn, lane="physical", reason="random selection")
    service.release(EXPORT_OFFICER, mrn, reason="control found in order")
    control, release = reading.events(DECLARANT, mrn)[1:]
    assert control.detail == {"decision": "select_for_control", "by": "Officer Olsen", "office": "DK003102",
                              "reason": "random selection", "chosen_by": "officer", "lane": "physical"}
    assert release.detail["reason"] == "control found in order" and release.actor == "officer:Officer Olsen@DK003102"


def test_a_step_the_transitions_do_not_allow_is_refused_and_changes_nothing(store):
    mrn = lodged()
    with pytest.raises(Conflict) as refused:
        service.present_at_exit(EXIT_OFFICER, mrn)
    assert code_of(refused) == ("export.transition.not_allowed", "/status")
    with pytest.raises(Conflict):
        service.confirm_exit(EXIT_OFFICER, mrn)
    assert reading.declaration(DECLARANT, mrn).status == "accepted"
    assert len(reading.events(DECLARANT, mrn)) == 1


def test_an_arrival_before_presentation_is_refused_with_its_pointer(store):
    mrn = lodged()
    service.release(EXPORT_OFFICER, mrn)
    with pytest.raises(Conflict) as refused:
        service.receive_xml(EXIT_OFFICER, arrival(mrn))
    assert code_of(refused) == ("export.arrival.not_presented", "/CC507C/ExportOperation/MRN")


def test_the_arrival_comes_from_the_office_of_exit_not_from_a_company(store):
    mrn = lodged()
    with pytest.raises(Forbidden):
        service.receive_xml(DECLARANT, arrival(mrn))


def test_officers_of_another_office_and_companies_cannot_decide(store):
    mrn = lodged()
    for party in (ELSEWHERE_OFFICER, EXIT_OFFICER, DECLARANT):
        with pytest.raises(NotFound):
            service.release(party, mrn)
    with pytest.raises(NotFound):
        service.select_for_control(DECLARANT, mrn)


def test_another_companys_mrn_answers_exactly_as_an_unknown_one(store):
    mrn = lodged()
    unknown = "26DK0031020000XXA0"
    for call in (lambda m: reading.declaration(OTHER, m), lambda m: service.invalidate(OTHER, m),
                 lambda m: reading.events(OTHER, m), lambda m: reading.notifications(OTHER, m)):
        with pytest.raises(NotFound) as theirs:
            call(mrn)
        with pytest.raises(NotFound) as none:
            call(unknown)
        assert theirs.value.problems[0].code == none.value.problems[0].code == "export.mrn.unknown"
        assert theirs.value.problems[0].en.replace(mrn, unknown) == none.value.problems[0].en


def test_invalidation_before_exit_and_not_once_the_goods_are_at_the_office_of_exit(store):
    first = lodged("LRN-INV-1")
    outcome = service.invalidate(DECLARANT, first, reason="order cancelled")
    assert outcome.status == "invalidated" and outcome.notifications[0].event_type == "INVALIDATED"
    second = lodged("LRN-INV-2")
    service.release(EXPORT_OFFICER, second)
    service.present_at_exit(EXIT_OFFICER, second)
    with pytest.raises(Conflict):
        service.invalidate(DECLARANT, second)


def test_an_invalidation_message_invalidates_the_mrn_it_names(store):
    mrn = lodged("LRN-EX-2026-000101")
    body = sample("b1_invalidation")
    found = messages.parse_export(body).data
    body = replaced(body, messages.value_of(found["ID"]), mrn)
    assert service.receive_xml(DECLARANT, body).status == "invalidated"


def test_an_amendment_before_release_and_a_correction_after(store):
    body = sample("b1_amendment")
    data = messages.parse_export(body).data
    lrn, old = messages.value_of(data["FunctionalReferenceID"]), messages.value_of(data["ID"])
    mrn = lodged(lrn)
    outcome = service.receive_xml(DECLARANT, replaced(body, old, mrn))
    assert outcome.status == "accepted" and outcome.notifications[0].event_type == "AMENDED"
    assert "Amendment" not in reading.declaration(DECLARANT, mrn).data
    service.release(EXPORT_OFFICER, mrn)
    corrected = service.receive_xml(DECLARANT, replaced(body, old, mrn))
    assert corrected.status == "released"
    assert [e.event for e in reading.events(DECLARANT, mrn)][-3:] == ["amend", "release", "correct"]


def test_a_manifest_departure_confirms_the_exit_of_what_arrived_and_says_why_not_for_the_rest(store):
    ready, early = arrived("LRN-DEP-1"), lodged("LRN-DEP-2")
    left = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    departure = rules.Departure("DEP-0001", "DK004700", left, (
        rules.DepartureConsignment(1, ready), rules.DepartureConsignment(2, early),
        rules.DepartureConsignment(3, rules.FALLBACK_EXEMPTION_CODE), rules.DepartureConsignment(4, ready)))
    results = service.confirm_departure(EXIT_OFFICER, departure, document="BL-778")
    assert results[0].outcome.status == "exited"
    assert results[1].problem.code == "export.exit.not_arrived" and results[1].problem.pointer == (
        "/Departure/Consignment[2]")
    assert results[2].outcome is None and results[2].problem is None
    assert results[3].problem.code == "export.exit.already_confirmed"
    seen = reading.declaration(DECLARANT, ready)
    assert seen.times["exited_at"] == left
    assert reading.events(DECLARANT, ready)[-1].detail == {"office": "DK004700", "departure": "DEP-0001",
                                                           "document": "BL-778"}
    exit_note = reading.notifications(DECLARANT, ready)[-1].data
    assert "DEP-0001" in exit_note["AdditionalInformation"]["StatementDescription"]


def test_confirm_exit_named_by_a_departure_refuses_an_export_begun_under_fallback(store):
    mrn = service.lodge(DECLARANT, service.read_xml(sample("b1_standard")), fallback=True).mrn
    with pytest.raises(Conflict) as refused:
        service.confirm_exit(DECLARANT, mrn, departure="DEP-2", office="DK004700")
    assert code_of(refused)[0] == "export.fallback.in_departure"
