"""The durable intake queue on SQLite and PostgreSQL (ARCHITECTURE "Durable intake queue", SPEC O): held in the
transaction that acknowledges it, processed in arrival order once the board opens the channel again, exactly once
— its row marked in the unit of work that holds the handler's effects — and bounded per sender."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import Conflict, Forbidden, NotFound, problem
from toldsystem.intake import rules, service, store
from toldsystem.operations import service as operations
from toldsystem.operations.rules import Effect

CPH = clock.COPENHAGEN
SENDER = Party.company("DK13585628")
OTHER = Party.company("DK30507096")
OFFICER = Party(kind="officer", name="Officer Olsen")
HANDLER = "tests.publish"
START, END = datetime(2026, 5, 20, 18, 0, tzinfo=CPH), datetime(2026, 5, 20, 23, 0, tzinfo=CPH)


def publish(held: service.Held) -> dict:
    """A handler with real effects in the store: it publishes an information message titled by the payload."""
    made = operations.create(systems=["dms_import"], kind="information", title=held.payload.decode())
    return {"message": made.id}


service.register(HANDLER, publish)


@pytest.fixture
def window(store):
    """A queued window on DMS Import file access, 18–23 on 2026-05-20; the clock stands inside it."""
    fixed = clock.FixedClock(START + timedelta(minutes=30))
    previous = clock.install(fixed)
    operations.create(systems=["dms_import"], kind="service_window", title="PRD-servicewindow DMS Import",
                      work_order="WO0000001700001", window_start=START, window_end=END,
                      effects=[Effect("file", "queued")])
    yield fixed
    clock.install(previous)


def at(fixed: clock.FixedClock, instant: datetime) -> None:
    fixed.advance(seconds=(instant - fixed.now()).total_seconds())


def hold(title: str, party: Party = SENDER, key: str | None = None) -> int:
    return service.hold(system="dms_import", environment="PRD", channel="file", handler=HANDLER, party=party,
                        payload=title.encode(), digest=title, key=key, summary={"title": title})


def published() -> list[str]:
    return [m.title for m in operations.messages() if m.kind == "information"]


def test_held_submissions_wait_for_the_window_and_are_processed_in_arrival_order(window):
    ids = [hold(f"number {n}") for n in range(5)]
    assert ids == sorted(ids)
    assert service.drain() == 0  # the window still queues: nothing is processed
    assert published() == [] and service.held_count("dms_import") == 5
    at(window, END + timedelta(seconds=1))
    assert service.drain() == 5
    assert published() == [f"number {n}" for n in reversed(range(5))]  # newest first: processed 0, 1, … 4
    made = [service.get(SENDER, i).outcome["message"] for i in ids]
    assert made == sorted(made)  # arrival order
    held = service.get(SENDER, ids[0])
    assert held.state == "processed" and held.payload is None and held.processed_at is not None
    assert service.drain() == 0  # nothing is processed twice


def test_a_crash_before_the_commit_undoes_the_effects_and_the_submission_is_processed_once_after(window,
                                                                                                 monkeypatch):
    first, second = hold("first"), hold("second")
    at(window, END + timedelta(minutes=1))

    def crash(*_args):
        raise OSError("the process died before its commit")

    monkeypatch.setattr(service, "_mark", crash)
    assert service.drain() == 0
    assert published() == []  # the handler's effects went with the transaction
    assert service.get(SENDER, first).state == "held" and service.get(SENDER, first).attempts == 1
    monkeypatch.undo()
    assert service.drain() == 2
    assert sorted(published()) == ["first", "second"]  # each once
    assert service.get(SENDER, second).state == "processed"


def test_a_refusal_fails_the_submission_with_its_problems_and_keeps_none_of_its_writes(window):
    def refuse(held):
        operations.create(systems=["dms_import"], kind="information", title="written, then undone")
        raise Forbidden(problem("auth.no_power", "/messageSender", "no longer represents the holder",
                                "repræsenterer ikke længere indehaveren"))

    service.register("tests.refuse", refuse)
    refused = service.hold(system="dms_import", environment="PRD", channel="file", handler="tests.refuse",
                           party=SENDER, payload=b"x", digest="x")
    behind = hold("behind it")
    at(window, END + timedelta(minutes=1))
    assert service.drain() == 2
    found = service.get(SENDER, refused)
    assert found.state == "failed" and found.outcome["status"] == 403
    assert found.outcome["errors"][0]["code"] == "auth.no_power"
    assert published() == ["behind it"]
    assert service.get(SENDER, behind).state == "processed"


def test_a_submission_that_keeps_failing_is_given_up_so_the_queue_goes_on(window):
    def broken(held):
        raise RuntimeError("a bug")

    service.register("tests.broken", broken)
    stuck = service.hold(system="dms_import", environment="PRD", channel="file", handler="tests.broken",
                         party=SENDER, payload=b"x", digest="x")
    hold("after the broken one")
    at(window, END + timedelta(minutes=1))
    for _attempt in range(rules.MAX_ATTEMPTS - 1):
        assert service.drain() == 0
    assert service.get(SENDER, stuck).state == "held"
    assert service.drain() == 2  # the last attempt gives it up; the one behind it goes through
    assert service.get(SENDER, stuck).outcome["errors"][0]["code"] == "intake.not_processed"
    assert published() == ["after the broken one"]


def test_another_company_cannot_read_a_held_submission_an_officer_can(window):
    held = hold("mine")
    assert service.get(SENDER, held).summary == {"title": "mine"}
    assert service.get(OFFICER, held).sender == SENDER.eori
    with pytest.raises(NotFound) as unknown:
        service.get(OTHER, held)
    with pytest.raises(NotFound) as missing:
        service.get(OTHER, held + 1000)
    assert unknown.value.problems[0].code == missing.value.problems[0].code  # reads as unknown


def test_the_same_key_again_is_the_same_submission_other_content_under_it_a_conflict(window):
    held = hold("declaration", key="MSG0001")
    assert hold("declaration", key="MSG0001") == held
    assert hold("declaration", party=OTHER, key="MSG0001") != held  # another sender's key is its own
    with pytest.raises(Conflict):
        hold("another declaration", key="MSG0001")
    assert service.held_count() == 2


def test_the_queue_is_bounded_per_sender(window, monkeypatch):
    monkeypatch.setattr(rules, "MAX_HELD_PER_SENDER", 3)
    for n in range(3):
        hold(f"n{n}")
    with pytest.raises(service.QueueFull) as full:
        hold("one too many")
    assert full.value.status == 429 and "3" in full.value.problems[0].en
    hold("another sender is not held up", party=OTHER)
    monkeypatch.setattr(rules, "MAX_HELD_BYTES_PER_SENDER", 10)
    with pytest.raises(service.QueueFull):
        hold("more bytes than allowed", party=OTHER)


def test_a_rejecting_window_after_the_queued_one_keeps_them_held(window):
    hold("waits")
    operations.create(systems=["dms_import"], kind="service_window", title="Closed right after",
                      window_start=END, window_end=END + timedelta(hours=1), effects=[Effect("file", "rejected")])
    at(window, END + timedelta(minutes=10))
    assert service.drain() == 0
    at(window, END + timedelta(hours=1, minutes=1))
    assert service.drain() == 1


def test_two_drainers_at_once_process_each_submission_once_in_order(window):
    ids = [hold(f"parallel {n:02d}") for n in range(20)]
    at(window, END + timedelta(minutes=1))
    counted: list[int] = []
    engine = db.installed()

    def drainer():
        previous = db.use(engine)
        counted.append(service.drain())
        db.use(previous)

    threads = [threading.Thread(target=drainer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(counted) == 20
    made = [service.get(SENDER, i).outcome["message"] for i in ids]
    assert made == sorted(made) and len(set(made)) == 20
    assert sorted(published()) == [f"parallel {n:02d}" for n in range(20)]


def test_a_held_submission_is_a_row_another_connection_reads_once_hold_returns(window):
    held = hold("durable")
    with db.engine().connect() as conn:  # not this unit of work's: as another process, or after a restart
        row = conn.execute(store.held.select().where(store.held.c.id == held)).first()
    assert (row.payload, row.state, row.sender) == (b"durable", "held", SENDER.eori)
