"""SQLite group commit: concurrent units of work share durable commits, and lose nothing by it."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, insert, select

from toldsystem import db
from toldsystem.core.errors import Rejected
from toldsystem.reference import store as ref

CODES = [f"Q{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(16)]


def _stored_codes(engine) -> set[str]:
    # A fresh connection of its own: sees only what is committed.
    with engine.connect() as conn:
        return {r.code for r in conn.execute(select(ref.currencies.c.code).where(ref.currencies.c.code.like("Q%")))}


def _units_from_threads(codes, unit):
    """Run `unit(code)` in one thread per code, all released at once; collect each thread's error."""
    start = threading.Barrier(len(codes))
    errors: dict[str, BaseException | None] = {}

    def run(code: str) -> None:
        start.wait()
        try:
            unit(code)
            errors[code] = None
        except BaseException as error:  # noqa: BLE001 — the test inspects it
            errors[code] = error

    threads = [threading.Thread(target=run, args=(c,)) for c in codes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def _count_commits(engine) -> list[int]:
    commits = [0]

    @event.listens_for(engine, "commit")
    def _count(_conn):
        commits[0] += 1

    return commits


def test_concurrent_units_share_commits_and_each_returns_only_once_its_writes_are_committed(sqlite_store):
    commits = _count_commits(sqlite_store)
    seen_on_return: dict[str, bool] = {}

    def unit(code: str) -> None:
        with db.transaction() as conn:
            conn.execute(insert(ref.currencies).values(code=code, eur_rate=1))
        seen_on_return[code] = code in _stored_codes(sqlite_store)

    errors = _units_from_threads(CODES, unit)
    assert all(e is None for e in errors.values())
    assert all(seen_on_return[c] for c in CODES)  # committed before the unit returned
    assert _stored_codes(sqlite_store) == set(CODES)
    assert commits[0] < len(CODES)  # several units per durable commit


def test_a_failing_unit_in_a_batch_leaves_nothing_and_takes_nothing_from_the_others(sqlite_store):
    failing = set(CODES[::3])

    def unit(code: str) -> None:
        with db.transaction() as conn:
            conn.execute(insert(ref.currencies).values(code=code, eur_rate=1))
            if code in failing:
                raise Rejected([])

    errors = _units_from_threads(CODES, unit)
    assert {c for c, e in errors.items() if isinstance(e, Rejected)} == failing
    assert all(errors[c] is None for c in set(CODES) - failing)
    assert _stored_codes(sqlite_store) == set(CODES) - failing


def test_when_the_commit_fails_every_unit_of_the_batch_fails_and_nothing_is_kept(sqlite_store):
    class DiskFull(Exception):
        pass

    def refuse(_conn):
        raise DiskFull("simulated I/O error at commit")

    event.listen(sqlite_store, "commit", refuse)
    try:
        def unit(code: str) -> None:
            with db.transaction() as conn:
                conn.execute(insert(ref.currencies).values(code=code, eur_rate=1))

        errors = _units_from_threads(CODES[:6], unit)
    finally:
        event.remove(sqlite_store, "commit", refuse)
    assert all(isinstance(e, DiskFull) for e in errors.values()), errors
    assert _stored_codes(sqlite_store) == set()
    # and the store works again afterwards
    with db.transaction() as conn:
        conn.execute(insert(ref.currencies).values(code="QZZ", eur_rate=1))
    assert _stored_codes(sqlite_store) == {"QZZ"}


def test_nested_units_inside_a_batch_still_roll_back_alone(sqlite_store):
    with db.transaction() as conn:
        with pytest.raises(Rejected):
            with db.transaction() as inner:
                inner.execute(insert(ref.currencies).values(code="QAA", eur_rate=1))
                raise Rejected([])
        conn.execute(insert(ref.currencies).values(code="QAB", eur_rate=1))
    assert _stored_codes(sqlite_store) == {"QAB"}
    with db.reading() as conn:
        assert conn.execute(select(func.count()).select_from(ref.currencies)
                            .where(ref.currencies.c.code == "QAA")).scalar_one() == 0


def test_a_failing_unit_without_a_savepoint_of_its_own_takes_its_whole_batch_down(sqlite_store):
    from toldsystem import batching

    commit = batching.group_commit(sqlite_store)
    with pytest.raises(Rejected):
        with commit.unit(isolated=False) as conn:
            with db.transaction() as inner:  # a savepoint inside: released, so only the batch can undo it
                inner.execute(insert(ref.currencies).values(code="QAA", eur_rate=1))
            conn.execute(insert(ref.currencies).values(code="QAB", eur_rate=1))
            raise Rejected([])
    assert _stored_codes(sqlite_store) == set()
    with db.transaction() as conn:  # and the store works again afterwards
        conn.execute(insert(ref.currencies).values(code="QZZ", eur_rate=1))
    assert _stored_codes(sqlite_store) == {"QZZ"}


# --- the writer thread (batching.submit) -------------------------------------------------------

def _insert_code(code: str, fail: bool = False) -> str:
    with db.transaction() as conn:
        conn.execute(insert(ref.currencies).values(code=code, eur_rate=1))
        db.after_commit(lambda: announced.append((code, code in _stored_codes(db.engine()))))
        if fail:
            raise Rejected([])
    return code


announced: list[tuple[str, bool]] = []


def test_the_writer_runs_submitted_units_several_per_commit_and_hands_each_caller_its_own_outcome(sqlite_store):
    from toldsystem import batching

    announced.clear()
    commits = _count_commits(sqlite_store)
    failing = set(CODES[1::4])
    # Hold the writer on a first job so that the others queue behind it and share a batch.
    release = threading.Event()
    first = batching.submit(release.wait, 10)
    futures = {code: batching.submit(_insert_code, code, code in failing) for code in CODES}
    release.set()
    assert first.result(10) is True
    for code, future in futures.items():
        if code in failing:
            assert isinstance(future.exception(10), Rejected)
        else:
            assert future.result(10) == code
    assert _stored_codes(sqlite_store) == set(CODES) - failing
    assert commits[0] <= 2  # one batch (or two, if the first job committed alone)
    # after-commit hooks ran for the kept units only, and only once their writes were committed
    assert sorted(announced) == sorted((code, True) for code in set(CODES) - failing)


def test_when_the_writers_commit_fails_every_job_of_the_batch_fails_and_no_hook_runs(sqlite_store):
    from toldsystem import batching

    class DiskFull(Exception):
        pass

    def refuse(_conn):
        raise DiskFull("simulated I/O error at commit")

    announced.clear()
    release = threading.Event()
    event.listen(sqlite_store, "commit", refuse)
    try:
        first = batching.submit(release.wait, 10)
        futures = [batching.submit(_insert_code, code) for code in CODES[:5]]
        release.set()
        assert isinstance(first.exception(10), DiskFull)
        assert all(isinstance(f.exception(10), DiskFull) for f in futures)
    finally:
        event.remove(sqlite_store, "commit", refuse)
    assert _stored_codes(sqlite_store) == set()
    assert announced == []


def test_the_wal_is_checkpointed_beside_the_writer_not_in_its_commits(sqlite_store, tmp_path):
    """The group commit's connection leaves the WAL checkpoint to its own thread (batching.Checkpointer)."""
    from toldsystem import batching

    engine = db.make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    group = batching.group_commit(engine)
    for n in range(30):
        with group.unit() as conn:
            conn.exec_driver_sql("INSERT INTO t (body) VALUES (?)", ("x" * 20_000,))  # five pages a commit
    # The writer's own checkpoint waits for the safety net, far beyond these 150 pages …
    assert group.idle.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == batching.Checkpointer.SAFETY_NET
    pause = threading.Event()
    for _ in range(200):  # … and the checkpointer copies the committed pages into the database file soon after
        if (tmp_path / "wal.db").stat().st_size > 30 * 20_000:
            break
        pause.wait(0.05)
    assert (tmp_path / "wal.db").stat().st_size > 30 * 20_000
    assert group.checkpointer.runs >= 1
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 30
    engine.dispose()
