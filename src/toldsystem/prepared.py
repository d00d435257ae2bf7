"""Statements the hot paths run thousands of times a second, compiled once per dialect.

`Connection.execute` builds a cache key, looks up the compiled form and sets up type
processing on every call: tens of microseconds a statement, more than SQLite takes to run
it. A `Prepared` statement is compiled once per dialect and run with `exec_driver_sql`, which
keeps SQLAlchemy's transaction, events and error translation (an IntegrityError stays an
IntegrityError). Values pass through their column types' bind processors (UtcDateTime), and
`rows()` passes what comes back through the result processors (dates, booleans on SQLite);
`run()` hands back the driver's values, which is enough for ids, counts and text.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, CursorResult, Table, bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, ColumnElement


class _Compiled(NamedTuple):
    sql: str
    positions: tuple[str, ...] | None  # parameter names in order for positional styles (SQLite), else None
    defaults: dict[str, Any]  # values written into the statement itself, e.g. state='reserved'
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    row: type  # a named tuple of the columns the statement returns
    results: tuple[Callable[[Any], Any] | None, ...]  # one result processor (or None) per returned column


class Prepared:
    """A Core statement (with named bindparams) compiled on first use on each kind of database."""

    __slots__ = ("statement", "_compiled")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, str, str], _Compiled] = {}

    def run(self, conn: Connection, params: Mapping[str, Any] | None = None) -> CursorResult:
        """Execute once with `params` (by bindparam name)."""
        compiled = self._for(conn.dialect)
        return conn.exec_driver_sql(compiled.sql, _arguments(compiled, params or {}))

    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """Execute and return every row as a named tuple, values converted by their column types."""
        compiled = self._for(conn.dialect)
        found = conn.exec_driver_sql(compiled.sql, _arguments(compiled, params or {})).all()
        if not any(compiled.results):
            return [compiled.row._make(r) for r in found]
        return [compiled.row._make([v if p is None or v is None else p(v) for p, v in zip(compiled.results, r)])
                for r in found]

    def run_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute once per row, in one driver call (executemany)."""
        compiled = self._for(conn.dialect)
        conn.exec_driver_sql(compiled.sql, [_arguments(compiled, row) for row in rows])

    def _for(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver, dialect.paramstyle)
        found = self._compiled.get(key)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            processors = []
            for name, bind in compiled.binds.items():
                process = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    processors.append((name, process))
            positions = tuple(compiled.positiontup) if compiled.positiontup is not None else None
            defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                        if not bind.required and bind.effective_value is not None}
            columns = list(getattr(self.statement, "exported_columns", ()))
            row = namedtuple("Row", [c.key for c in columns] or ["_"], rename=True)
            results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
            found = self._compiled[key] = _Compiled(compiled.string, positions, defaults, tuple(processors), row,
                                                    results)
        return found


def _arguments(compiled: _Compiled, params: Mapping[str, Any]) -> tuple | dict:
    values = {**compiled.defaults, **params} if compiled.defaults else dict(params)
    for name, process in compiled.processors:
        if name in values:
            values[name] = process(values[name])
    if compiled.positions is None:
        return values
    return tuple(values.get(name) for name in compiled.positions)


def insert_row(table: Table, *returning: ColumnElement) -> Prepared:
    """INSERT of one row with every column bound by its own name (an autoincrement key is left to the database)."""
    columns = [c for c in table.columns if c is not table.autoincrement_column]
    statement = insert(table).values({c.name: bindparam(c.name) for c in columns})
    return Prepared(statement.returning(*returning) if returning else statement)
