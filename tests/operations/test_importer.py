"""The importer of the agency's page text (SPEC O, seed 001), without a store: the agency's own page
(tests/operations/data/driftsmeddelelser-2024-2025.txt, the project's ../shared/ops/ text) read into the
right number of messages with the fields checked by hand against the text, and page texts of our own in the
same format with the variations a real page has (run-together lines, unknown categories, Danish dates,
windows across midnight, a text that stops)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from toldsystem.core.clock import COPENHAGEN
from toldsystem.operations import importer
from toldsystem.operations.importer import page, phrases
from toldsystem.operations.rules import Effect

DATA = Path(__file__).parent / "data"
AGENCY = DATA / "driftsmeddelelser-2024-2025.txt"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
DMS = ("dms_import", "dms_export", "dms_transit")


def cph(*parts) -> datetime:
    return datetime(*parts, tzinfo=COPENHAGEN).astimezone(timezone.utc)


@pytest.fixture(scope="module")
def agency() -> importer.Parsed:
    return importer.parse(AGENCY.read_text(encoding="utf-8"), NOW)


def latest(parsed: importer.Parsed, created: str, title: str):
    """The newest version of the message created at `created` (DD-MM-YYYY HH:MM, Danish) with this title."""
    when = datetime.strptime(created, "%d-%m-%Y %H:%M")
    return next(m for m in parsed.messages if m.key == f"{when:%Y-%m-%dT%H:%M:%S}|{title}").versions[-1]


# --- the agency's page ------------------------------------------------------------------------------------------

def test_the_agencys_page_holds_234_messages_in_698_blocks(agency):
    # 698 blocks, each message repeated under each of its categories; three appear in two versions
    assert agency.blocks == 698
    assert len(agency.messages) == 234
    assert sum(len(m.versions) for m in agency.messages) == 237
    assert all(m.versions[-1].created <= m.versions[-1].updated for m in agency.messages)


def test_categories_title_updated_and_created_are_taken_apart_where_they_run_together(agency):
    pous = latest(agency, "29-08-2025 17:20", "Periodic performance issues with PoUS")
    assert pous.systems == ("eu_systems",)
    assert pous.updated == cph(2026, 3, 17, 9, 38) and pous.created == cph(2025, 8, 29, 17, 20)
    assert pous.fallback == "not_allowed" and pous.work_order == ""
    assert pous.body.startswith("We are experiencing periodic performance issues with the EU-system PoUS.")
    limit = latest(agency, "15-12-2025 17:48", "DMS eksport, Information - Temporary limitation to 300 goods")
    assert limit.systems == ("dms_export",) and limit.kind == "information"
    assert limit.work_order == "WO0000001522444" and "WO0000001522444" not in limit.body


def test_a_nemlog_in_window_signs_no_one_in_and_leaves_files_alone(agency):
    found = latest(agency, "17-12-2025 10:26", "PRD-servicewindow NemLog-In (MitID) December 18, 2025")
    assert found.systems == ("dms_export", "dms_transit", "dms_import", "eu_systems", "ics2", "manifest")
    assert found.environments == ("PRD",) and found.kind == "service_window"
    assert (found.window_start, found.window_end) == (cph(2025, 12, 18, 0, 1), cph(2025, 12, 18, 3, 0))
    assert found.updated == cph(2025, 12, 17, 22, 5)
    assert found.work_order == "WO0000001523196"
    assert Effect("file", "not_affected") in found.effects
    assert Effect("sign_in", "unavailable", ("manifest",)) in found.effects
    assert Effect("sign_in", "unavailable", DMS) in found.effects
    assert found.fallback == "on_request"  # "only … if absolutely necessary … contact the relevant customs office"


def test_files_to_import_are_queued_while_files_to_manifest_are_rejected(agency):
    found = latest(agency, "17-11-2025 09:07", "PRD-servicewindow Import/Manifest Tuesday November 18, 2025")
    assert found.systems == ("import", "manifest")
    assert (found.window_start, found.window_end) == (cph(2025, 11, 18, 18), cph(2025, 11, 18, 23))
    assert set(found.effects) == {Effect("file", "queued", ("import",)), Effect("online", "unavailable", ("import",)),
                                  Effect("file", "rejected", ("manifest",)),
                                  Effect("online", "unavailable", ("manifest",))}


def test_the_window_across_the_end_of_summer_time_lasts_an_hour_and_a_half(agency):
    found = latest(agency, "21-10-2025 16:01", "PRD-servicewindow Sunday October 26, 2025 (DST -> ST)")
    assert found.window_start == datetime(2025, 10, 26, 0, 45, tzinfo=timezone.utc)  # 02:45 summer time
    assert (found.window_end - found.window_start).total_seconds() == 90 * 60  # to 03:15 standard time
    assert found.fallback == "allowed"


def test_updates_above_the_announcement_move_the_windows_end(agency):
    delayed = latest(agency, "25-05-2025 12:16", "PRD-servicewindow Customs Applications June 6/7, 2025")
    assert delayed.window_start == cph(2025, 6, 6, 21, 0)
    assert delayed.window_end == cph(2025, 6, 8, 1, 8)  # "Sunday June 8, 2025, 0108 Done." after two delays
    assert delayed.status == "ended"
    extended = latest(agency, "11-06-2025 16:27", "PRD-servicewindow Import Saturday June 14, 2025")
    assert extended.window_end == cph(2025, 6, 14, 21, 0)  # "Update at 19:30 - … extended until 21:00"
    assert Effect("file", "queued", ("import",)) in extended.effects


def test_a_cancelled_window_is_withdrawn(agency):
    found = latest(agency, "08-12-2025 07:17", "PRD-servicewindow Saturday December 13, 2025")
    assert found.status == "withdrawn"


def test_a_disruption_reported_solved_is_back_to_normal_from_then(agency):
    found = latest(agency, "14-10-2025 09:36", "Failed login attempts")
    assert found.kind == "back_to_normal" and found.work_order == "INC000001746260"
    assert found.ended_at == cph(2025, 10, 14, 9, 39)  # "Update 09:39 - Systems are up and running"
    assert found.fallback == "not_allowed"  # "… fallback procedure is no longer allowed"


def test_a_message_in_two_versions_keeps_both_oldest_first(agency):
    found = next(m for m in agency.messages if m.key == "2025-12-13T10:25:00|Issues with Manifest & DMS Online")
    assert [v.updated for v in found.versions] == [cph(2025, 12, 13, 18, 59), cph(2025, 12, 13, 19, 0)]
    assert [v.fallback for v in found.versions] == ["allowed", None]


def test_what_the_page_has_that_is_not_a_message_is_reported(agency):
    assert [(p.code, p.line) for p in agency.problems if p.code == "import.outside_message"] == [
        ("import.outside_message", 1)]  # "On this page you can see {0}"
    several = [p for p in agency.problems if "several work orders" in p.en]
    assert len(several) == 1 and "WO0000001399833" in several[0].en
    assert any("Friday April43" not in p.en and "service window: a date" in p.en for p in agency.problems)


def test_the_same_message_is_reported_once_not_once_per_category(agency):
    # "Login issues": two messages, shown 8 times each (once per category); the end of each assumed, once
    told = [p for p in agency.problems if p.en.startswith("'Login issues'")]
    assert [p.line for p in told] == [8602, 8674] and all(p.code == "import.assumed" for p in told)


# --- page texts of our own ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def variations() -> importer.Parsed:
    return importer.parse((DATA / "page-variations.txt").read_text(encoding="utf-8"), cph(2026, 5, 20, 9))


def test_run_together_lines_are_taken_apart(variations):
    # the created time runs into the next header, the header into the body's first line, a WO into the created time
    keys = [m.key for m in variations.messages]
    assert "2026-05-17T09:30:00|PRD-servicewindow Import Tuesday May 19, 2026" in keys
    assert "2026-05-18T07:59:00|EMCS Planned unavailability onsdag 20. maj 2026 kl. 12:00-13:00" in keys
    emcs = next(m for m in variations.messages if m.key.startswith("2026-05-18T07:59")).versions[-1]
    assert emcs.work_order == "WO0000001600003" and emcs.fallback == "not_allowed"
    assert (emcs.window_start, emcs.window_end) == (cph(2026, 5, 20, 12), cph(2026, 5, 20, 13))  # Danish date
    assert set(emcs.effects) == {Effect("file", "rejected", ("emcs",)), Effect("online", "unavailable", ("emcs",))}


def test_a_window_to_two_in_the_night_ends_the_next_day(variations):
    found = next(m for m in variations.messages if "Import Tuesday" in m.key).versions[-1]
    assert (found.window_start, found.window_end) == (cph(2026, 5, 19, 22), cph(2026, 5, 20, 2))
    assert found.systems == ("import",) and Effect("file", "queued", ("import",)) in found.effects


def test_a_repeated_message_is_one_message(variations):
    assert [m.key for m in variations.messages].count("2026-05-18T14:00:00|PRD-servicewindow DMS Wednesday May 20, 2026") == 1


def test_nothing_is_dropped_silently(variations):
    reported = [(p.code, p.line, p.en) for p in variations.problems]

    def said(code: str, line: int, text: str) -> bool:
        return any(c == code and n == line and text in en for c, n, en in reported)

    assert said("import.outside_message", 1, "Driftsmeddelelser")
    assert said("import.not_read", 40, "unknown category 'Toldbevillingssystemet'")
    assert said("import.not_read", 40, "Printing of receipts")  # a bullet no effect reads
    assert said("import.not_read", 73, "no date and time")  # June 31 is no date
    assert said("import.no_category", 82, "Toldbevillingssystemet nyt")  # only a category the board does not know
    assert said("import.no_created_time", 102, "ends without its created time")
    assert variations.blocks == 8 and len(variations.messages) == 6


def test_a_tfe_gateway_window_is_for_the_test_environment(variations):
    found = next(m for m in variations.messages if "FTPS" in m.key).versions[-1]
    assert found.environments == ("TFE",) and found.systems == ("manifest", "tfe")
    assert (found.window_start, found.window_end) == (cph(2026, 5, 21, 6, 45), cph(2026, 5, 21, 10))


def test_a_message_listed_under_each_category_alone_carries_them_all():
    parsed = importer.parse((DATA / "page-variations-newer.txt").read_text(encoding="utf-8"), cph(2026, 5, 20, 13))
    (only,) = parsed.messages
    assert only.versions[-1].systems == ("dms_transit", "dms_import")
    assert only.versions[-1].window_end == cph(2026, 5, 20, 14)  # "extended until 14:00"


def test_an_unknown_category_is_taken_up_to_where_the_title_begins():
    assert page.split_categories("Foo systemsDifficulties") == ([], ["Foo systems"], "Difficulties")
    assert page.split_categories("DMS eksport, Foo, ManifestTitle") == (["dms_export", "manifest"], ["Foo"], "Title")
    assert page.split_categories("DMS eksportDMS eksport, Information") == (["dms_export"], [], "DMS eksport, Information")
    assert page.split_categories("ICS2ICS2 Unavailability") == (["ics2"], [], "ICS2 Unavailability")


@pytest.mark.parametrize("text, start, end", [
    ("Wednesday May 20, 2026, 1200-1300", (2026, 5, 20, 12, 0), (2026, 5, 20, 13, 0)),
    ("Tuesday May 19, 2026, 1800-2300", (2026, 5, 19, 18, 0), (2026, 5, 19, 23, 0)),
    ("Thursday December 18, 2025, 0001-0300", (2025, 12, 18, 0, 1), (2025, 12, 18, 3, 0)),
    ("Friday June 6, 2025, 2100 – Saturday June 7, 2025, 2200", (2025, 6, 6, 21, 0), (2025, 6, 7, 22, 0)),
    ("on Saturday the 13th of December at 21:00 until Sunday the 14th of December at 06:00",
     (2025, 12, 13, 21, 0), (2025, 12, 14, 6, 0)),
    ("at 02.10.2025 from 17:00 until 03.10.2025 01:00", (2025, 10, 2, 17, 0), (2025, 10, 3, 1, 0)),
    ("22-06-2025 in the time period 08:00 - 22:00", (2025, 6, 22, 8, 0), (2025, 6, 22, 22, 0)),
    ("Service window for TFE Tuesday 9/9 at 8-9 am", (2025, 9, 9, 8, 0), (2025, 9, 9, 9, 0)),
    ("Saturday Oktober 25, 2025, 0800-2359", (2025, 10, 25, 8, 0), (2025, 10, 25, 23, 59)),
    ("Saturday the 22.11.2025 from 07:00 till Sunday 23:59", (2025, 11, 22, 7, 0), (2025, 11, 23, 23, 59)),
    ("tirsdag den 9. december 2025 kl. 00:01-06:00", (2025, 12, 9, 0, 1), (2025, 12, 9, 6, 0)),
    ("Monday, 2 March 2026, 23:00-01:30", (2026, 3, 2, 23, 0), (2026, 3, 3, 1, 30)),
])
def test_window_phrases(text, start, end):
    (found,) = [f for f in phrases.find(text, datetime(2025, 11, 1).date()) if f.is_window]
    assert (found.start, found.end) == (cph(*start), cph(*end))


def test_a_date_that_does_not_exist_is_no_window():
    assert phrases.find("Friday June 31, 2026, 1200-1300", datetime(2026, 5, 1).date()) == []
    assert phrases.find("PRD-servicewindow Friday April43, 2025", datetime(2025, 4, 1).date()) == []


@pytest.mark.parametrize("cut", [0.13, 0.37, 0.5, 0.71, 0.93])
def test_a_page_text_that_stops_anywhere_is_read_up_to_there_and_says_so(cut):
    text = AGENCY.read_text(encoding="utf-8")
    stop = int(len(text) * cut)
    parsed = importer.parse(text[:stop], NOW)
    assert parsed.messages  # what came before the cut is read
    last = text[:stop].rstrip().rsplit("\n", 1)[-1]
    if not page.CREATED.fullmatch(last.strip()):  # cut inside a message (or its header): reported
        assert any(p.code in ("import.no_created_time", "import.outside_message") and p.line >= text[:stop].count(
            "\n") - 400 for p in parsed.problems)
