"""Fallback exports are not named in a departure manifest (the exemption code is), and a Manifest departure
inserts the exit confirmation into the declarations it names, once, after the arrival at exit."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toldsystem.export.rules import (FALLBACK_EXEMPTION_CODE, DeclarationKind, Departure, DepartureConsignment,
                                     ExitEvent, ExportDeclaration, Status, departure_may_name, departure_reference,
                                     exit_confirmations, export_mrn, fallback_follow_up)
from toldsystem.export.rules.fallback import REMARK_EXITED_BY_OFFICE, REMARK_NO_MRN, FollowUp, copy_2_due

AT = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)


def mrn(count: int) -> str:
    return export_mrn("DK003102", 2026, count, None, "A")


def export(count: int, status: Status = Status.ARRIVED_AT_EXIT, *, fallback: bool = False) -> ExportDeclaration:
    return ExportDeclaration(lrn=f"LRN-{count}", mrn=mrn(count), kind=DeclarationKind.STANDARD, status=status,
                             exit_office="DK004700", started_under_fallback=fallback)


def departure(*references: str) -> Departure:
    return Departure(reference="DEP-1", office="DK004700", departed_at=AT,
                     consignments=tuple(DepartureConsignment(i, ref) for i, ref in enumerate(references, start=1)))


def test_an_ordinary_export_may_be_named_by_its_mrn():
    declaration = export(1)
    assert departure_may_name(declaration) is None
    assert departure_reference(declaration) == declaration.mrn


def test_an_export_started_under_fallback_may_not_be_named():
    declaration = export(2, fallback=True)
    found = departure_may_name(declaration)
    assert found.code == "export.fallback.in_departure" and FALLBACK_EXEMPTION_CODE in found.en
    assert departure_reference(declaration) == FALLBACK_EXEMPTION_CODE


def test_an_export_without_an_mrn_is_named_by_the_exemption_code():
    declaration = ExportDeclaration("LRN-9", None, DeclarationKind.STANDARD, Status.RELEASED, "DK004700")
    assert departure_reference(declaration) == FALLBACK_EXEMPTION_CODE


def test_the_departure_confirms_the_exit_of_each_export_it_names():
    outcomes = exit_confirmations(departure(mrn(1), mrn(2)), [export(1), export(2), export(3)])
    assert [o.event for o in outcomes] == [ExitEvent(mrn(1), AT, "DK004700", "DEP-1"),
                                           ExitEvent(mrn(2), AT, "DK004700", "DEP-1")]
    assert all(o.problem is None for o in outcomes)


def test_the_actual_office_of_exit_is_the_departures():
    other = Departure("DEP-2", "DK005600", AT, (DepartureConsignment(1, mrn(1)),))
    (outcome,) = exit_confirmations(other, [export(1)])
    assert outcome.event.exit_office == "DK005600"


def test_a_fallback_export_named_in_a_departure_gets_no_exit_but_a_problem_at_its_consignment():
    (outcome,) = exit_confirmations(departure(mrn(4)), [export(4, fallback=True)])
    assert outcome.event is None
    assert outcome.problem.code == "export.fallback.in_departure"
    assert outcome.problem.pointer == "/Departure/Consignment[1]"


def test_the_exemption_code_inserts_nothing_and_is_no_problem():
    (outcome,) = exit_confirmations(departure(FALLBACK_EXEMPTION_CODE), [export(5, fallback=True)])
    assert outcome.event is None and outcome.problem is None


def test_an_unknown_mrn_is_a_problem():
    (outcome,) = exit_confirmations(departure(mrn(6)), [export(7)])
    assert outcome.problem.code == "export.exit.unknown_mrn"


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.UNDER_CONTROL, Status.RELEASED,
                                    Status.PRESENTED_AT_EXIT, Status.PRE_LODGED, Status.INVALIDATED])
def test_no_exit_before_the_arrival_at_exit(status):
    (outcome,) = exit_confirmations(departure(mrn(8)), [export(8, status)])
    assert outcome.event is None and outcome.problem.code == "export.exit.not_arrived"


def test_an_exit_already_confirmed_is_not_confirmed_again():
    (outcome,) = exit_confirmations(departure(mrn(9)), [export(9, Status.EXITED)])
    assert outcome.problem.code == "export.exit.already_confirmed"


def test_an_mrn_named_twice_in_one_departure_is_confirmed_once():
    first, second = exit_confirmations(departure(mrn(10), mrn(10)), [export(10)])
    assert first.event is not None and second.event is None
    assert second.problem.code == "export.exit.already_confirmed"


@given(st.lists(st.sampled_from(list(Status)), min_size=1, max_size=40))
def test_exactly_the_arrived_exports_are_confirmed(statuses):
    declarations = [export(i, status) for i, status in enumerate(statuses)]
    outcomes = exit_confirmations(departure(*(d.mrn for d in declarations)), declarations)
    confirmed = [o.event.mrn for o in outcomes if o.event]
    assert confirmed == [d.mrn for d in declarations if d.status == Status.ARRIVED_AT_EXIT]
    assert all((o.event is None) != (o.problem is None) for o in outcomes)


def test_copy_2_is_due_within_a_week():
    assert copy_2_due(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == date(2026, 12, 8)


@pytest.mark.parametrize(("registered", "mrn_given", "action", "remark"), [
    (False, None, FollowUp.ENTER_SUBSEQUENT, "Nødprocedure"),
    (True, "26DK003102000001A5", FollowUp.CLOSE_WITH_ARRIVAL_AND_EXIT, REMARK_EXITED_BY_OFFICE),
    (True, None, FollowUp.REMARK_NO_MRN, REMARK_NO_MRN)])
def test_the_follow_up_of_a_fallback_export(registered, mrn_given, action, remark):
    step = fallback_follow_up(registered, mrn_given)
    assert step.action == action and step.remark == remark
