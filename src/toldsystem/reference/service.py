"""Reference data use cases: load from CSV, look up offices, countries, currencies, code lists.

The store holds reference data in parts: 'offices' and one 'code_list:CLnnn' per code list, each
with a fingerprint (reference_parts). Loading the bundled data rewrites only the parts whose
fingerprint differs, so a restart or `told demo load` costs a query when nothing changed.

Reference data changes rarely, so each process keeps a snapshot per database and checks the
fingerprints at most once a minute (SNAPSHOT_SECONDS), re-reading only the parts that moved;
a load in this process marks the snapshot stale at once, other processes see it within a minute.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select

from toldsystem import config, db
from toldsystem.core import clock
from toldsystem.core.errors import NotFound, Rejected, problem
from toldsystem.reference import csvfiles, snapshot as snapshots, store
from toldsystem.reference.rules import CodeEntry, CodeListInfo, Currency, Office, parse_roles
from toldsystem.reference.snapshot import Snapshot

OFFICES_FILE = "customs-offices.csv"
CURRENCIES_FILE = "currencies.csv"
INDEX_FILE = "code-list-index.csv"
CODE_LIST_FILES = ("code-lists.csv", "code-list-CL016.csv", "code-list-CL244.csv")
OFFICES = "offices"
CODE_LIST_PART = "code_list:"
SNAPSHOT_SECONDS = 60.0
__all__ = ["Snapshot", "snapshot", "forget_snapshot", "office", "bundled_snapshot", "load_bundled", "load_file",
           "load_csv", "set_eur_rate"]


# --- the snapshot ------------------------------------------------------------------------------

@dataclass
class _Cached:
    parts: dict[str, tuple[str | None, dict]]  # part -> (fingerprint read with it, its data)
    snapshot: Snapshot
    checked: float
    stale: bool = False


_cache: dict[Engine, _Cached] = {}


def snapshot() -> Snapshot:
    """The reference data of the current database (checked for changes at most every SNAPSHOT_SECONDS)."""
    key = db.engine()
    cached = _cache.get(key)
    if cached is not None and not cached.stale and time.monotonic() - cached.checked <= SNAPSHOT_SECONDS:
        return cached.snapshot
    with db.reading() as conn:
        cached = _refreshed(conn, cached)
    _cache[key] = cached
    return cached.snapshot


def forget_snapshot() -> None:
    """Check the store again at the next snapshot() (after a load, or between tests)."""
    for cached in _cache.values():
        cached.stale = True


def _read_part(conn: Connection, part: str) -> dict:
    if part == OFFICES:
        return {r.code: Office(r.code, r.name, r.city, r.postcode, r.country, parse_roles(r.roles))
                for r in conn.execute(select(store.offices))}
    table = store.code_list_entries
    rows = conn.execute(select(table.c.code, table.c.en, table.c.da, table.c.valid_from, table.c.valid_to)
                        .where(table.c.list == part[len(CODE_LIST_PART):]))
    return {r.code: CodeEntry(r.code, r.en, r.da, r.valid_from, r.valid_to) for r in rows}


def _refreshed(conn: Connection, cached: _Cached | None) -> _Cached:
    """Re-read the parts whose fingerprint moved; keep the snapshot itself if nothing did."""
    stored = dict(conn.execute(select(store.reference_parts.c.part, store.reference_parts.c.fingerprint)).all())
    old = cached.parts if cached else {}
    wanted = {OFFICES} | {p for p in stored if p.startswith(CODE_LIST_PART)}
    parts = {}
    for part in wanted:
        fingerprint = stored.get(part)
        keep = part in old and fingerprint is not None and old[part][0] == fingerprint
        parts[part] = old[part] if keep else (fingerprint, _read_part(conn, part))
    currencies = {r.code: Currency(r.code, Decimal(r.eur_rate)) for r in conn.execute(select(store.currencies))}
    lists = {r.list: CodeListInfo(r.list, r.name, r.source) for r in conn.execute(select(store.code_lists))}
    day = clock.local(clock.now()).date()
    previous = cached.snapshot if cached else None
    unchanged = (previous is not None and parts.keys() == old.keys()
                 and all(parts[p] is old[p] for p in parts) and previous.day == day
                 and previous.currencies == currencies and all(previous.lists.get(k) == v for k, v in lists.items()))
    if unchanged:
        return _Cached(parts, previous, time.monotonic())
    entries = {p[len(CODE_LIST_PART):]: data for p, (_fp, data) in parts.items() if p.startswith(CODE_LIST_PART)}
    return _Cached(parts, snapshots.build(parts[OFFICES][1], currencies, entries, lists, day), time.monotonic())


def office(code: str) -> Office:
    """An office by reference number, or NotFound."""
    found = snapshot().office(code)
    if found is None:
        raise NotFound(problem("office.unknown", "office", f"customs office {code} is not in the reference list",
                               f"toldsted {code} findes ikke i referencelisten"))
    return found


# --- writing parts -------------------------------------------------------------------------------

def _record(conn: Connection, part: str, fingerprint: str, origin: str, count: int) -> None:
    table = store.reference_parts
    conn.execute(delete(table).where(table.c.part == part))
    conn.execute(insert(table).values(part=part, fingerprint=fingerprint, origin=origin, rows=count,
                                      loaded_at=clock.now()))


def _insert(conn: Connection, table, rows: list[dict]) -> None:
    """Insert many rows; on PostgreSQL by COPY (the bundled lists are 171,000 rows), in the same transaction."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    with conn.connection.driver_connection.cursor() as cursor:
        quoted = ", ".join(f'"{c}"' for c in columns)  # our own column names, quoted as identifiers
        with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])


def _replace_code_list(conn: Connection, list_id: str, rows: list[dict]) -> None:
    conn.execute(delete(store.code_list_entries).where(store.code_list_entries.c.list == list_id))
    _insert(conn, store.code_list_entries, rows)


def _upsert(conn: Connection, table, rows: list[dict], replace_all: bool = False) -> None:
    """Rows replace those with the same key (or, with replace_all, the whole table)."""
    if replace_all:
        conn.execute(delete(table))
    else:
        key = table.c.code
        codes = [r["code"] for r in rows]
        for start in range(0, len(codes), 500):
            conn.execute(delete(table).where(key.in_(codes[start:start + 500])))
    _insert(conn, table, rows)


def _upsert_index(conn: Connection, rows: list[dict]) -> None:
    table = store.code_lists
    ids = [r["list"] for r in rows]
    for start in range(0, len(ids), 500):
        conn.execute(delete(table).where(table.c.list.in_(ids[start:start + 500])))
    if rows:
        conn.execute(insert(table), rows)


def _changed() -> str:
    return f"changed:{uuid.uuid4().hex}"


# --- the bundled data ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Bundle:
    offices: tuple[str, list[dict]]  # (fingerprint, rows)
    code_lists: dict[str, tuple[str, list[dict]]]  # list id -> (fingerprint, rows)
    currencies: list[dict] = field(default_factory=list)
    index: list[dict] = field(default_factory=list)


_bundles: dict[Decimal, _Bundle] = {}


def _fingerprint(rows: list[dict]) -> str:
    text = "\x1e".join("\x1f".join(map(str, row.values())) for row in rows)
    return f"bundled:{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"


def _bundle() -> _Bundle:
    """The data shipped with toldsystem, read and checked once per process (per configured EUR→DKK rate)."""
    rate = config.settings().eur_dkk_rate
    if rate not in _bundles:
        data = resources.files("toldsystem.reference") / "data"
        offices = csvfiles.office_rows((data / OFFICES_FILE).read_text(encoding="utf-8"))
        code_lists: dict[str, list[dict]] = {}
        for name in CODE_LIST_FILES:
            code_lists |= csvfiles.code_list_entries((data / name).read_text(encoding="utf-8"))
        _bundles[rate] = _Bundle(
            offices=(_fingerprint(offices), offices),
            code_lists={list_id: (_fingerprint(rows), rows) for list_id, rows in code_lists.items()},
            currencies=csvfiles.currency_rows((data / CURRENCIES_FILE).read_text(encoding="utf-8"), rate),
            index=list(csvfiles.index_rows((data / INDEX_FILE).read_text(encoding="utf-8")).values()))
    return _bundles[rate]


_bundled_snapshots: dict[tuple, Snapshot] = {}


def bundled_snapshot() -> Snapshot:
    """The bundled data as a snapshot, without a store (pure rule tests, tools), as of today; built once a day."""
    bundle, day = _bundle(), clock.local(clock.now()).date()
    key = (id(bundle), day)
    if key not in _bundled_snapshots:
        offices = {r["code"]: Office(r["code"], r["name"], r["city"], r["postcode"], r["country"],
                                     parse_roles(r["roles"])) for r in bundle.offices[1]}
        entries = {list_id: {r["code"]: CodeEntry(r["code"], r["en"], r["da"], r["valid_from"], r["valid_to"])
                             for r in rows} for list_id, (_fp, rows) in bundle.code_lists.items()}
        currencies = {r["code"]: Currency(r["code"], r["eur_rate"]) for r in bundle.currencies}
        lists = {r["list"]: CodeListInfo(r["list"], r["name"], r["source"]) for r in bundle.index}
        _bundled_snapshots.clear()
        _bundled_snapshots[key] = snapshots.build(offices, currencies, entries, lists, day)
    return _bundled_snapshots[key]


def load_bundled() -> dict[str, int]:
    """Bring the reference data shipped with toldsystem back (only the parts that differ are rewritten)."""
    bundle = _bundle()
    counts = {"offices": 0, "code_lists": 0, "code_list_entries": 0, "currencies": len(bundle.currencies),
              "unchanged_parts": 0}
    with db.transaction() as conn:
        table = store.reference_parts
        stored = {r.part: r for r in conn.execute(select(table.c.part, table.c.fingerprint, table.c.origin))}
        if stored.get(OFFICES) is None or stored[OFFICES].fingerprint != bundle.offices[0]:
            _upsert(conn, store.offices, bundle.offices[1], replace_all=True)
            _record(conn, OFFICES, bundle.offices[0], "bundled", len(bundle.offices[1]))
            counts["offices"] = len(bundle.offices[1])
        else:
            counts["unchanged_parts"] += 1
        for list_id, (fingerprint, rows) in bundle.code_lists.items():
            part = CODE_LIST_PART + list_id
            if stored.get(part) is not None and stored[part].fingerprint == fingerprint:
                counts["unchanged_parts"] += 1
                continue
            _replace_code_list(conn, list_id, rows)
            _record(conn, part, fingerprint, "bundled", len(rows))
            counts["code_lists"] += 1
            counts["code_list_entries"] += len(rows)
        for part, row in stored.items():  # a list an older toldsystem shipped and this one does not
            if row.origin == "bundled" and part.startswith(CODE_LIST_PART) \
                    and part[len(CODE_LIST_PART):] not in bundle.code_lists:
                _replace_code_list(conn, part[len(CODE_LIST_PART):], [])
                conn.execute(delete(table).where(table.c.part == part))
        _upsert(conn, store.currencies, bundle.currencies)
        _upsert_index(conn, bundle.index)
        db.after_commit(forget_snapshot)
    return counts


# --- loading a file ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Loaded:
    """What a load changed: the layout read, the rows written and (for code lists) the lists replaced."""

    kind: str
    rows: int
    lists: tuple[str, ...] = ()


def load_file(path: Path, kind: str | None = None, replace: bool = False) -> Loaded:
    """Load a reference CSV file (its layout told by its header unless `kind` is given)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise Rejected(problem("reference.file", str(path), f"cannot read {path}: {exc.strerror}",
                               f"kan ikke læse {path}: {exc.strerror}")) from None
    if size > csvfiles.MAX_BYTES:
        raise Rejected(problem("reference.too_large", str(path), f"{path} has {size} bytes; at most "
                               f"{csvfiles.MAX_BYTES}", f"{path} har {size} byte; højst {csvfiles.MAX_BYTES}"))
    return load_csv(path.read_bytes(), kind=kind, replace=replace, source=path.name)


def load_csv(data: bytes, kind: str | None = None, replace: bool = False, source: str = "a CSV file") -> Loaded:
    """Load reference data from CSV bytes, atomically: code lists named in it are replaced whole,
    offices and currencies are added or replaced one by one (all offices with `replace`)."""
    text = csvfiles.decode(data, kind or "csv")
    layout = kind or csvfiles.layout_of(text)
    if layout not in csvfiles.LAYOUTS:
        raise Rejected(problem("reference.kind", "kind", f"the file is not a reference CSV: give it the header of "
                               f"one of {sorted(csvfiles.LAYOUTS)} (see docs/operations.md)",
                               f"filen er ikke en reference-CSV: giv den overskriften for en af "
                               f"{sorted(csvfiles.LAYOUTS)}"))
    if layout == csvfiles.CODE_LIST:
        found = _load_code_lists(csvfiles.code_list_entries(text), source)
    elif layout == csvfiles.OFFICES:
        found = _load_offices(csvfiles.office_rows(text), replace)
    else:
        found = _load_currencies(csvfiles.currency_rows(text, config.settings().eur_dkk_rate))
    return found


def _load_code_lists(by_list: dict[str, list[dict]], source: str) -> Loaded:
    today = clock.local(clock.now()).date().isoformat()
    with db.transaction() as conn:
        db.after_commit(forget_snapshot)
        names = {r.list: r.name for r in conn.execute(select(store.code_lists.c.list, store.code_lists.c.name))}
        for list_id, rows in by_list.items():
            _replace_code_list(conn, list_id, rows)
            _record(conn, CODE_LIST_PART + list_id, _changed(), "file", len(rows))
        _upsert_index(conn, [{"list": list_id, "name": names.get(list_id, list_id),
                              "source": f"{source}, loaded {today}"} for list_id in by_list])
    return Loaded(csvfiles.CODE_LIST, sum(len(rows) for rows in by_list.values()), tuple(sorted(by_list)))


def _load_offices(rows: list[dict], replace: bool) -> Loaded:
    with db.transaction() as conn:
        db.after_commit(forget_snapshot)
        _upsert(conn, store.offices, rows, replace_all=replace)
        _record(conn, OFFICES, _changed(), "file", len(rows))
    return Loaded(csvfiles.OFFICES, len(rows))


def _load_currencies(rows: list[dict]) -> Loaded:
    with db.transaction() as conn:
        db.after_commit(forget_snapshot)
        _upsert(conn, store.currencies, rows)
    return Loaded(csvfiles.CURRENCIES, len(rows))


def set_eur_rate(currency: str, rate: Decimal) -> None:
    """Set how many units of `currency` one EUR buys (officers; e.g. the EUR→DKK rate)."""
    if rate <= 0:
        raise Rejected(problem("currency.rate", "eur_rate", "rate must be positive", "kursen skal være positiv"))
    with db.transaction() as conn:
        db.after_commit(forget_snapshot)
        _upsert(conn, store.currencies, [{"code": currency, "eur_rate": rate}])
