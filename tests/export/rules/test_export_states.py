"""The transitions table, tested exhaustively: every (status, event) pair is either the one allowed next
status or a refusal that says why."""

from __future__ import annotations

import itertools

import pytest

from toldsystem.core.errors import Problem
from toldsystem.export.rules import DeclarationKind, Event, Status, allowed_events, initial_status, next_status

S, E = Status, Event
EXPECTED = {
    (S.PRE_LODGED, E.GOODS_PRESENTED): S.ACCEPTED, (S.PRE_LODGED, E.AMEND): S.PRE_LODGED,
    (S.PRE_LODGED, E.INVALIDATE): S.INVALIDATED,
    (S.ACCEPTED, E.RELEASE): S.RELEASED, (S.ACCEPTED, E.SELECT_FOR_CONTROL): S.UNDER_CONTROL,
    (S.ACCEPTED, E.AMEND): S.ACCEPTED, (S.ACCEPTED, E.INVALIDATE): S.INVALIDATED,
    (S.UNDER_CONTROL, E.RELEASE): S.RELEASED, (S.UNDER_CONTROL, E.INVALIDATE): S.INVALIDATED,
    (S.RELEASED, E.PRESENT_AT_EXIT): S.PRESENTED_AT_EXIT, (S.RELEASED, E.CORRECT): S.RELEASED,
    (S.RELEASED, E.INVALIDATE): S.INVALIDATED,
    (S.PRESENTED_AT_EXIT, E.ARRIVE_AT_EXIT): S.ARRIVED_AT_EXIT, (S.PRESENTED_AT_EXIT, E.CORRECT): S.PRESENTED_AT_EXIT,
    (S.ARRIVED_AT_EXIT, E.CONFIRM_EXIT): S.EXITED, (S.ARRIVED_AT_EXIT, E.CORRECT): S.ARRIVED_AT_EXIT,
    (S.EXITED, E.CORRECT): S.EXITED,
}


@pytest.mark.parametrize(("status", "event"), list(itertools.product(Status, Event)))
def test_every_pair_of_status_and_event(status, event):
    found = next_status(status, event)
    if (status, event) in EXPECTED:
        assert found == EXPECTED[(status, event)]
    else:
        assert isinstance(found, Problem) and found.code == "export.transition.not_allowed"
        assert found.en and found.da


def test_the_main_path_from_acceptance_to_exit():
    status = S.ACCEPTED
    for event in (E.SELECT_FOR_CONTROL, E.RELEASE, E.PRESENT_AT_EXIT, E.ARRIVE_AT_EXIT, E.CONFIRM_EXIT):
        status = next_status(status, event)
    assert status == S.EXITED


def test_the_exit_is_confirmed_only_after_the_arrival_at_exit():
    assert isinstance(next_status(S.RELEASED, E.CONFIRM_EXIT), Problem)
    assert isinstance(next_status(S.PRESENTED_AT_EXIT, E.CONFIRM_EXIT), Problem)


def test_no_amendment_once_a_control_is_announced_nor_after_release():
    assert isinstance(next_status(S.UNDER_CONTROL, E.AMEND), Problem)
    assert isinstance(next_status(S.RELEASED, E.AMEND), Problem)


def test_no_invalidation_once_the_goods_are_at_the_exit():
    for status in (S.PRESENTED_AT_EXIT, S.ARRIVED_AT_EXIT, S.EXITED, S.INVALIDATED):
        assert isinstance(next_status(status, E.INVALIDATE), Problem)


def test_an_invalidated_declaration_takes_nothing():
    assert allowed_events(S.INVALIDATED) == frozenset()


def test_allowed_events_agree_with_next_status():
    for status in Status:
        assert allowed_events(status) == {e for e in Event if not isinstance(next_status(status, e), Problem)}


@pytest.mark.parametrize(("kind", "status"), [
    (DeclarationKind.STANDARD, S.ACCEPTED), (DeclarationKind.SIMPLIFIED, S.ACCEPTED),
    (DeclarationKind.SUPPLEMENTARY, S.ACCEPTED), (DeclarationKind.PRE_LODGED_STANDARD, S.PRE_LODGED),
    (DeclarationKind.PRE_LODGED_SIMPLIFIED, S.PRE_LODGED)])
def test_pre_lodged_declarations_start_waiting_for_the_goods(kind, status):
    assert initial_status(kind) == status
