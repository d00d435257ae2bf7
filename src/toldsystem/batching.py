"""SQLite: several units of work per durable commit, and one thread to run the busiest of them.

SQLite has one writer at a time, and a durable commit (synchronous=FULL) costs an fsync. Two
things make that cheap under load:

- `GroupCommit`: units of work from any thread take turns on one connection, each in its own
  savepoint, and the last of a batch commits for all of them.
- `Writer`: one thread that runs the units handed to `submit` back to back. Threads that each
  run a unit queue for the single writer and take the GIL from whoever holds it at every
  statement; one thread running them in turn does the same work in less time.
- `Checkpointer`: the WAL is copied back into the database file by a thread of its own, not
  by whichever commit happens to fill it.

No unit returns before the commit that holds its writes is on disk; if that commit fails,
every unit of the batch fails, and nothing of it is kept.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from queue import Empty, SimpleQueue
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine

from toldsystem import db

log = logging.getLogger(__name__)


class Checkpointer:
    """Copies the WAL's committed pages back into the database file, in a thread of its own.

    SQLite does it in the connection that commits, once the WAL holds 1,000 pages: every hundred or
    so declarations, one commit would copy megabytes into the database file and fsync it while the
    writer and everyone queued behind it wait. The group commit's connection leaves that to this
    thread, which runs a PASSIVE checkpoint (it never waits for, or blocks, writers and readers) at
    most every INTERVAL seconds while commits keep coming. The writer still checkpoints itself if
    the WAL ever reaches SAFETY_NET pages, should this thread fall behind.
    """

    INTERVAL = 0.25
    SAFETY_NET = 10_000  # pages: 40 MiB with SQLite's 4 KiB pages

    def __init__(self, eng: Engine) -> None:
        self.engine = eng
        self.due = threading.Event()
        self.runs = 0  # checkpoints run (for tests and curiosity)
        self.thread = threading.Thread(target=self._run, name="told-checkpoint", daemon=True)
        self.thread.start()

    def committed(self) -> None:
        """A commit added pages to the WAL: a checkpoint is due soon."""
        self.due.set()

    def _run(self) -> None:
        connection = None
        while True:
            self.due.wait()
            time.sleep(self.INTERVAL)  # let the pages of the commits still coming gather
            self.due.clear()
            try:
                if connection is None:
                    connection = self.engine.raw_connection()
                connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                self.runs += 1
            except Exception:  # noqa: BLE001 — the writer's own checkpoint (SAFETY_NET) still applies
                log.warning("WAL checkpoint failed; retrying on the next commit", exc_info=True)
                if connection is not None:
                    connection.invalidate()
                    connection = None


def _has_wal_file(eng: Engine) -> bool:
    database = eng.url.database
    return bool(database) and database != ":memory:" and not database.startswith("file::memory:")


class _Batch:
    """Units of work that one durable commit makes permanent together."""

    __slots__ = ("size", "done", "error")

    def __init__(self) -> None:
        self.size = 0
        self.done = threading.Event()
        self.error: BaseException | None = None


class GroupCommit:
    """The writing units of one process on one SQLite database share a transaction and its commit.

    Units take turns on one connection in arrival order, each inside its own savepoint, so a
    failed unit leaves nothing behind. A unit that finishes while others wait for their turn
    leaves the commit to them; the last one (or the one that fills the batch) commits for all.
    The turn also queues this process's writers fairly, instead of letting them poll the file
    lock with growing sleeps.
    """

    MAX_BATCH = 64

    def __init__(self, eng: Engine) -> None:
        self.engine = eng
        self.turn = threading.Lock()
        self.counter = threading.Lock()
        self.queued = 0
        self.conn: Connection | None = None
        self.batch: _Batch | None = None
        self.idle: Connection | None = None  # kept between batches (only touched while holding the turn)
        self.checkpointer = Checkpointer(eng) if _has_wal_file(eng) else None

    @contextmanager
    def unit(self, isolated: bool = True) -> Iterator[Connection]:
        """A unit of work in the current batch; `isolated=False` for one that opens savepoints of its own
        (the writer's batch): it saves the page copies SQLite keeps for each savepoint level, and if it
        fails all the same, its batch is rolled back instead of committed."""
        with self.counter:
            self.queued += 1
        self.turn.acquire()
        with self.counter:
            self.queued -= 1
        try:
            conn, batch = self._open()
        except BaseException:
            self.turn.release()
            raise
        batch.size += 1
        failure: BaseException | None = None
        hooks: list[Callable[[], None]] = []
        token = db._current.set(conn)
        try:
            with db.savepoint(conn) if isolated else nullcontext(), db.collecting_hooks() as hooks:
                yield conn
        except BaseException as error:  # the unit's savepoint is rolled back; the batch goes on
            failure = error
            if not isolated:
                batch.error = error  # nothing undid its writes: none of the batch may be kept
        finally:
            db._current.reset(token)
        self._finish(batch)
        if failure is not None:
            raise failure
        if batch.error is not None:
            raise batch.error
        db.run_hooks(hooks)

    def _open(self) -> tuple[Connection, _Batch]:
        if self.conn is None:
            # The last batch's connection, if its commit went well: setting up a new one (and
            # SQLite's page cache with it) costs more than many statements.
            conn, self.idle = self.idle, None
            if conn is None:
                conn = self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")
                if self.checkpointer is not None:
                    db.execute(conn, f"PRAGMA wal_autocheckpoint={Checkpointer.SAFETY_NET}", ())
            try:
                conn.begin()
            except BaseException:
                conn.invalidate()
                conn.close()
                raise
            self.conn, self.batch = conn, _Batch()
        return self.conn, self.batch

    def _finish(self, batch: _Batch) -> None:
        """Leave the commit to a unit still waiting for its turn, or commit the batch now."""
        with self.counter:
            others_waiting = self.queued > 0
        if others_waiting and batch.size < self.MAX_BATCH:
            self.turn.release()
            batch.done.wait()
            return
        conn, self.conn, self.batch = self.conn, None, None
        try:
            if batch.error is not None:
                raise batch.error
            conn.commit()
            self.idle = conn
            if self.checkpointer is not None:
                self.checkpointer.committed()
        except BaseException as error:  # noqa: BLE001 — every unit of the batch must hear of it
            batch.error = error
            conn.invalidate()  # a connection whose commit failed is not reused; closing it rolls back
            conn.close()
        finally:
            self.turn.release()
            batch.done.set()


class Writer:
    """One thread that runs submitted units of work back to back, as many per commit as keep arriving.

    A job that arrives while a batch is running joins it; the batch commits when no job is
    waiting (or it is full), so under load each durable commit carries many declarations.
    """

    MAX_BATCH = 64

    def __init__(self, eng: Engine) -> None:
        self.engine = eng
        self.queue: SimpleQueue[tuple[Future, Callable[..., Any], tuple]] = SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="told-writer", daemon=True)
        self.thread.start()

    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        self.queue.put((future, function, args))
        return future

    def _run(self) -> None:
        while True:
            self._batch(self.queue.get())

    def _batch(self, first: tuple[Future, Callable[..., Any], tuple]) -> None:
        """Run jobs in one transaction while more are waiting (up to MAX_BATCH), then commit them together."""
        done: list[tuple[Future, bool, Any]] = []
        job: tuple[Future, Callable[..., Any], tuple] | None = first
        try:
            with group_commit(self.engine).unit(isolated=False):
                while job is not None:
                    future, function, args = job
                    if future.set_running_or_notify_cancel():
                        # A job writes in units of work of its own (savepoints here), as it would
                        # outside the writer; a failing one leaves nothing of that unit behind.
                        try:
                            done.append((future, True, function(*args)))
                        except BaseException as error:  # noqa: BLE001 — handed to the job's caller
                            done.append((future, False, error))
                    job = self._next() if len(done) < self.MAX_BATCH else None
        except BaseException as error:  # noqa: BLE001 — the commit failed: no job of the batch took effect
            done = [(future, False, error) for future, _ok, _value in done]
        for future, ok, value in done:
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _next(self) -> tuple[Future, Callable[..., Any], tuple] | None:
        try:
            return self.queue.get_nowait()
        except Empty:
            return None


_group_commits: WeakKeyDictionary[Engine, GroupCommit] = WeakKeyDictionary()
_writers: WeakKeyDictionary[Engine, Writer] = WeakKeyDictionary()
_registry_lock = threading.Lock()
_other_databases = ThreadPoolExecutor(max_workers=16, thread_name_prefix="told-unit")


def group_commit(eng: Engine) -> GroupCommit:
    with _registry_lock:
        found = _group_commits.get(eng)
        if found is None:
            found = _group_commits[eng] = GroupCommit(eng)
        return found


def submit(function: Callable[..., Any], *args: Any) -> Future:
    """Run `function(*args)` — which opens its own units of work — where writes go fastest.

    On SQLite in the process's writer thread, batched with others into one durable commit; on
    PostgreSQL, which runs transactions side by side, in a worker thread of a pool.
    """
    eng = db.engine()
    if not db.is_sqlite(eng):
        return _other_databases.submit(function, *args)
    with _registry_lock:
        writer = _writers.get(eng)
        if writer is None:
            writer = _writers[eng] = Writer(eng)
    return writer.submit(function, *args)
