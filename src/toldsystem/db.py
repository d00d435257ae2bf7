"""Engine and transactions: SQLite (WAL, durable commits) by default, PostgreSQL by URL.

Services use `transaction()` for a unit of work that writes and `reading()` for one that
only reads. Both join a unit of work already open in the same thread, so one room's service
can call another's (transit → guarantees) and everything commits, or nothing does; a nested
writing unit runs in a savepoint, so when it fails (and the caller handles the failure) none
of its own writes remain. On SQLite the writing units of a process share durable commits (see
batching.py); on PostgreSQL rows are guarded by row locks and atomic updates in the services
themselves. Work that must follow a commit (announcing a message) registers with `after_commit`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from datetime import datetime, timezone

from sqlalchemy import Connection, DateTime, Engine, MetaData, TypeDecorator, create_engine, event

from toldsystem import config
from toldsystem.prepared import execute

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
_hooks: ContextVar[list[Callable[[], None]] | None] = ContextVar("told_after_commit_hooks", default=None)
log = logging.getLogger(__name__)


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
        # Savepoints keep a copy of each page they change (the statement journal): in memory, not a temp file.
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection):
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        execute(connection, f"BEGIN {mode}", ())  # on the driver's cursor: every unit of work begins so


def engine() -> Engine:
    """The process's engine, made from TOLD_DATABASE_URL on first use."""
    global _engine
    if _engine is None:
        _engine = make_engine(config.settings().database_url)
    return _engine


def installed() -> Engine | None:
    """The process's engine if one is made or installed (unlike `engine()`, never makes one)."""
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
        # A savepoint: if the inner unit of work fails, only its own writes (and hooks) are undone.
        with savepoint(outer), collecting_hooks():
            yield outer
        return
    with outermost(engine()) as conn:
        yield conn


@contextmanager
def outermost(eng: Engine) -> Iterator[Connection]:
    """The unit of work that commits; its after-commit hooks run once the commit is durable."""
    if is_sqlite(eng):
        with batching.group_commit(eng).unit() as conn:
            yield conn
        return
    with collecting_hooks() as hooks:
        with eng.connect() as conn:
            yield from _current_unit(conn)
    run_hooks(hooks)


def after_commit(hook: Callable[[], None]) -> None:
    """Run `hook` once the current unit of work has committed (never if it rolls back); now if there is none."""
    pending = _hooks.get()
    if pending is None:
        hook()
    else:
        pending.append(hook)


@contextmanager
def collecting_hooks() -> Iterator[list[Callable[[], None]]]:
    """Hooks registered inside are kept if the block succeeds: handed to the enclosing unit, or to the caller."""
    parent = _hooks.get()
    mine: list[Callable[[], None]] = []
    token = _hooks.set(mine)
    try:
        yield mine
    finally:
        _hooks.reset(token)
    if parent is not None:
        parent.extend(mine)
        mine.clear()


def run_hooks(hooks: list[Callable[[], None]]) -> None:
    for hook in hooks:
        try:
            hook()
        except Exception:  # noqa: BLE001 — the commit stands; a failed hook (a push) is only logged
            log.exception("after-commit hook failed")


@contextmanager
def reading() -> Iterator[Connection]:
    """A unit of work that only reads (inside a writing one, it reads what that one wrote)."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    with engine().connect() as conn:
        yield from _current_unit(conn)


_savepoint_depth: ContextVar[int] = ContextVar("told_savepoint_depth", default=0)


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """A savepoint in plain SQL: undone alone if the block fails. (`begin_nested()` does the same with
    bookkeeping that costs several times more, and every unit of work pays it.)

    Named by nesting depth, so the same few statements recur and stay in the driver's statement
    cache (a new name each time would push the real statements out of it)."""
    depth = _savepoint_depth.get() + 1
    name = f"told_sp_{depth}"
    token = _savepoint_depth.set(depth)
    execute(conn, f"SAVEPOINT {name}", ())
    try:
        yield
    except BaseException:
        execute(conn, f"ROLLBACK TO SAVEPOINT {name}", ())
        execute(conn, f"RELEASE SAVEPOINT {name}", ())
        raise
    finally:
        _savepoint_depth.reset(token)
    execute(conn, f"RELEASE SAVEPOINT {name}", ())


def _current_unit(conn: Connection) -> Iterator[Connection]:
    """Run a unit of work on `conn`, known to nested ones as the current connection."""
    token = _current.set(conn)
    try:
        with conn.begin():
            yield conn
    finally:
        _current.reset(token)


from toldsystem import batching  # noqa: E402 — it uses the names above at call time

__all__ = ["metadata", "make_engine", "engine", "installed", "use", "transaction", "reading", "is_sqlite",
           "in_transaction", "after_commit", "savepoint"]
