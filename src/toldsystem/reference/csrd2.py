"""Readers for the EU's reference data exports (CS/RD2) and the copies that publish them.

CS/RD2 is the EU's central reference data system: it holds the customs office list (COL) and
every NCTS phase 5 code list. Its exports come in these shapes, all read here into the same
`SourceList`/`SourceOffice` records (facts only; the files themselves are never copied):

- the CS/RD2 XML export (`RDEntityList`, e.g. COL-Generic-20241105.xml): every entity with its
  entries, their state and the descriptions in every language;
- the same export as JSON (`{"lists": {name: {"listEntries": [...]}}}`), as HM Revenue & Customs
  publishes the NCTS-P5 domain (RD_NCTS-P5.json) and the COL (COL-Generic-20250212.json);
- the paged JSON of the EU data platform copy (DPS: `elements[].rdentry[].dataitem[]`);
- the technical code lists the official XSDs enumerate (tcl.xsd) and the list ids and names the
  XSDs annotate (`<codeList code="CL017" name="KindOfPackages"/>`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from lxml import etree

RD_ENTRY = "{http://xmlns.ec.eu/BusinessObjects/CSRD2/RDEntityType/V2}RDEntry"
RD_ENTITY = "{http://xmlns.ec.eu/BusinessObjects/CSRD2/RDEntityEntryListType/V2}RDEntity"
NS_ENTRY = "http://xmlns.ec.eu/BusinessObjects/CSRD2/RDEntryType/V2"
NS_STATUS = "http://xmlns.ec.eu/BusinessObjects/CSRD2/RDStatusType/V2"
NS_LSD = "http://xmlns.ec.eu/BusinessObjects/CSRD2/LsdListType/V2"
XS = "{http://www.w3.org/2001/XMLSchema}"
# Fields of an entry that are about the entry, not its code (JSON and DPS shapes).
_META_FIELDS = {"state", "activeFrom", "description", "name", "RDEntryStatus_state", "RDEntryStatus_activeFrom"}


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One code of a list as a source gives it: descriptions by language, validity."""

    code: str
    descriptions: dict[str, str] = field(default_factory=dict)  # 'en', 'da', ... -> text
    valid_from: date | None = None  # when the entry's current version became active
    valid_to: date | None = None  # last day valid (set for entries the source marks invalid)


@dataclass
class SourceList:
    """A code list read from one source."""

    name: str  # the official name, e.g. KindOfPackages
    entries: list[SourceEntry]
    source: str  # where it was read, for the index (file name and snapshot date)
    list_id: str | None = None  # CLnnn when the source states it


@dataclass(frozen=True, slots=True)
class SourceOffice:
    """A customs office of the COL with its names, address and roles."""

    code: str
    names: dict[str, str]  # language code (upper case, as in the COL) -> usual name
    city: str
    postcode: str
    enquiry: str  # reference number of the competent authority of enquiry
    recovery: str  # ... and of recovery
    roles: frozenset[str]
    valid_from: date | None = None


def _state_dates(state: str | None, active_from: date | None) -> tuple[date | None, date | None]:
    """A 'valid' entry is valid from activeFrom; an 'invalid' one was valid until the day before."""
    if state is not None and state.lower() != "valid" and active_from is not None:
        return None, active_from - timedelta(days=1)
    return active_from, None


def _iso_date(text: str | None) -> date | None:
    """Dates appear as 2024-10-25, 20241025 or (DPS) 25-10-2024."""
    if not text:
        return None
    text = text.strip()
    for layout in ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text[:10], layout).date()
        except ValueError:
            continue
    return None


# --- CS/RD2 XML ---------------------------------------------------------------------------------

def _items(element) -> dict[str, str]:
    return {d.get("name"): (d.text or "").strip() for d in element.findall(f"{{{NS_ENTRY}}}dataItem")}


def _groups(element, name: str) -> Iterator:
    return (g for g in element.findall(f"{{{NS_ENTRY}}}dataGroup") if g.get("name") == name)


def _status(entry) -> tuple[str | None, date | None]:
    status = entry.find(f"{{{NS_ENTRY}}}RDEntryStatus")
    if status is None:
        return None, None
    return status.findtext(f"{{{NS_STATUS}}}state"), _iso_date(status.findtext(f"{{{NS_STATUS}}}activeFrom"))


def _xml_entries(path: Path) -> Iterator[tuple[str, etree._Element]]:
    """(entity name, RDEntry element) in file order, each element cleared after use (the COL is 50+ MB)."""
    entity = ""
    for event, element in etree.iterparse(str(path), events=("start", "end"), huge_tree=True,
                                          resolve_entities=False, no_network=True):
        if event == "start" and element.tag == RD_ENTITY:
            entity = element.get("name", "")
        elif event == "end" and element.tag == RD_ENTRY:
            yield entity, element
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]


def _office_from_xml(entry) -> SourceOffice:
    items = _items(entry)
    names, city = {}, ""
    for lsd in _groups(entry, "CustomsOfficeLsd"):
        lsd_items = _items(lsd)
        language = lsd_items.get("LanguageCode", "").upper()
        names[language] = lsd_items.get("CustomsOfficeUsualName", "")
        city = city or lsd_items.get("City", "")
    roles = frozenset(_items(g)["Role"] for g in entry.iter(f"{{{NS_ENTRY}}}dataGroup")
                      if g.get("name") == "CustomsOfficeRoleTrafficCompetence" and _items(g).get("Role"))
    state, active_from = _status(entry)
    return SourceOffice(code=items.get("ReferenceNumber", ""), names=names, city=city,
                        postcode=items.get("PostalCode", ""),
                        enquiry=items.get("ReferenceNumberCompetentAuthorityOfEnquiry", ""),
                        recovery=items.get("ReferenceNumberCompetentAuthorityOfRecovery", ""),
                        roles=roles, valid_from=_state_dates(state, active_from)[0])


def _code_entry_from_xml(entry) -> SourceEntry | None:
    items = entry.findall(f"{{{NS_ENTRY}}}dataItem")
    if not items or not (items[0].text or "").strip():
        return None
    descriptions = {d.get("lang", "").lower(): (d.text or "").strip()
                    for d in entry.iter(f"{{{NS_LSD}}}description")}
    valid_from, valid_to = _state_dates(*_status(entry))
    return SourceEntry(items[0].text.strip(), descriptions, valid_from, valid_to)


def read_xml(path: Path) -> tuple[list[SourceList], list[SourceOffice]]:
    """A CS/RD2 XML export: its code lists (entities other than CustomsOffices) and its offices."""
    lists: dict[str, SourceList] = {}
    offices: list[SourceOffice] = []
    for entity, entry in _xml_entries(path):
        if entity == "CustomsOffices":
            office = _office_from_xml(entry)
            if office.code:
                offices.append(office)
            continue
        found = _code_entry_from_xml(entry)
        if found is not None:
            lists.setdefault(entity, SourceList(entity, [], path.name)).entries.append(found)
    return list(lists.values()), offices


# --- the same export as JSON --------------------------------------------------------------------

def _code_field(entry: dict) -> str | None:
    return next((k for k in entry if k not in _META_FIELDS and isinstance(entry[k], str)), None)


def _snapshot_label(path: Path, document: dict) -> str:
    snapshot = (document.get("messageInformation") or {}).get("snapshotDate")
    return f"{path.name} (snapshot {snapshot})" if snapshot else path.name


def read_json_lists(path: Path) -> list[SourceList]:
    """Code lists of a CS/RD2 JSON export: {"lists": {name: {"listEntries": [...]}}}."""
    document = json.loads(path.read_text(encoding="utf-8"))
    label = _snapshot_label(path, document)
    found = []
    for name, body in (document.get("lists") or {}).items():
        if name == "customsOffices":
            continue
        entries = []
        for entry in body.get("listEntries", []):
            code_field = _code_field(entry)
            if code_field is None:
                continue
            text = entry.get("description") or entry.get("name") or ""
            valid_from, valid_to = _state_dates(entry.get("state"), _iso_date(entry.get("activeFrom")))
            entries.append(SourceEntry(entry[code_field].strip(), {"en": text.strip()} if text else {},
                                       valid_from, valid_to))
        found.append(SourceList(body.get("listName") or name, entries, label))
    return found


def read_json_offices(path: Path) -> list[SourceOffice]:
    """Offices of a COL JSON export (one entry per office and language; no address there)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    merged: dict[str, dict] = {}
    for entry in (document.get("lists") or {}).get("customsOffices", {}).get("listEntries", []):
        if (entry.get("state") or "valid").lower() != "valid" or not entry.get("id"):
            continue
        office = merged.setdefault(entry["id"], {"names": {}, "roles": set(),
                                                 "from": _iso_date(entry.get("activeFrom"))})
        office["names"][(entry.get("languageCode") or "").upper()] = entry.get("name") or ""
        office["roles"] |= {r["role"] for r in entry.get("roles", []) if r.get("role")}
    return [SourceOffice(code, o["names"], "", "", "", "", frozenset(o["roles"]), o["from"])
            for code, o in merged.items()]


# --- the EU data platform copy (DPS), paged JSON ------------------------------------------------

def read_dps_pages(paths: Iterable[Path]) -> list[SourceList]:
    """Code lists from DPS pages: elements[] with code_list_code, code_list_name and rdentry[]."""
    lists: dict[str, SourceList] = {}
    for path in sorted(paths):
        document = json.loads(path.read_text(encoding="utf-8"))
        for element in document.get("elements", []):
            list_id, name = element.get("code_list_code"), element.get("code_list_name")
            if not list_id or not name:
                continue
            target = lists.setdefault(list_id, SourceList(name, [], f"DPS {path.parent.name or path.name}",
                                                          list_id))
            for entry in element.get("rdentry", []):
                items = {i["dataitem_name"]: (i.get("dataitem_value") or "").strip() for i in entry.get("dataitem", [])}
                code_field = _code_field(items)
                if code_field is None or not items[code_field]:
                    continue
                descriptions = {(t.get("lang_code") or "").lower(): (t.get("lang_desc") or "").strip()
                                for t in entry.get("language", []) if t.get("lang_desc")}
                valid_from, valid_to = _state_dates(items.get("RDEntryStatus_state"),
                                                    _iso_date(items.get("RDEntryStatus_activeFrom")))
                target.entries.append(SourceEntry(items[code_field], descriptions, valid_from, valid_to))
    for found in lists.values():
        found.source = "DPS copy of CS/RD2 (hmrc/crdl-ref-data-dps-stub)"
    return list(lists.values())


# --- the official XSDs --------------------------------------------------------------------------

_CODE_LIST_ANNOTATION = re.compile(r'<codeList code="(CL\d{3})" type="\w+" name="(\w+)"')
_CODE_LIST_COMMENT = re.compile(r"=====\s*(CL\d{3})\s")


def read_xsd_list_names(xsd_dir: Path) -> dict[str, str]:
    """CLnnn -> official name, from the annotations of every XSD in the directory."""
    names: dict[str, str] = {}
    for path in sorted(xsd_dir.glob("*.xsd")):
        for list_id, name in _CODE_LIST_ANNOTATION.findall(path.read_text(encoding="utf-8")):
            names.setdefault(list_id, name)
    return names


def read_xsd_enumerations(path: Path) -> list[SourceList]:
    """The technical code lists a schema enumerates (tcl.xsd): one list per simple type, its id from the comment before it."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)
    tree = etree.fromstring(path.read_bytes(), parser)
    found, list_id = [], None
    for node in tree:
        if isinstance(node, etree._Comment):
            list_id = next(iter(_CODE_LIST_COMMENT.findall(node.text or "")), list_id)
            continue
        enumerations = node.findall(f"{XS}restriction/{XS}enumeration") if node.tag == f"{XS}simpleType" else []
        if enumerations:
            entries = [SourceEntry(e.get("value"), {"en": (e.findtext(f"{XS}annotation/{XS}documentation") or "").strip()})
                       for e in enumerations]
            found.append(SourceList(node.get("name"), entries, path.name, list_id))
        list_id = None
    return found
