"""Pure rules about reference data: office roles, country groups, guarantee limitations."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

OFFICE_ROLES = {
    "DEP": "departure", "DES": "destination", "TRA": "transit", "GUA": "guarantee",
    "EXT": "exit", "ENT": "entry", "EXP": "export",
}
EFTA = frozenset({"CH", "NO", "IS", "LI"})
# Box 52: countries where a guarantee may be declared not valid (seed 003).
GUARANTEE_LIMITATION_COUNTRIES = frozenset({"CH", "NO", "IS", "AN", "SM", "HR"})


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


def parse_roles(text: str) -> frozenset[str]:
    """Roles are stored as 'DEP;DES;TRA' in the EU list."""
    return frozenset(r.strip() for r in text.split(";") if r.strip())


def is_efta(country: str) -> bool:
    """Box 51: CH, NO, IS and LI are EFTA countries (seed 003)."""
    return country in EFTA
