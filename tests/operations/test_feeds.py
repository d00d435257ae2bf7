"""The board to follow (SPEC O, issue 10 deliverable 5): RSS and Atom feeds and an iCalendar of the windows per
system, public, that parse back (feedparser, the icalendar parser) with the right items."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from icalendar import Calendar

from toldsystem.core import clock
from toldsystem.operations import service as operations

CPH = clock.COPENHAGEN


@pytest.fixture
def board(store):
    previous = clock.install(clock.FixedClock(datetime(2026, 5, 20, 9, 0, tzinfo=CPH)))
    window = operations.create(systems=["dms_transit", "dms_import"], kind="service_window",
                               title="PRD-servicewindow DMS Wednesday May 20, 2026", body="Files will be rejected.",
                               work_order="WO0000001600001", window_start=datetime(2026, 5, 20, 12, 0),
                               window_end=datetime(2026, 5, 20, 13, 0),
                               effects=[{"channel": "file", "state": "rejected"}])
    clock.clock.advance(minutes=5)
    monthly = operations.create(systems=["dms_transit"], kind="service_window", title="Monthly window",
                                window_start=datetime(2026, 5, 19, 18, 0), window_end=datetime(2026, 5, 19, 23, 0),
                                recurrence="FREQ=MONTHLY;BYDAY=+3TU", effects=[{"channel": "file", "state": "queued"}])
    clock.clock.advance(minutes=5)
    cancelled = operations.create(systems=["dms_transit"], kind="service_window", title="Cancelled window",
                                  window_start=datetime(2026, 6, 1, 8, 0), window_end=datetime(2026, 6, 1, 9, 0))
    operations.withdraw(cancelled.id, note="cancelled")
    clock.clock.advance(minutes=5)
    emcs = operations.create(systems=["emcs"], kind="disruption", title="Technical difficulties in EMCS")
    yield {"window": window, "monthly": monthly, "cancelled": cancelled, "emcs": emcs}
    clock.install(previous)


@pytest.mark.parametrize("path", ["/status/feed.rss", "/status/feed.atom"])
def test_the_feeds_parse_back_with_every_message_newest_first(client, board, path):
    answer = client.get(path, params={"lang": "en"})
    assert answer.status_code == 200
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Operational messages — toldsystem"
    assert [e.title for e in feed.entries] == ["Technical difficulties in EMCS", "Cancelled window", "Monthly window",
                                               "PRD-servicewindow DMS Wednesday May 20, 2026"]
    window = feed.entries[-1]
    assert window.link.endswith(f"/status#message-{board['window'].id}") and window.id == window.link
    assert "WO0000001600001" in window.summary and "Files will be rejected." in window.summary
    assert {t.term for t in window.tags} == {"DMS Forsendelse (NCTS)", "DMS Import"}
    published = datetime(*window.published_parsed[:6], tzinfo=timezone.utc)
    assert published == datetime(2026, 5, 20, 7, 0, tzinfo=timezone.utc)  # created 09:00 Danish summer time
    if path.endswith(".atom"):
        assert datetime(*window.updated_parsed[:6], tzinfo=timezone.utc) == published


def test_a_feed_of_one_system_carries_only_its_messages_in_the_language_asked(client, board):
    answer = client.get("/status/feed.atom", params={"system": "emcs"}, headers={"Accept-Language": "da"})
    feed = feedparser.parse(answer.content)
    assert [e.title for e in feed.entries] == ["Technical difficulties in EMCS"]
    assert feed.feed.title == "Driftsmeddelelser for EMCS — toldsystem"
    assert "Aktuel driftsforstyrrelse" in feed.entries[0].summary


def test_the_calendar_has_the_windows_of_the_system(client, board):
    answer = client.get("/status/calendar.ics", params={"system": "DMS Forsendelse (NCTS)"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"PRD-servicewindow DMS Wednesday May 20, 2026", "Monthly window", "Cancelled window"}
    window = events["PRD-servicewindow DMS Wednesday May 20, 2026"]
    assert window.decoded("dtstart") == datetime(2026, 5, 20, 10, 0, tzinfo=timezone.utc)
    assert window.decoded("dtend") - window.decoded("dtstart") == timedelta(hours=1)
    assert str(window["uid"]) == f"operations-message-{board['window'].id}@toldsystem"
    assert str(events["Cancelled window"]["status"]) == "CANCELLED"
    monthly = events["Monthly window"]
    assert monthly["rrule"]["FREQ"] == ["MONTHLY"] and monthly["rrule"]["BYDAY"] == ["+3TU"]
    start = monthly.decoded("dtstart")
    assert (start.hour, str(start.tzinfo)) == (18, "Europe/Copenhagen")  # wall-clock time across summer time
    assert [c["tzid"] for c in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    assert "EMCS" not in answer.text


def test_a_calendar_follows_a_window_as_it_changes(client, board):
    first = Calendar.from_ical(client.get("/status/calendar.ics?system=dms_import").content).walk("VEVENT")[0]
    operations.extend(board["window"].id, datetime(2026, 5, 20, 14, 0))
    moved = Calendar.from_ical(client.get("/status/calendar.ics?system=dms_import").content).walk("VEVENT")[0]
    assert moved["uid"] == first["uid"] and moved["sequence"] > first["sequence"]
    assert moved.decoded("dtend") == datetime(2026, 5, 20, 12, 0, tzinfo=timezone.utc)
