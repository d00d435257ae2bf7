"""Engine and transactions: SQLite (WAL, durable commits) by default, PostgreSQL by URL.

Services use `transaction()` for a unit of work that writes and `reading()` for one that
only reads. Both join a unit of work already open in the same thread, so one room's service
can call another's (transit → guarantees) and everything commits, or nothing does; a nested
writing unit runs in a savepoint, so when it fails (and the caller handles the failure) none
of its own writes remain. On SQLite the writing units of a process share durable commits (see
`_GroupCommit`); on PostgreSQL rows are guarded by row locks and atomic updates in the
services themselves.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from threading import Event, Lock
from pathlib import Path
from weakref import WeakKeyDictionary

from datetime import datetime, timezone

from sqlalchemy import Connection, DateTime, Engine, MetaData, TypeDecorator, create_engine, event

from toldsystem import config

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)



class UtcDateTime(TypeDecorator):
    """An instant stored as UTC and read back aware on every database (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # a naive time from a caller is taken as UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, _dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


_engine: Engine | None = None
_current: ContextVar[Connection | None] = ContextVar("told_current_connection", default=None)
_group_commits: WeakKeyDictionary[Engine, _GroupCommit] = WeakKeyDictionary()
_group_commits_lock = Lock()


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, **options) -> Engine:
    """An engine for `url`, with SQLite set up for WAL, foreign keys and explicit BEGINs."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               poolclass=options.pop("poolclass", None) or _sqlite_pool(url), **options)
        _configure_sqlite(engine)
        return engine
    options.setdefault("pool_size", 20)
    options.setdefault("max_overflow", 20)
    options.setdefault("pool_pre_ping", True)
    return create_engine(url, **options)


def _sqlite_pool(url: str):
    from sqlalchemy.pool import QueuePool, StaticPool

    return StaticPool if ":memory:" in url else QueuePool


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # We issue BEGIN ourselves (pysqlite's implicit transactions get in the way).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # durable: a commit survives power loss
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def engine() -> Engine:
    """The process's engine, made from TOLD_DATABASE_URL on first use."""
    global _engine
    if _engine is None:
        _engine = make_engine(config.settings().database_url)
    return _engine


def use(new: Engine | None) -> Engine | None:
    """Install an engine (tests, benchmarks); returns the previous one."""
    global _engine
    previous, _engine = _engine, new
    return previous


def in_transaction() -> bool:
    """Whether this thread is inside a unit of work (a nested one joins it)."""
    return _current.get() is not None


def is_sqlite(conn: Connection | Engine) -> bool:
    return conn.dialect.name == "sqlite"


@contextmanager
def transaction() -> Iterator[Connection]:
    """A unit of work that writes: committed on success, rolled back on any exception."""
    outer = _current.get()
    if outer is not None:
        # A savepoint: if the inner unit of work fails, only its own writes are undone.
        with savepoint(outer):
            yield outer
        return
    eng = engine()
    if is_sqlite(eng):
        yield from _group_commit(eng).unit()
        return
    with eng.connect() as conn:
        yield from _current_unit(conn)


@contextmanager
def reading() -> Iterator[Connection]:
    """A unit of work that only reads (inside a writing one, it reads what that one wrote)."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    with engine().connect() as conn:
        yield from _current_unit(conn)


_savepoint_names = itertools.count(1)


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """A savepoint in plain SQL: undone alone if the block fails. (`begin_nested()` does the same with
    bookkeeping that costs several times more, and every unit of work pays it.)"""
    name = f"told_sp_{next(_savepoint_names)}"
    conn.exec_driver_sql(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        conn.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {name}")
        conn.exec_driver_sql(f"RELEASE SAVEPOINT {name}")
        raise
    conn.exec_driver_sql(f"RELEASE SAVEPOINT {name}")


def _current_unit(conn: Connection) -> Iterator[Connection]:
    """Run a unit of work on `conn`, known to nested ones as the current connection."""
    token = _current.set(conn)
    try:
        with conn.begin():
            yield conn
    finally:
        _current.reset(token)


class _Batch:
    """Units of work that one durable commit makes permanent together."""

    __slots__ = ("size", "done", "error")

    def __init__(self) -> None:
        self.size = 0
        self.done = Event()
        self.error: BaseException | None = None


class _GroupCommit:
    """SQLite: the writing units of one process share a transaction and its durable commit.

    SQLite has one writer at a time, and a durable commit (synchronous=FULL) costs an fsync.
    Units take turns on one connection in arrival order, each inside its own savepoint, so a
    failed unit leaves nothing behind. A unit that finishes while others wait for their turn
    leaves the commit to them; the last one (or the one that fills the batch) commits for all.
    No unit returns before the commit that holds its writes is on disk, and if that commit
    fails, every unit of the batch fails. The turn also queues this process's writers fairly,
    instead of letting them poll the file lock with growing sleeps.
    """

    MAX_BATCH = 32

    def __init__(self, eng: Engine) -> None:
        self.engine = eng
        self.turn = Lock()
        self.counter = Lock()
        self.queued = 0
        self.conn: Connection | None = None
        self.batch: _Batch | None = None

    def unit(self) -> Iterator[Connection]:
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
        token = _current.set(conn)
        try:
            with savepoint(conn):
                yield conn
        except BaseException as error:  # the unit's savepoint is rolled back; the batch goes on
            failure = error
        finally:
            _current.reset(token)
        self._finish(batch)
        if failure is not None:
            raise failure
        if batch.error is not None:
            raise batch.error

    def _open(self) -> tuple[Connection, _Batch]:
        if self.conn is None:
            conn = self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")
            try:
                conn.begin()
            except BaseException:
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
            conn.commit()
        except BaseException as error:  # noqa: BLE001 — every unit of the batch must hear of it
            batch.error = error
            conn.invalidate()  # a connection whose commit failed is not reused; closing it rolls back
        finally:
            conn.close()
            self.turn.release()
            batch.done.set()


def _group_commit(eng: Engine) -> _GroupCommit:
    with _group_commits_lock:
        found = _group_commits.get(eng)
        if found is None:
            found = _group_commits[eng] = _GroupCommit(eng)
        return found


__all__ = ["metadata", "make_engine", "engine", "use", "transaction", "reading", "is_sqlite", "in_transaction"]
