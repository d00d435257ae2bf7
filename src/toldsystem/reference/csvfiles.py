"""Reading reference data CSV files: each line checked, every error naming its line (pure, no store).

Three layouts, told apart by their header:
- code lists: list, code, en[, da, valid_from, valid_to] — `list` is the official id (CL017);
- offices: reference_number, usual_name, roles[, city, postal_code, competent_authority_enquiry,
  competent_authority_recovery] — roles as 'DEP;DES;TRA';
- currencies: code, eur_rate — units per EUR, or 'env:TOLD_EUR_DKK_RATE' for the configured rate.
A file with an error is refused as a whole, so a bad file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from toldsystem.core.errors import Rejected, problem
from toldsystem.core.identifiers import is_valid_office_code

MAX_BYTES = 64 * 1024 * 1024  # the largest official list (UN/LOCODE) is a few MB as our CSV
MAX_PROBLEMS = 20  # enough to show a pattern; the file is refused at the first one anyway
CODE_LIST, OFFICES, CURRENCIES = "code-lists", "offices", "currencies"
LAYOUTS = {
    CODE_LIST: ({"list", "code", "en"}, {"da", "valid_from", "valid_to"}),
    OFFICES: ({"reference_number", "usual_name", "roles"},
              {"city", "postal_code", "competent_authority_enquiry", "competent_authority_recovery"}),
    CURRENCIES: ({"code", "eur_rate"}, set()),
}
LIST_ID = re.compile(r"^CL\d{3}$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/+\-]{0,19}$")
ROLE = re.compile(r"^[A-Z]{3}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
TEXT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Row:
    """One data line: its number in the file (for errors) and its fields by column."""

    line: int
    fields: dict[str, str]


class _Problems:
    """Problems found so far in one file, each pointing at '<kind>:line N'."""

    def __init__(self, kind: str):
        self.kind, self.found = kind, []

    def add(self, code: str, line: int | None, en: str, da: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            pointer = f"{self.kind}:line {line}" if line else self.kind
            self.found.append(problem(f"reference.{code}", pointer, en, da, line=line or 0))

    def raise_any(self) -> None:
        if self.found:
            raise Rejected(self.found)


def decode(data: bytes, kind: str) -> str:
    """UTF-8 text (a byte-order mark allowed), or an error naming the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise Rejected(problem("reference.too_large", kind, f"the file has {len(data)} bytes; at most {MAX_BYTES}",
                               f"filen har {len(data)} byte; højst {MAX_BYTES}"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise Rejected(problem("reference.not_utf8", f"{kind}:line {line}", "the line is not UTF-8 text",
                               "linjen er ikke UTF-8-tekst", line=line)) from None


def layout_of(text: str) -> str | None:
    """Which layout a file's header names (code-lists, offices, currencies), or None."""
    header = {h.strip() for h in next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])}
    return next((kind for kind, (required, _optional) in LAYOUTS.items() if required <= header), None)


def rows(text: str, kind: str) -> list[Row]:
    """The data lines of a CSV of the given layout; refused if a column or a line is malformed."""
    required, optional = LAYOUTS[kind]
    problems = _Problems(kind)
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
        missing, unknown = required - set(header), set(header) - required - optional
        if missing or unknown or len(set(header)) != len(header):
            problems.add("columns", 1, f"the header must have the columns {sorted(required)} and may have "
                         f"{sorted(optional)}; it has {header}",
                         f"overskriften skal have kolonnerne {sorted(required)} og må have {sorted(optional)}; "
                         f"den har {header}")
            problems.raise_any()
        found = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.add("fields", reader.line_num, f"the line has {len(values)} fields; "
                             f"the header has {len(header)}",
                             f"linjen har {len(values)} felter; overskriften har {len(header)}")
                continue
            found.append(Row(reader.line_num, dict(zip(header, map(str.strip, values), strict=True))))
    except csv.Error as exc:
        problems.add("csv", reader.line_num, f"the line is not valid CSV: {exc}",
                     f"linjen er ikke gyldig CSV: {exc}")
    problems.raise_any()
    if not found:
        raise Rejected(problem("reference.empty", kind, "the file has no data lines", "filen har ingen datalinjer"))
    return found


def _date(value: str, line: int, column: str, problems: _Problems) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.add("date", line, f"{column} {value!r} is not a date (YYYY-MM-DD)",
                     f"{column} {value!r} er ikke en dato (ÅÅÅÅ-MM-DD)")
        return None


def _unique(key: tuple, line: int, seen: dict, what: str, problems: _Problems) -> None:
    if key in seen:
        problems.add("duplicate", line, f"repeats {what} of line {seen[key]}",
                     f"gentager {what} fra linje {seen[key]}")
    seen.setdefault(key, line)


def _text(row: Row, column: str, limit: int, problems: _Problems) -> str:
    value = row.fields.get(column, "")
    if len(value) > limit:
        problems.add("too_long", row.line, f"{column} has {len(value)} characters; at most {limit}",
                     f"{column} har {len(value)} tegn; højst {limit}")
    return value


def code_list_entries(text: str) -> dict[str, list[dict]]:
    """Code list entries by list id, ready for the store; refused if any line is wrong."""
    problems, seen, by_list = _Problems(CODE_LIST), {}, {}
    for row in rows(text, CODE_LIST):
        f, line = row.fields, row.line
        list_id, code, en, da = f["list"], f["code"], f["en"], f.get("da", "")
        if not LIST_ID.match(list_id):
            problems.add("list_id", line, f"list {list_id!r} is not an official code list id (CLnnn, "
                         "e.g. CL017 kinds of packages, CL251 guarantee types)",
                         f"liste {list_id!r} er ikke et officielt kodeliste-id (CLnnn, "
                         "fx CL017 kolliarter, CL251 sikkerhedsstillelsesarter)")
        if not CODE.match(code):
            problems.add("code", line, f"code {code!r} must be 1 to 20 letters, digits or . _ / + - "
                         "(spaces inside allowed)",
                         f"kode {code!r} skal være 1 til 20 bogstaver, cifre eller . _ / + -")
        if (list_id, code) in seen:
            _unique((list_id, code), line, seen, f"code {code} of {list_id}", problems)
        seen.setdefault((list_id, code), line)
        if len(en) > TEXT_LIMIT or len(da) > TEXT_LIMIT:
            _text(row, "en", TEXT_LIMIT, problems), _text(row, "da", TEXT_LIMIT, problems)
        valid_from = _date(f["valid_from"], line, "valid_from", problems) if f.get("valid_from") else None
        valid_to = _date(f["valid_to"], line, "valid_to", problems) if f.get("valid_to") else None
        if valid_from and valid_to and valid_to < valid_from:
            problems.add("dates", line, f"valid_to {valid_to} is before valid_from {valid_from}",
                         f"valid_to {valid_to} ligger før valid_from {valid_from}")
        by_list.setdefault(list_id, []).append({"list": list_id, "code": code, "en": en, "da": da,
                                                "valid_from": valid_from, "valid_to": valid_to})
    problems.raise_any()
    return by_list


def office_rows(text: str) -> list[dict]:
    """Offices ready for the store (the country is the reference number's first two letters)."""
    problems, seen, found = _Problems(OFFICES), {}, []
    for row in rows(text, OFFICES):
        code = row.fields["reference_number"]
        if not is_valid_office_code(code):
            problems.add("office_code", row.line, f"{code!r} is not an office reference number "
                         "(country code and 6 letters or digits, e.g. DK009264)",
                         f"{code!r} er ikke et toldstedsnummer (landekode og 6 tegn, fx DK009264)")
        roles = [r.strip() for r in row.fields["roles"].split(";") if r.strip()]
        bad_roles = [r for r in roles if not ROLE.match(r)]
        if bad_roles:  # no roles at all is allowed: the office then acts in none
            problems.add("roles", row.line, f"roles {row.fields['roles']!r} must be three-letter "
                         "codes separated by ';' (e.g. DEP;DES;TRA)",
                         f"roller {row.fields['roles']!r} skal være koder på tre bogstaver "
                         "adskilt af ';' (fx DEP;DES;TRA)")
        _unique((code,), row.line, seen, f"office {code}", problems)
        found.append({"code": code, "name": _text(row, "usual_name", 200, problems),
                      "city": _text(row, "city", 100, problems), "postcode": _text(row, "postal_code", 20, problems),
                      "country": code[:2], "roles": ";".join(sorted(set(roles)))})
    problems.raise_any()
    return found


def currency_rows(text: str, configured_dkk: Decimal) -> list[dict]:
    """Currencies with units per EUR; 'env:TOLD_EUR_DKK_RATE' takes the configured rate."""
    problems, seen, found = _Problems(CURRENCIES), {}, []
    for row in rows(text, CURRENCIES):
        code, raw = row.fields["code"], row.fields["eur_rate"]
        try:
            rate = configured_dkk if raw == "env:TOLD_EUR_DKK_RATE" else Decimal(raw)
        except InvalidOperation:
            rate = None
        if not CURRENCY.match(code) or rate is None or not rate.is_finite() or rate <= 0:
            problems.add("currency", row.line, f"{code!r} with rate {raw!r} is not valid "
                         "(a three-letter code and a positive number)",
                         f"{code!r} med kurs {raw!r} er ikke gyldig (en kode på tre bogstaver "
                         "og et positivt tal)")
        _unique((code,), row.line, seen, f"currency {code}", problems)
        found.append({"code": code, "eur_rate": rate})
    problems.raise_any()
    return found


def index_rows(text: str) -> dict[str, dict]:
    """The bundled code-list index (list, name, entries, source) by list id."""
    reader = csv.DictReader(io.StringIO(text))
    return {r["list"]: {"list": r["list"], "name": r["name"], "source": r["source"]} for r in reader}
