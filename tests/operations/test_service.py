"""The board's use cases on SQLite and PostgreSQL (SPEC O): officers publish, update, extend, end and withdraw
messages, each change a new version in a history that is never rewritten; the availability snapshot follows
every change; the page text imports once; the availability history counts minutes per system and month."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, text

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import Forbidden, NotFound, Rejected
from toldsystem.operations import service, store
from toldsystem.operations.rules import Effect
from toldsystem.operations.service import board as snapshot

DATA = Path(__file__).parent / "data"
CPH = clock.COPENHAGEN
COMPANY = Party.company("DK13585628")


def cph(*parts) -> datetime:
    return datetime(*parts, tzinfo=CPH).astimezone(timezone.utc)


@pytest.fixture
def may_20(store):
    """Wednesday 2026-05-20 09:00 Danish time."""
    previous = clock.install(clock.FixedClock(cph(2026, 5, 20, 9, 0)))
    yield clock.clock
    clock.install(previous)


def dms_window(**fields):
    return service.create(**({"systems": ["DMS Forsendelse (NCTS)"], "kind": "service_window",
                               "title": "PRD-servicewindow DMS Wednesday May 20, 2026",
                               "window_start": datetime(2026, 5, 20, 12, 0), "window_end": datetime(2026, 5, 20, 13, 0),
                               "effects": [Effect("file", "rejected"), Effect("online", "unavailable")],
                               "fallback": "allowed", "work_order": "WO0000001600001"} | fields))


def versions() -> list[tuple]:
    with db.reading() as conn:
        return [tuple(r) for r in conn.execute(select(store.versions).order_by(store.versions.c.id))]


def test_an_officer_publishes_a_window_in_danish_time_kept_in_utc(may_20):
    made = dms_window()
    assert made.systems == ("dms_transit",)  # the page's name, kept as the code
    assert made.window_start == datetime(2026, 5, 20, 10, 0, tzinfo=timezone.utc)  # 12:00 summer time
    assert service.get(made.id) == made
    assert [h["action"] for h in service.history(made.id)] == ["created"]


def test_invalid_messages_are_refused_naming_the_field(may_20):
    with pytest.raises(Rejected) as refused:
        dms_window(systems=["DMS Forsendelse (NCTS)", "Told-X"], window_end=datetime(2026, 5, 20, 11, 0))
    assert {p.pointer for p in refused.value.problems} == {"systems/1", "window_end"}
    with pytest.raises(Rejected):
        dms_window(window_start=datetime(1900, 1, 1, 12))
    assert service.messages() == []


def test_only_officers_write_the_board(may_20):
    with pytest.raises(Forbidden):
        dms_window(by=COMPANY)
    made = dms_window()
    for act in (lambda: service.update(made.id, title="x", by=COMPANY), lambda: service.withdraw(made.id, by=COMPANY),
                lambda: service.end(made.id, by=COMPANY), lambda: service.extend(made.id, cph(2026, 5, 20, 15), by=COMPANY),
                lambda: service.import_text("", by=COMPANY)):
        with pytest.raises(Forbidden):
            act()
    assert service.get(made.id).version == 1


def test_updates_extensions_and_the_end_are_kept_as_history_never_overwritten(may_20):
    made = dms_window()
    before = versions()
    service.update(made.id, body="Files will be rejected.", note="more detail")
    service.extend(made.id, datetime(2026, 5, 20, 14, 0), note="running late")
    may_20.advance(hours=4, minutes=30)  # 13:30
    ended = service.end(made.id)
    assert versions()[:len(before)] == before  # the first version is as it was
    history = service.history(made.id)
    assert [(h["version"], h["action"], h["note"]) for h in history] == [
        (1, "created", ""), (2, "updated", "more detail"), (3, "extended", "running late"), (4, "ended", "")]
    assert history[1]["changed"] == ["body"] and history[2]["changed"] == ["window_end"]
    assert history[0]["content"]["window_end"] == "2026-05-20T11:00:00+00:00"
    assert ended.window_end == cph(2026, 5, 20, 13, 30) and ended.status == "ended"


def test_a_past_window_is_changed_only_with_a_note(may_20):
    made = dms_window()
    may_20.advance(days=1)
    with pytest.raises(Rejected) as refused:
        service.update(made.id, title="PRD-servicewindow DMS (moved)")
    assert refused.value.problems[0].code == "ops.past_window_note"
    changed = service.update(made.id, window_end=datetime(2026, 5, 20, 13, 30), note="it really ended 13:30")
    assert changed.window_end == cph(2026, 5, 20, 13, 30) and changed.version == 2


def test_a_disruption_ends_back_to_normal_and_a_window_is_withdrawn(may_20):
    trouble = service.create(systems=["manifest"], kind="disruption", title="Difficulties in Manifest",
                             effects=[Effect("file", "rejected")])
    assert service.availability("manifest").state == "rejected"
    back = service.end(trouble.id, note="solved")
    assert (back.kind, back.status) == ("back_to_normal", "ended")
    assert service.availability("manifest").available
    window = dms_window()
    service.withdraw(window.id, note="cancelled")
    assert service.availability("dms_transit", at=cph(2026, 5, 20, 12, 30)).available
    with pytest.raises(NotFound):
        service.end(999_999)


def test_the_snapshot_follows_a_change_at_once_here_and_within_seconds_elsewhere(may_20, monkeypatch):
    inside = cph(2026, 5, 20, 12, 30)
    assert service.availability("dms_transit", at=inside).available
    made = dms_window()
    answer = service.availability("dms_transit", at=inside)  # this process: at once
    assert (answer.state, answer.message.id, answer.until) == ("rejected", made.id, cph(2026, 5, 20, 13))
    # another process's change: this one hears of it only through the board's revision
    monkeypatch.setattr(snapshot, "forget", lambda: None)
    service.withdraw(made.id)
    assert service.availability("dms_transit", at=inside).state == "rejected"  # not read again yet
    monkeypatch.setattr(snapshot, "REFRESH_SECONDS", 0.0)
    assert service.availability("dms_transit", at=inside).available


def test_unknown_systems_environments_and_channels_are_refused():
    with pytest.raises(Rejected):
        service.availability("dms_transit", "PROD", "file")
    with pytest.raises(Rejected):
        service.availability("ncts", "PRD", "file")
    with pytest.raises(Rejected):
        service.availability("dms_transit", "PRD", "fax")


def test_sections_put_current_first_then_upcoming_then_history(may_20):
    past = dms_window(title="Earlier", window_start=datetime(2026, 5, 1, 8), window_end=datetime(2026, 5, 1, 9))
    soon = dms_window(title="Soon")
    later = dms_window(title="Later", window_start=datetime(2026, 6, 3, 18), window_end=datetime(2026, 6, 3, 23))
    now = service.create(systems=["emcs"], kind="disruption", title="EMCS login issues")
    found = service.sections()
    assert [m.id for m in found["current"]] == [now.id]
    assert [m.id for m in found["upcoming"]] == [soon.id, later.id]
    assert [m.id for m in found["history"]] == [past.id]
    assert [m.id for m in service.sections(system="emcs")["current"]] == [now.id]
    assert service.sections(environment="TFE") == {"current": [], "upcoming": [], "history": []}


def test_minutes_per_system_and_month_count_overlaps_once(may_20):
    dms_window()
    dms_window(title="The same window again", work_order="WO0000001600009")
    service.create(systems=["dms_transit"], kind="disruption", title="DMS delays",
                   effects=[Effect("response_times", "extended")])
    may_20.advance(hours=2)  # 11:00: the window is still to come, the disruption has lasted two hours
    rows = {(r.system, r.month): r for r in service.availability_report(2026, system="dms_transit")}
    assert (rows[("dms_transit", 5)].planned_minutes, rows[("dms_transit", 5)].disruption_minutes) == (0, 120)
    may_20.advance(hours=3)  # 14:00
    rows = {(r.system, r.month): r for r in service.availability_report(2026, system="dms_transit")}
    assert (rows[("dms_transit", 5)].planned_minutes, rows[("dms_transit", 5)].disruption_minutes) == (60, 300)
    assert rows[("dms_transit", 4)].planned_minutes == rows[("dms_transit", 6)].disruption_minutes == 0


# --- importing the page ---------------------------------------------------------------------------------------

def _rows() -> dict[str, list[tuple]]:
    with db.reading() as conn:
        return {t.name: sorted(tuple(str(v) for v in r) for r in conn.execute(select(t)))
                for t in (store.messages, store.versions)}


def test_importing_the_agencys_page_twice_changes_nothing_the_second_time(store):
    page = (DATA / "driftsmeddelelser-2024-2025.txt").read_text(encoding="utf-8")
    first = service.import_text(page)
    assert (first.messages, len(first.created), len(first.updated)) == (234, 234, 0)
    # three messages appear in two versions: two of the newer change the content (a new version in the history),
    # the third only its updated time (nothing to record)
    assert len(versions()) == 236
    stored = _rows()
    again = service.import_text(page)
    assert (len(again.created), len(again.updated), again.unchanged) == (0, 0, 234)
    assert _rows() == stored
    nemlog = next(m for m in service.messages() if m.title == "PRD-servicewindow NemLog-In (MitID) December 18, 2025")
    assert service.availability("manifest", "PRD", "sign_in", cph(2025, 12, 18, 1)).message == nemlog
    assert service.availability("manifest", "PRD", "file", cph(2025, 12, 18, 1)).available
    emcs = {r.month: r for r in service.availability_report(2025, system="emcs", now=cph(2026, 1, 1))}
    assert emcs[11].planned_minutes == 35  # 3 Nov 17:00–17:20 and 13 Nov 17:00–17:15, each announced twice


def test_a_newer_page_text_updates_what_changed_as_a_new_version(store):
    previous = clock.install(clock.FixedClock(cph(2026, 5, 20, 9, 0)))
    try:
        first = service.import_text((DATA / "page-variations.txt").read_text(encoding="utf-8"))
        assert len(first.created) == 6
        window = next(m for m in service.messages() if m.work_order == "WO0000001600001")
        clock.clock.advance(hours=4)
        newer = service.import_text((DATA / "page-variations-newer.txt").read_text(encoding="utf-8"))
        assert (newer.updated, newer.created) == ([window.id], [])
        changed = service.get(window.id)
        assert changed.window_end == cph(2026, 5, 20, 14) and changed.updated == cph(2026, 5, 20, 12, 40)
        history = service.history(window.id)
        assert [h["action"] for h in history] == ["imported", "reimported"]
        assert set(history[1]["changed"]) == {"body", "window_end"}
        # the older text again does not undo the newer one
        again = service.import_text((DATA / "page-variations.txt").read_text(encoding="utf-8"))
        assert again.updated == [] and service.get(window.id).window_end == cph(2026, 5, 20, 14)
    finally:
        clock.install(previous)


def test_the_revision_row_moves_with_every_change(may_20):
    made = dms_window()
    service.update(made.id, body="x")
    with db.reading() as conn:
        assert conn.execute(text("SELECT revision FROM operations_revision WHERE id = 1")).scalar_one() == 2
    assert snapshot.current_board().messages[0].body == "x"
    assert service.availability("dms_transit", at=cph(2026, 5, 20, 12) + timedelta(minutes=1)).state == "rejected"
