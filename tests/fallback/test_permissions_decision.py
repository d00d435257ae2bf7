"""Permissions and the officer's decision support (seed 002 "Generelt")."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from toldsystem.fallback.rules import permissions as pr
from toldsystem.fallback.rules.decision import Guide, assess_outage, guide_for, planned_downtime_permits, system_back
from toldsystem.fallback.rules.model import Cause, Channel, Outage, Permission, Procedure, Scope

AT = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)
COMPANY, OTHER = "DK13585628", "DK12345674"


def company_permission(**changes) -> Permission:
    base = dict(scope=Scope.COMPANY, procedures=frozenset({Procedure.NCTS}), cause=Cause.TRADER_SYSTEM, granted=True,
                decided_by="officer-3", decided_at=AT, valid_from=AT, valid_until=AT + timedelta(hours=4),
                channel=Channel.MAIL, company=COMPANY, conditions=("key in within 2 working days",))
    base.update(changes)
    return Permission(**base)


def general_permission(**changes) -> Permission:
    base = dict(scope=Scope.GENERAL, procedures=frozenset({Procedure.EXPORT}), cause=Cause.AGENCY_SYSTEM,
                granted=True, decided_by="officer-3", decided_at=AT, valid_from=AT, valid_until=None,
                channel=Channel.BOARD, board_message=41)
    base.update(changes)
    return Permission(**base)


def test_well_recorded_permissions_pass() -> None:
    assert pr.check_permission(company_permission()) == []
    assert pr.check_permission(general_permission()) == []
    assert pr.check_permission(general_permission(ended_at=AT + timedelta(hours=2), end_message=42)) == []


def test_a_company_permission_is_sent_to_a_named_company_not_the_board() -> None:
    assert pr.company_permission_is_sent_to_the_company(company_permission(channel=Channel.BOARD)).code == \
        "fallback.company_on_board"
    assert pr.company_permission_is_sent_to_the_company(company_permission(company="")).code == "fallback.company"
    assert pr.company_permission_is_sent_to_the_company(company_permission(channel=Channel.FAX)) is None


def test_phone_only_when_mail_and_fax_fail() -> None:
    assert pr.phone_only_when_mail_impossible(company_permission(channel=Channel.PHONE)).code == "fallback.phone"
    assert pr.phone_only_when_mail_impossible(company_permission(channel=Channel.PHONE, mail_impossible=True)) is None


def test_a_company_permission_states_how_long() -> None:
    assert pr.company_permission_states_its_period(company_permission(valid_until=None)).code == "fallback.period"
    assert pr.company_permission_states_its_period(company_permission(valid_until=AT)) is not None
    assert pr.company_permission_states_its_period(company_permission(granted=False, valid_until=None)) is None


def test_a_general_permission_and_its_end_are_on_the_board() -> None:
    assert pr.general_permission_is_on_the_board(general_permission(board_message=None)).code == \
        "fallback.general_unpublished"
    assert pr.general_permission_is_on_the_board(general_permission(channel=Channel.MAIL)) is not None
    assert pr.general_end_is_on_the_board(general_permission(ended_at=AT)).code == "fallback.end_unpublished"


def test_the_cause_fits_each_procedure() -> None:
    assert pr.permission_names_procedures_and_a_cause_they_allow(company_permission(procedures=frozenset())).code \
        == "fallback.procedures"
    no_mrn = company_permission(cause=Cause.NO_MRN, procedures=frozenset({Procedure.EXPORT, Procedure.NCTS}))
    assert [p.code for p in pr.permission_names_procedures_and_a_cause_they_allow(no_mrn)] == ["fallback.cause"]
    assert pr.permission_names_procedures_and_a_cause_they_allow(company_permission(
        cause=Cause.NO_MRN, procedures=frozenset({Procedure.EXPORT}))) == []


def test_a_permission_is_an_officers_decision() -> None:
    assert pr.decided_by_an_officer(company_permission(decided_by=" ")).code == "fallback.officer"


def test_may_use_fallback_with_a_permission_in_force_only() -> None:
    p = company_permission()
    assert pr.may_use_fallback(COMPANY, Procedure.NCTS, AT + timedelta(hours=1), [p]).allowed
    assert not pr.may_use_fallback(OTHER, Procedure.NCTS, AT + timedelta(hours=1), [p]).allowed
    assert not pr.may_use_fallback(COMPANY, Procedure.NCTS, AT + timedelta(hours=4), [p]).allowed
    assert not pr.may_use_fallback(COMPANY, Procedure.EXPORT, AT, [p]).allowed
    refused = replace(p, granted=False)
    assert "70 15 73 01" in pr.may_use_fallback(COMPANY, Procedure.NCTS, AT, [refused]).en


def test_a_general_permission_covers_everyone_until_its_end_and_the_manifest_departure_with_export() -> None:
    p = general_permission(ended_at=AT + timedelta(hours=2), end_message=42)
    assert pr.may_use_fallback(OTHER, Procedure.EXPORT, AT + timedelta(minutes=5), [p]).permission == p
    assert pr.may_use_fallback(OTHER, Procedure.MANIFEST_DEPARTURE, AT, [p]).allowed
    assert not pr.may_use_fallback(OTHER, Procedure.MANIFEST_ARRIVAL, AT, [p]).allowed
    assert not pr.may_use_fallback(OTHER, Procedure.EXPORT, AT + timedelta(hours=2), [p]).allowed


def test_fallback_ends_when_the_system_is_announced_back() -> None:
    p = general_permission()
    back = AT + timedelta(minutes=90)
    assert pr.may_use_fallback(OTHER, Procedure.EXPORT, back - timedelta(seconds=1), [p], back_at=back).allowed
    ended = pr.may_use_fallback(OTHER, Procedure.EXPORT, back, [p], back_at=back)
    assert not ended.allowed and "ophørt" in ended.da
    assert pr.permission_ends_at(p, back) == back
    assert pr.permission_ends_at(company_permission(), AT + timedelta(hours=5)) == AT + timedelta(hours=4)
    assert pr.permission_ends_at(p) is None


def test_the_import_sad_needs_no_permission() -> None:
    assert pr.may_use_fallback(COMPANY, Procedure.IMPORT, AT, []).allowed


# --- decision support ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("minutes", "guide"), [(0, Guide.BELOW), (29, Guide.BELOW), (30, Guide.WITHIN),
                                                (60, Guide.WITHIN), (61, Guide.ABOVE)])
def test_the_30_to_60_minute_guide_at_its_boundaries(minutes: int, guide: Guide) -> None:
    assert guide_for(timedelta(minutes=minutes)) == guide


def test_the_assessment_shows_how_long_it_has_lasted_and_will_last() -> None:
    o = Outage("dms_export", AT, expected_end=AT + timedelta(minutes=45))
    a = assess_outage(o, AT + timedelta(minutes=10))
    assert (a.lasted, a.expected, a.guide, a.planned_always_permits, a.ended) == (
        timedelta(minutes=10), timedelta(minutes=45), Guide.WITHIN, False, False)
    assert "down 10 min, expected 45 min" in a.en
    assert assess_outage(Outage("dms_export", AT), AT + timedelta(minutes=70)).guide == Guide.ABOVE


def test_planned_downtime_announced_in_advance_over_60_minutes_always_permits() -> None:
    planned = Outage("manifest", AT, expected_end=AT + timedelta(minutes=61), planned=True,
                     announced_at=AT - timedelta(days=2))
    assert planned_downtime_permits(planned)
    assert "always permitted" in assess_outage(planned, AT).en
    assert not planned_downtime_permits(replace(planned, expected_end=AT + timedelta(minutes=60)))
    assert not planned_downtime_permits(replace(planned, announced_at=AT + timedelta(minutes=1)))
    assert not planned_downtime_permits(replace(planned, planned=False))


def test_fallback_has_ended_once_the_system_is_back_and_the_board_is_quoted() -> None:
    o = Outage("dms_import", AT, back_at=AT + timedelta(minutes=40), board_fallback="not_allowed")
    assert not system_back(o, AT + timedelta(minutes=39))
    early = assess_outage(o, AT + timedelta(minutes=39))
    assert "not allowed" in early.en
    late = assess_outage(o, AT + timedelta(hours=3))
    assert late.ended and late.lasted == timedelta(minutes=40) and "ended" in late.en


def test_temporary_storage_follows_the_import_rules_and_needs_no_permission() -> None:
    assert pr.may_use_fallback(COMPANY, Procedure.MANIFEST_STORAGE, AT, []).allowed
    assert not pr.may_use_fallback(COMPANY, Procedure.MANIFEST_ARRIVAL, AT, []).allowed
