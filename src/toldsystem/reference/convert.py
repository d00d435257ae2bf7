"""Turn CS/RD2 exports (read by csrd2.py) into toldsystem's reference CSV files.

Used by tools/reference_data.py to refresh the bundled data, and by anyone who wants to load a
newer EU export (`told reference load`). The policy, in one place:

- Code lists are keyed by their official id (CL017). Sources are merged per list in the order
  given (oldest first): a code listed by any source is kept, its English text is the newest
  source's, Danish comes from whichever source has it (the CS/RD2 XML carries every language).
- Country lists (CL009, CL010, CL112, CL248, Nationality, ...) take their Danish names from
  CL008, the full country list, where a source gives them only in English.
- Lists no export carries but the official texts state (e.g. CL196 control results, DDNTA
  G0126) come from a hand-written file with their source named.
- Offices come from one COL snapshot; offices of countries that snapshot lacks are added from a
  newer one (a country joined the common transit convention since).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from toldsystem.reference.csrd2 import SourceEntry, SourceList, SourceOffice

CODE_LIST_COLUMNS = ["list", "code", "en", "da", "valid_from", "valid_to"]
INDEX_COLUMNS = ["list", "name", "entries", "source"]
OFFICE_COLUMNS = ["reference_number", "usual_name", "city", "postal_code", "competent_authority_enquiry",
                  "competent_authority_recovery", "roles"]
COUNTRY_LIST = "CL008"
OFFICIAL_ID = re.compile(r"^CL\d{3}$")  # NCTS code lists; the DPS copy also holds EMCS lists (BCnn, E200)
# Lists of CS/RD2 entities the XSDs do not annotate; ids as the EU data platform names them.
KNOWN_IDS = {"CountryCodesFullList": "CL008", "Role": "CL056"}
# Lists too large for the main file: each in a file of its own.
LARGE_LISTS = {"CL016": "code-list-CL016.csv", "CL244": "code-list-CL244.csv"}
# Nomenclatures whose texts live elsewhere (TARIC, UN/LOCODE): their codes are kept, the texts not.
CODES_ONLY = {"CL016", "CL152", "CL244"}


@dataclass
class MergedList:
    """A code list after merging every source: code -> entry, and the sources used."""

    list_id: str
    name: str
    entries: dict[str, SourceEntry] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def _merge_entry(old: SourceEntry | None, new: SourceEntry) -> SourceEntry:
    """The newer source's text; Danish from either; the earliest start; an end only if the newer says so."""
    if old is None:
        return new
    descriptions = {**old.descriptions, **{k: v for k, v in new.descriptions.items() if v}}
    starts = [d for d in (old.valid_from, new.valid_from) if d is not None]
    return SourceEntry(new.code, descriptions, min(starts) if starts else None, new.valid_to)


def merge_code_lists(sources: Iterable[SourceList], names: Mapping[str, str]) -> dict[str, MergedList]:
    """Every source list with an official id, merged per id (oldest source first). Unknown names are skipped."""
    ids_by_name = {name: list_id for list_id, name in names.items()} | KNOWN_IDS
    merged: dict[str, MergedList] = {}
    for source in sources:
        list_id = source.list_id or ids_by_name.get(source.name)
        if list_id is None or not OFFICIAL_ID.match(list_id):
            continue
        target = merged.setdefault(list_id, MergedList(list_id, names.get(list_id, source.name)))
        for entry in source.entries:
            target.entries[entry.code] = _merge_entry(target.entries.get(entry.code), entry)
        if source.source not in target.sources:
            target.sources.append(source.source)
    return merged


def add_country_names_in_danish(lists: dict[str, MergedList]) -> None:
    """Lists of countries give Danish names as CL008 does, where their sources give only English."""
    countries = lists.get(COUNTRY_LIST)
    if countries is None:
        return
    danish = {code: e.descriptions.get("da") for code, e in countries.entries.items() if e.descriptions.get("da")}
    for merged in lists.values():
        if merged.list_id == COUNTRY_LIST or not ("Country" in merged.name or merged.name == "Nationality"):
            continue
        for code, entry in merged.entries.items():
            if not entry.descriptions.get("da") and code in danish:
                merged.entries[code] = SourceEntry(code, {**entry.descriptions, "da": danish[code]},
                                                   entry.valid_from, entry.valid_to)


def add_descriptions_in_danish(lists: dict[str, MergedList], rows: Iterable[Mapping[str, str]]) -> list[str]:
    """Our own Danish texts (list, code, da) where no source gives one; returns the rows that matched no code."""
    unmatched = []
    for row in rows:
        merged = lists.get(row["list"])
        entry = merged.entries.get(row["code"]) if merged else None
        if entry is None:
            unmatched.append(f"{row['list']} {row['code']}")
        elif not entry.descriptions.get("da"):
            merged.entries[row["code"]] = SourceEntry(entry.code, {**entry.descriptions, "da": row["da"]},
                                                      entry.valid_from, entry.valid_to)
    return unmatched


def add_stated_lists(lists: dict[str, MergedList], names: Mapping[str, str],
                     rows: Iterable[Mapping[str, str]]) -> list[str]:
    """Lists stated by the official texts (list, code, en, da, source), for lists no export carries.

    Returns the ids of stated lists ignored because an export now carries them.
    """
    stated: dict[str, MergedList] = {}
    for row in rows:
        merged = stated.setdefault(row["list"], MergedList(row["list"], names.get(row["list"], row["list"])))
        merged.entries[row["code"]] = SourceEntry(row["code"], {"en": row["en"], "da": row.get("da", "")})
        if row["source"] not in merged.sources:
            merged.sources.append(row["source"])
    ignored = sorted(list_id for list_id in stated if list_id in lists)
    lists.update({list_id: m for list_id, m in stated.items() if list_id not in lists})
    return ignored


# --- offices ------------------------------------------------------------------------------------

def usual_name(office: SourceOffice) -> str:
    """The English name where the office has one, else its first (national) name."""
    return office.names.get("EN") or next(iter(office.names.values()), "")


def select_offices(snapshot: Iterable[SourceOffice], newer: Iterable[SourceOffice] = ()) -> list[SourceOffice]:
    """The offices of one snapshot, plus those of countries it lacks from a newer one."""
    chosen = {o.code: o for o in snapshot}
    countries = {code[:2] for code in chosen}
    for office in newer:
        if office.code[:2] not in countries:
            chosen.setdefault(office.code, office)
    return [chosen[code] for code in sorted(chosen)]


# --- writing ------------------------------------------------------------------------------------

def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _csv(columns: list[str], rows: Iterable[Iterable[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def code_list_csv(lists: Iterable[MergedList]) -> str:
    """Our code list CSV: list, code, en, da, valid_from, valid_to; sorted by list and code."""
    rows = []
    for merged in sorted(lists, key=lambda m: m.list_id):
        for code in sorted(merged.entries):
            entry = merged.entries[code]
            if merged.list_id in CODES_ONLY:
                rows.append([merged.list_id, code, "", "", "", _iso(entry.valid_to)])
            else:
                rows.append([merged.list_id, code, entry.descriptions.get("en", ""), entry.descriptions.get("da", ""),
                             _iso(entry.valid_from), _iso(entry.valid_to)])
    return _csv(CODE_LIST_COLUMNS, rows)


def index_csv(lists: Iterable[MergedList]) -> str:
    """One row per list: its id, official name, number of codes and the sources merged."""
    return _csv(INDEX_COLUMNS, ([m.list_id, m.name, str(len(m.entries)), "; ".join(m.sources)]
                                for m in sorted(lists, key=lambda m: m.list_id)))


def offices_csv(offices: Iterable[SourceOffice]) -> str:
    """Offices in the EU list's CSV layout, roles as 'DEP;DES;TRA'."""
    return _csv(OFFICE_COLUMNS, ([o.code, usual_name(o), o.city, o.postcode, o.enquiry, o.recovery,
                                  ";".join(sorted(o.roles))] for o in offices))
