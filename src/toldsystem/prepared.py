"""Statements the hot paths run thousands of times a second, compiled once per dialect.

`Connection.execute` builds a cache key, looks up the compiled form, sets up type processing
and a result object on every call: tens of microseconds a statement, more than SQLite takes
to run it. A `Prepared` statement is compiled once per dialect and run on the driver's cursor
inside the connection's current transaction. Values still pass through their column types'
bind processors (UtcDateTime), rows through their result processors (dates, booleans on
SQLite), and driver errors are raised as SQLAlchemy's (an IntegrityError stays an
IntegrityError), so callers see what `Connection.execute` would give them.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table, bindparam, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, NoResultFound
from sqlalchemy.sql import ClauseElement, ColumnElement
from sqlalchemy.types import TypeDecorator, TypeEngine


class _Compiled(NamedTuple):
    sql: str
    # positional styles (SQLite): per parameter in order, its name, its value written into the
    # statement itself (e.g. state='reserved') and its type's bind processor; None for named styles
    slots: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...] | None
    defaults: dict[str, Any]  # named styles (PostgreSQL): the values written into the statement
    processors: tuple[tuple[str, Callable[[Any], Any]], ...]
    row: type | None  # a named tuple of the columns the statement returns (None: plain tuples)
    results: tuple[Callable[[Any], Any] | None, ...]  # a result processor (or None) per returned column


class Result:
    """The part of SQLAlchemy's result API the hot paths use, over the driver's cursor."""

    __slots__ = ("_cursor", "_compiled")

    def __init__(self, cursor, compiled: _Compiled) -> None:
        self._cursor = cursor
        self._compiled = compiled

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def all(self) -> list[tuple]:
        return [self._row(r) for r in self._cursor.fetchall()]

    def first(self) -> tuple | None:
        found = self._cursor.fetchone()
        return None if found is None else self._row(found)

    def one(self) -> tuple:
        found = self.first()
        if found is None:
            raise NoResultFound("the statement returned no row")
        return found

    def scalar(self) -> Any:
        found = self.first()
        return None if found is None else found[0]

    def scalar_one(self) -> Any:
        return self.one()[0]

    def _row(self, values: tuple) -> tuple:
        compiled = self._compiled
        if any(compiled.results):
            values = tuple(v if p is None or v is None else p(v) for p, v in zip(compiled.results, values))
        return values if compiled.row is None else compiled.row._make(values)


class Prepared:
    """A Core statement (with named bindparams) compiled on first use on each kind of database."""

    __slots__ = ("statement", "_compiled")

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, str, str], _Compiled] = {}

    def run(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Result:
        """Execute once with `params` (by bindparam name)."""
        compiled = self._for(conn.dialect)
        return Result(execute(conn, compiled.sql, _arguments(compiled, params or {})), compiled)

    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """Execute and return every row as a named tuple."""
        return self.run(conn, params).all()

    def run_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute once per row, in one driver call (executemany)."""
        compiled = self._for(conn.dialect)
        execute(conn, compiled.sql, [_arguments(compiled, row) for row in rows], many=True)

    def _for(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver, dialect.paramstyle)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = _compile(self.statement, dialect)
        return found


def insert_row(table: Table, *returning: ColumnElement) -> Prepared:
    """INSERT of one row with every column bound by its own name (an autoincrement key is left to the database)."""
    statement = insert(table).values({c.name: bindparam(c.name) for c in _written_columns(table)})
    return Prepared(statement.returning(*returning) if returning else statement)


class RowsInsert:
    """INSERT of several rows in one statement (row i's values bound as `name__i`), one Prepared per row count."""

    def __init__(self, table: Table, *returning: ColumnElement) -> None:
        self.table = table
        self.returning = returning
        self.columns = _written_columns(table)
        self._by_count: dict[int, Prepared] = {}

    def run(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> Result:
        prepared = self._by_count.get(len(rows))
        if prepared is None:
            statement = insert(self.table).values([
                {c.name: bindparam(f"{c.name}__{i}", type_=c.type) for c in self.columns} for i in range(len(rows))])
            prepared = self._by_count[len(rows)] = Prepared(statement.returning(*self.returning))
        return prepared.run(conn, {f"{name}__{i}": value for i, row in enumerate(rows) for name, value in row.items()})


def _written_columns(table: Table) -> list:
    """Every column an INSERT names: all but an autoincrement key, which the database fills in."""
    return [c for c in table.columns if c is not table.autoincrement_column]


def _compile(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    processors = []
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            if _is_instant(bind.type):
                process = _remembering(process, (dialect.name, repr(bind.type)))
            processors.append((name, process))
    defaults = {name: bind.effective_value for name, bind in compiled.binds.items()
                if not bind.required and bind.effective_value is not None}
    by_name = dict(processors)
    slots = (tuple((name, defaults.get(name), by_name.get(name)) for name in compiled.positiontup)
             if compiled.positiontup is not None else None)
    columns = list(getattr(statement, "exported_columns", ()))
    row = namedtuple("Row", [c.key for c in columns], rename=True) if columns else None
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return _Compiled(compiled.string, slots, defaults, tuple(processors), row, results)


def _is_instant(column_type: TypeEngine) -> bool:
    """A date or time type (also under a TypeDecorator such as UtcDateTime)."""
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    try:
        return issubclass(column_type.python_type, (datetime, date))
    except NotImplementedError:
        return False


# The last instant each (dialect, type as written, e.g. "UtcDateTime()") converted, and what it
# became: one unit of work binds its `now` to many statements, and converting a datetime for the
# driver is not cheap.
_last_instant: dict[tuple[str, str], tuple[Any, Any]] = {}


def _remembering(process: Callable[[Any], Any], key: tuple[str, str]) -> Callable[[Any], Any]:
    """The bind processor of a date or time type, shared with every statement binding the same type:
    the same (immutable) value is converted once. The pair is replaced whole, so threads see a consistent one."""
    def remembered(value: Any) -> Any:
        last = _last_instant.get(key)
        if last is not None and last[0] is value:
            return last[1]
        converted = process(value)
        _last_instant[key] = (value, converted)
        return converted

    return remembered


def _arguments(compiled: _Compiled, params: Mapping[str, Any]) -> tuple | dict:
    if compiled.slots is not None:
        get = params.get
        values = []
        for name, default, process in compiled.slots:
            value = get(name, default)
            values.append(value if process is None else process(value))
        return tuple(values)
    values = {**compiled.defaults, **params} if compiled.defaults else dict(params)
    for name, process in compiled.processors:
        if name in values:
            values[name] = process(values[name])
    return values


def execute(conn: Connection, sql: str, arguments, many: bool = False):
    """Run on the driver's cursor, in the transaction SQLAlchemy holds open on `conn`."""
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.driver_connection.cursor()
    try:
        if many:
            cursor.executemany(sql, arguments)
        else:
            cursor.execute(sql, arguments)
    except dbapi.Error as error:
        raise DBAPIError.instance(sql, arguments, error, dbapi.Error, dialect=conn.dialect) from error
    return cursor
