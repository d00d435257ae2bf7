"""The board's rules without a store (SPEC O): what a message must be, recurring windows in Danish wall-clock
time, where a message stands at an instant, and what the availability board answers each channel."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from toldsystem.core.clock import COPENHAGEN
from toldsystem.operations import periods, rules, windows
from toldsystem.operations.availability import Board
from toldsystem.operations.rules import Effect, Message
from toldsystem.operations.systems import only_systems, systems_named

CPH = COPENHAGEN


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=CPH).astimezone(timezone.utc)


def window(start, end, **fields) -> Message:
    base = dict(systems=("dms_transit",), environments=("PRD",), kind=rules.SERVICE_WINDOW, title="PRD-servicewindow",
                body="", created=at(2026, 5, 1, 9, 0), updated=at(2026, 5, 1, 9, 0), window_start=start,
                window_end=end, effects=(Effect("file", "rejected"),))
    return Message(**(base | fields))


def codes(found) -> list[str]:
    return [p.code for p in found]


# --- what a message must be -----------------------------------------------------------------------------------

def test_a_window_must_end_after_it_starts():
    assert codes(rules.check_window(at(2026, 5, 20, 13), at(2026, 5, 20, 12), None)) == ["ops.window_order"]
    assert codes(rules.check_window(at(2026, 5, 20, 12), None, None)) == ["ops.window_half"]
    assert rules.check_window(at(2026, 5, 20, 12), at(2026, 5, 20, 13), None) == []


def test_a_message_names_only_systems_the_board_knows():
    found = rules.check_message(window(at(2026, 5, 20, 12), at(2026, 5, 20, 13), systems=("dms_transit", "NCTS4")))
    assert [(p.code, p.pointer) for p in found] == [("ops.system_unknown", "systems/1")]
    assert codes(rules.check_systems(())) == ["ops.systems_missing"]


def test_effects_state_what_their_channel_can_be():
    found = rules.check_effects((Effect("file", "unavailable"), Effect("fax", "rejected"),
                                 Effect("online", "unavailable", ("manifest", "nowhere"))))
    assert [(p.code, p.pointer) for p in found] == [("ops.effect_state", "effects/0/state"),
                                                    ("ops.effect_channel", "effects/1/channel"),
                                                    ("ops.system_unknown", "effects/2/systems/1")]


def test_work_orders_are_the_agencys_change_and_incident_numbers():
    assert rules.check_work_order("WO0000001522444") == rules.check_work_order("INC000001772158") == []
    assert codes(rules.check_work_order("WO-1")) == ["ops.work_order"]


def test_a_past_window_is_changed_only_with_a_note():
    message = window(at(2026, 5, 20, 12), at(2026, 5, 20, 13))
    after = at(2026, 5, 21, 9)
    assert codes(rules.check_note_for_past_window(message, message.window_end, "", after)) == ["ops.past_window_note"]
    assert rules.check_note_for_past_window(message, message.window_end, "wrong end time announced", after) == []
    assert rules.check_note_for_past_window(message, message.window_end, "", at(2026, 5, 20, 12, 30)) == []


def test_an_extension_ends_the_window_later_and_an_end_comes_after_the_start():
    message = window(at(2026, 5, 20, 12), at(2026, 5, 20, 13))
    assert codes(rules.check_extension(message, at(2026, 5, 20, 12, 30))) == ["ops.extend_earlier"]
    assert rules.check_extension(message, at(2026, 5, 20, 14)) == []
    assert codes(rules.check_end(message, at(2026, 5, 20, 11))) == ["ops.end_before_start"]
    ended = rules.ended(message, at(2026, 5, 20, 12, 40))
    assert (ended.status, ended.window_end) == (rules.ENDED, at(2026, 5, 20, 12, 40))
    disruption = replace(message, kind=rules.DISRUPTION, window_start=None, window_end=None)
    assert rules.ended(disruption, at(2026, 5, 2)).kind == rules.BACK_TO_NORMAL


def test_a_recurrence_is_an_rrule_at_most_daily():
    assert rules.check_message(window(at(2026, 5, 19, 18), at(2026, 5, 19, 23), recurrence="FREQ=MONTHLY;BYDAY=+3TU")) == []
    assert codes(windows.check_recurrence("FREQ=MINUTELY")) == ["ops.recurrence_frequency"]
    assert codes(windows.check_recurrence("FREQ=WEEKLY;BYDAY=XX")) == ["ops.recurrence"]


# --- recurring windows and phases ----------------------------------------------------------------------------

def test_every_third_tuesday_18_to_23_stays_18_to_23_across_summer_time():
    # third Tuesday of January 2026 is the 20th; of July, the 21st (summer time)
    monthly = window(at(2026, 1, 20, 18), at(2026, 1, 20, 23), recurrence="FREQ=MONTHLY;BYDAY=+3TU")
    found = periods.periods(monthly, at(2026, 1, 1), at(2026, 8, 1))
    assert [s.astimezone(CPH).strftime("%m-%d %H:%M") for s, _ in found] == [
        "01-20 18:00", "02-17 18:00", "03-17 18:00", "04-21 18:00", "05-19 18:00", "06-16 18:00", "07-21 18:00"]
    assert all(e - s == timedelta(hours=5) for s, e in found)
    assert periods.period_at(monthly, at(2026, 7, 21, 22, 59)) == (at(2026, 7, 21, 18), at(2026, 7, 21, 23))
    assert periods.period_at(monthly, at(2026, 7, 21, 23)) is None
    assert periods.next_period(monthly, at(2026, 7, 22)) == (at(2026, 8, 18, 18), at(2026, 8, 18, 23))
    assert periods.last_end(monthly) is None  # it recurs without end


def test_a_recurrence_with_a_count_ends_with_its_last_occurrence():
    weekly = window(at(2026, 5, 4, 6), at(2026, 5, 4, 7), recurrence="FREQ=WEEKLY;COUNT=3")
    assert periods.last_end(weekly) == at(2026, 5, 18, 7)
    assert periods.phase(weekly, at(2026, 5, 19)) == periods.PAST


def test_where_a_message_stands():
    message = window(at(2026, 5, 20, 12), at(2026, 5, 20, 13))
    assert [periods.phase(message, t) for t in (at(2026, 5, 20, 11), at(2026, 5, 20, 12), at(2026, 5, 20, 13))] == [
        periods.UPCOMING, periods.CURRENT, periods.PAST]
    disruption = replace(message, kind=rules.DISRUPTION, window_start=None, window_end=None)
    assert periods.phase(disruption, at(2026, 6, 1)) == periods.CURRENT  # open until it is over
    assert periods.phase(replace(disruption, status=rules.ENDED, ended_at=at(2026, 5, 2)), at(2026, 6, 1)) == periods.PAST
    assert periods.phase(replace(message, status=rules.WITHDRAWN), at(2026, 5, 20, 12)) == periods.PAST


# --- the availability board --------------------------------------------------------------------------------

def test_the_board_rejects_queues_and_degrades_as_its_messages_say():
    rejected = window(at(2026, 5, 20, 12), at(2026, 5, 20, 13), id=1, effects=(Effect("file", "rejected"),))
    queued = window(at(2026, 5, 20, 12), at(2026, 5, 20, 14), id=2, systems=("import",),
                    effects=(Effect("file", "queued"), Effect("online", "unavailable")))
    slow = window(at(2026, 5, 20, 11), at(2026, 5, 20, 15), id=3, systems=("dms_transit", "import"),
                  effects=(Effect("response_times", "extended"),))
    board = Board([rejected, queued, slow])
    inside = at(2026, 5, 20, 12, 30)
    answer = board.availability("dms_transit", "PRD", "file", inside)
    assert (answer.state, answer.message.id, answer.until) == ("rejected", 1, at(2026, 5, 20, 13))
    assert board.availability("import", "PRD", "file", inside).state == "queued"
    assert board.availability("import", "PRD", "online", inside).state == "rejected"
    assert board.availability("dms_transit", "PRD", "online", inside).state == "degraded"
    assert board.availability("dms_transit", "PRD", "file", at(2026, 5, 20, 13, 30)).state == "degraded"
    assert board.availability("dms_transit", "TFE", "file", inside).state == "available"  # another environment
    assert board.availability("manifest", "PRD", "file", inside).available
    assert board.availability("dms_transit", "PRD", "file", at(2026, 5, 20, 15)).available


def test_an_effect_names_its_own_systems_and_tfe_stands_for_every_test_system():
    gateways = window(at(2026, 5, 20, 18), at(2026, 5, 20, 19), systems=("dms_import", "manifest"),
                      effects=(Effect("file", "rejected", ("manifest",)), Effect("online", "available", ("manifest",))))
    test = window(at(2026, 5, 20, 12), at(2026, 5, 20, 16), systems=("tfe",), environments=("TFE",),
                  effects=(Effect("file", "rejected"),))
    board = Board([gateways, test])
    assert board.availability("manifest", "PRD", "file", at(2026, 5, 20, 18, 30)).state == "rejected"
    assert board.availability("dms_import", "PRD", "file", at(2026, 5, 20, 18, 30)).available
    assert board.availability("dms_transit", "TFE", "file", at(2026, 5, 20, 13)).state == "rejected"
    assert board.availability("dms_transit", "PRD", "file", at(2026, 5, 20, 13)).available


def test_a_withdrawn_or_ended_window_governs_nothing_more():
    message = window(at(2026, 5, 20, 12), at(2026, 5, 20, 16))
    board = Board([replace(message, status=rules.WITHDRAWN)])
    assert board.availability("dms_transit", "PRD", "file", at(2026, 5, 20, 13)).available
    ended = Board([rules.ended(message, at(2026, 5, 20, 13))])
    assert ended.availability("dms_transit", "PRD", "file", at(2026, 5, 20, 12, 59)).state == "rejected"
    assert ended.availability("dms_transit", "PRD", "file", at(2026, 5, 20, 13)).available


def test_a_recurring_window_governs_each_occurrence():
    monthly = window(at(2026, 1, 20, 18), at(2026, 1, 20, 23), recurrence="FREQ=MONTHLY;BYDAY=+3TU")
    board = Board([monthly])
    assert board.availability("dms_transit", "PRD", "file", at(2026, 7, 21, 20)).state == "rejected"
    assert board.availability("dms_transit", "PRD", "file", at(2026, 7, 22, 20)).available


def test_groups_roll_up_the_most_severe_state_of_their_systems_and_open_disruptions_degrade():
    outage = window(at(2026, 5, 20, 12), at(2026, 5, 20, 13), id=1)
    trouble = Message(systems=("emcs",), environments=("PRD",), kind=rules.DISRUPTION, title="EMCS login issues",
                      body="", created=at(2026, 5, 20, 8), updated=at(2026, 5, 20, 8), id=2)
    rolled = Board([outage, trouble]).rollup("PRD", at(2026, 5, 20, 12, 30))
    assert rolled["dms"]["state"] == "rejected" and rolled["dms"]["systems"]["dms_import"] == "available"
    assert rolled["dms"]["messages"] == {1}
    assert rolled["excise"]["state"] == "degraded" and rolled["excise"]["messages"] == {2}
    assert rolled["classic"]["state"] == "available"


# --- the systems the page's texts name ---------------------------------------------------------------------

def test_the_texts_names_for_systems():
    assert systems_named("DMS Import/DMS Export/DMS Forsendelse") == ("dms_import", "dms_export", "dms_transit")
    assert systems_named("Traderportal, EU-CTP and IPEP with UUM&DS") == ("eu_systems",)
    assert systems_named("the Import") == ("import",)
    assert only_systems("TEST/TFE DMS Import/DMS Eksport") == ("dms_import", "dms_export")
    assert only_systems("Import Control System (ICS)/Manifest") == ("ics", "manifest")
    assert only_systems("The Danish Customs Agency") == ()
