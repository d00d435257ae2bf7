"""Pure rules about reference data: office roles, country groups, code lists derived from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

OFFICE_ROLES = {
    "DEP": "departure", "DES": "destination", "TRA": "transit", "GUA": "guarantee",
    "EXT": "exit", "TXT": "exit for transit", "ENT": "entry", "EXP": "export",
    "ENQ": "enquiry", "REC": "recovery", "INC": "incident registration",
}
EFTA = frozenset({"CH", "NO", "IS", "LI"})
# Box 52: countries where a guarantee may be declared not valid (seed 003).
GUARANTEE_LIMITATION_COUNTRIES = frozenset({"CH", "NO", "IS", "AN", "SM", "HR"})

# Code lists of the official schemas that are the customs offices with a role (CS/RD2 derives
# them from the COL the same way): list id -> (official name, roles; None for every office).
OFFICE_LISTS: dict[str, tuple[str, frozenset[str] | None]] = {
    "CL141": ("CustomsOffices", None),
    "CL171": ("CustomsOfficeDeparture", frozenset({"DEP"})),
    "CL172": ("CustomsOfficeDestination", frozenset({"DES"})),
    "CL173": ("CustomsOfficeTransit", frozenset({"TRA"})),
    "CL174": ("CustomsOfficeGuarantee", frozenset({"GUA"})),
    "CL175": ("CustomsOfficeTransitExit", frozenset({"TXT"})),
    "CL176": ("CustomsOfficeEnquiry", frozenset({"ENQ"})),
    "CL177": ("CustomsOfficeRecovery", frozenset({"REC"})),
    "CL179": ("CustomsOfficeEnquiryOrRecovery", frozenset({"ENQ", "REC"})),
    "CL194": ("CustomsOfficeExit", frozenset({"EXT"})),
    "CL294": ("CustomsOfficeExitDeclared", frozenset({"EXT"})),
}
COUNTRIES = "CL008"  # CountryCodesFullList: every country code, XI (Northern Ireland) included
EU_MEMBERS = "CL010"  # CountryCodesCommunity
COMMON_TRANSIT = "CL009"  # CountryCodesCommonTransit


@dataclass(frozen=True, slots=True)
class Office:
    """A customs office from the EU's list, with the roles it may act in."""

    code: str
    name: str
    city: str
    postcode: str
    country: str
    roles: frozenset[str]

    def may_act_as(self, role: str) -> bool:
        """An office may act only in a role it has (SPEC T, box C/51/53)."""
        return role in self.roles


@dataclass(frozen=True, slots=True)
class Country:
    """A country and its memberships (EU, EFTA, common transit convention)."""

    code: str
    name: str
    eu: bool
    efta: bool
    common_transit: bool


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency with how many units one EUR buys."""

    code: str
    eur_rate: Decimal


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """One code of a code list: its descriptions and when it may be used."""

    code: str
    en: str
    da: str
    valid_from: date | None = None  # when the entry's current version became active (informative)
    valid_to: date | None = None  # last day the code may be used; None: no end

    def usable_on(self, day: date) -> bool:
        """A code ends at its valid_to; valid_from dates the entry's latest version, not the code, so it does not bar."""
        return self.valid_to is None or day <= self.valid_to


@dataclass(frozen=True, slots=True)
class CodeListInfo:
    """A code list's official id and name, and where its values come from."""

    list_id: str
    name: str
    source: str


def parse_roles(text: str) -> frozenset[str]:
    """Roles are stored as 'DEP;DES;TRA' in the EU list."""
    return frozenset(r.strip() for r in text.split(";") if r.strip())


def is_efta(country: str) -> bool:
    """Box 51: CH, NO, IS and LI are EFTA countries (seed 003)."""
    return country in EFTA


def usable_codes(entries: Mapping[str, CodeEntry], day: date) -> frozenset[str]:
    """The codes of a list that may be used on `day`."""
    return frozenset(code for code, entry in entries.items() if entry.usable_on(day))


def office_lists(offices: Iterable[Office]) -> dict[str, frozenset[str]]:
    """CL141, CL171 … CL294: the reference numbers of the offices that have the list's roles."""
    offices = list(offices)
    return {list_id: frozenset(o.code for o in offices if roles is None or o.roles & roles)
            for list_id, (_name, roles) in OFFICE_LISTS.items()}


def countries_from_lists(entries: Mapping[str, Mapping[str, CodeEntry]]) -> dict[str, Country]:
    """Every country of CL008 with its memberships: EU (CL010), common transit (CL009), EFTA."""
    eu = entries.get(EU_MEMBERS, {})
    common_transit = entries.get(COMMON_TRANSIT, {})
    names = entries.get(COUNTRIES, {})
    codes = set(names) | set(eu) | set(common_transit)
    return {code: Country(code, (names.get(code) or eu.get(code) or common_transit.get(code)).en or code,
                          code in eu, code in EFTA, code in common_transit)
            for code in sorted(codes)}
