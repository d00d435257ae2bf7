"""Reference data use cases: load from CSV, look up offices, countries, currencies, code lists.

Reference data changes rarely, so each process keeps a snapshot per database for a minute
(SNAPSHOT_SECONDS), and drops it at once when this process loads new data; other processes
see a load within that minute.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

import pycountry
from sqlalchemy import Connection, Engine, delete, insert, select

from toldsystem import config, db
from toldsystem.core.errors import NotFound, Rejected, problem
from toldsystem.core.identifiers import is_valid_office_code
from toldsystem.reference import store
from toldsystem.reference.rules import Country, Currency, Office, parse_roles

BUNDLED = ("customs-offices-dk.csv", "customs-offices-foreign.csv")


@dataclass(frozen=True)
class Snapshot:
    """All reference data, read at once."""

    offices: dict[str, Office]
    countries: dict[str, Country]
    currencies: dict[str, Currency]
    code_lists: dict[str, dict[str, tuple[str, str]]]

    def office(self, code: str) -> Office | None:
        return self.offices.get(code)

    def has_code(self, list_name: str, code: str) -> bool:
        return code in self.code_lists.get(list_name, {})

    def eur_rate(self, currency: str) -> Decimal | None:
        found = self.currencies.get(currency)
        return found.eur_rate if found else None


SNAPSHOT_SECONDS = 60.0
_snapshots: dict[Engine, tuple[float, Snapshot]] = {}


def snapshot() -> Snapshot:
    """The reference data of the current database (cached per process for SNAPSHOT_SECONDS)."""
    key = db.engine()
    cached = _snapshots.get(key)
    if cached is None or time.monotonic() - cached[0] > SNAPSHOT_SECONDS:
        with db.reading() as conn:
            cached = (time.monotonic(), _read(conn))
        _snapshots[key] = cached
    return cached[1]


def _read(conn: Connection) -> Snapshot:
    offices = {r.code: Office(r.code, r.name, r.city, r.postcode, r.country, parse_roles(r.roles))
               for r in conn.execute(select(store.offices))}
    countries = {r.code: Country(r.code, r.name, r.eu, r.efta, r.common_transit)
                 for r in conn.execute(select(store.countries))}
    currencies = {r.code: Currency(r.code, Decimal(r.eur_rate)) for r in conn.execute(select(store.currencies))}
    code_lists: dict[str, dict[str, tuple[str, str]]] = {}
    for r in conn.execute(select(store.code_list_entries)):
        code_lists.setdefault(r.list, {})[r.code] = (r.en, r.da)
    return Snapshot(offices, countries, currencies, code_lists)


def forget_snapshot() -> None:
    """Drop cached reference data (after a load, or between tests)."""
    _snapshots.clear()


def office(code: str) -> Office:
    """An office by reference number, or NotFound."""
    found = snapshot().office(code)
    if found is None:
        raise NotFound(problem("office.unknown", "office", f"customs office {code} is not in the reference list",
                               f"toldsted {code} findes ikke i referencelisten"))
    return found


# --- loading -----------------------------------------------------------------------------

def load_bundled() -> dict[str, int]:
    """Load the reference data shipped with toldsystem (idempotent)."""
    data = resources.files("toldsystem.reference") / "data"
    counts = {"offices": 0}
    for name in BUNDLED:
        counts["offices"] += load_offices((data / name).read_text(encoding="utf-8"))
    counts["countries"] = load_countries((data / "countries.csv").read_text(encoding="utf-8"))
    counts["currencies"] = load_currencies((data / "currencies.csv").read_text(encoding="utf-8"))
    counts["code_list_entries"] = load_code_lists((data / "code_lists.csv").read_text(encoding="utf-8"))
    return counts


def load_file(kind: str, path: Path) -> int:
    """Extend reference data from a CSV file of the given kind (offices, countries, currencies, code-lists)."""
    loaders = {"offices": load_offices, "countries": load_countries,
               "currencies": load_currencies, "code-lists": load_code_lists}
    if kind not in loaders:
        raise Rejected(problem("reference.kind", "kind", f"unknown reference kind {kind!r}; use one of {sorted(loaders)}",
                               f"ukendt referencetype {kind!r}"))
    return loaders[kind](path.read_text(encoding="utf-8-sig"))


def _rows(text: str, required: set[str], source: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.replace("\r\n", "\n")))
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise Rejected(problem("reference.columns", source, f"CSV lacks columns {sorted(missing)}",
                               f"CSV mangler kolonnerne {sorted(missing)}"))
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _upsert(table, key_columns: list[str], rows: list[dict]) -> int:
    """Replace rows by key, all in one transaction: a bad file changes nothing."""
    with db.transaction() as conn:
        for row in rows:
            conn.execute(delete(table).where(*[table.c[k] == row[k] for k in key_columns]))
        if rows:
            conn.execute(insert(table), rows)
    forget_snapshot()
    return len(rows)


def load_offices(text: str) -> int:
    """Offices in the EU list's CSV layout: reference_number, usual_name, city, postal_code, roles."""
    rows = []
    for line, row in enumerate(_rows(text, {"reference_number", "usual_name", "roles"}, "offices"), start=2):
        code = row["reference_number"]
        if not is_valid_office_code(code):
            raise Rejected(problem("office.code", f"offices:line {line}", f"{code!r} is not an office reference number",
                                   f"{code!r} er ikke et toldstedsnummer"))
        rows.append({"code": code, "name": row["usual_name"], "city": row.get("city", ""),
                     "postcode": row.get("postal_code", ""), "country": code[:2],
                     "roles": ";".join(sorted(parse_roles(row["roles"])))})
    return _upsert(store.offices, ["code"], rows)


def load_countries(text: str) -> int:
    """Countries: code, eu, efta, common_transit (1/0); names come from ISO 3166."""
    rows = []
    for row in _rows(text, {"code", "eu", "efta", "common_transit"}, "countries"):
        found = pycountry.countries.get(alpha_2=row["code"])
        name = row.get("name") or (found.name if found else row["code"])
        rows.append({"code": row["code"], "name": name, "eu": row["eu"] == "1",
                     "efta": row["efta"] == "1", "common_transit": row["common_transit"] == "1"})
    return _upsert(store.countries, ["code"], rows)


def load_currencies(text: str) -> int:
    """Currencies with units per EUR; 'env:TOLD_EUR_DKK_RATE' takes the configured rate."""
    rows = []
    for line, row in enumerate(_rows(text, {"code", "eur_rate"}, "currencies"), start=2):
        raw = row["eur_rate"]
        try:
            rate = config.settings().eur_dkk_rate if raw == "env:TOLD_EUR_DKK_RATE" else Decimal(raw)
        except InvalidOperation:
            raise Rejected(problem("currency.rate", f"currencies:line {line}", f"rate {raw!r} is not a number",
                                   f"kurs {raw!r} er ikke et tal")) from None
        if pycountry.currencies.get(alpha_3=row["code"]) is None or rate <= 0:
            raise Rejected(problem("currency.code", f"currencies:line {line}", f"{row['code']!r} with rate {raw} is not valid",
                                   f"{row['code']!r} med kurs {raw} er ikke gyldig"))
        rows.append({"code": row["code"], "eur_rate": rate})
    return _upsert(store.currencies, ["code"], rows)


def set_eur_rate(currency: str, rate: Decimal) -> None:
    """Set how many units of `currency` one EUR buys (officers; e.g. the EUR→DKK rate)."""
    if rate <= 0:
        raise Rejected(problem("currency.rate", "eur_rate", "rate must be positive", "kursen skal være positiv"))
    _upsert(store.currencies, ["code"], [{"code": currency, "eur_rate": rate}])


def load_code_lists(text: str) -> int:
    """Code list entries: list, code, en, da."""
    rows = [{"list": r["list"], "code": r["code"], "en": r["en"], "da": r.get("da", "")}
            for r in _rows(text, {"list", "code", "en"}, "code-lists")]
    return _upsert(store.code_list_entries, ["list", "code"], rows)
