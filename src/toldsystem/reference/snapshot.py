"""All reference data of one moment, built once and looked up in O(1) on every declaration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from toldsystem.reference.rules import (
    OFFICE_LISTS,
    CodeEntry,
    CodeListInfo,
    Country,
    Currency,
    Office,
    countries_from_lists,
    office_lists,
    usable_codes,
)


@dataclass(frozen=True)
class Snapshot:
    """Offices, countries, currencies and code lists (by official id, e.g. CL017), as of `day`."""

    offices: Mapping[str, Office]
    countries: Mapping[str, Country]  # every CL008 country with its EU (CL010), CTC (CL009), EFTA memberships
    currencies: Mapping[str, Currency]
    code_lists: Mapping[str, frozenset[str]]  # list id -> the codes usable on `day` (office lists included)
    entries: Mapping[str, Mapping[str, CodeEntry]]  # list id -> code -> descriptions and validity
    lists: Mapping[str, CodeListInfo]  # list id -> official name and source
    day: date

    def office(self, code: str) -> Office | None:
        return self.offices.get(code)

    def has_code(self, list_id: str, code: str) -> bool:
        return code in self.code_lists.get(list_id, ())

    def entry(self, list_id: str, code: str) -> CodeEntry | None:
        return self.entries.get(list_id, {}).get(code)

    def eur_rate(self, currency: str) -> Decimal | None:
        found = self.currencies.get(currency)
        return found.eur_rate if found else None


def build(offices: Mapping[str, Office], currencies: Mapping[str, Currency],
          entries: Mapping[str, Mapping[str, CodeEntry]], lists: Mapping[str, CodeListInfo], day: date) -> Snapshot:
    """A snapshot from what the store holds: code sets for `day`, countries and office lists derived."""
    code_lists = {list_id: usable_codes(found, day) for list_id, found in entries.items()}
    code_lists |= office_lists(offices.values())
    derived = {list_id: CodeListInfo(list_id, name, "derived from the customs offices"
                                     + (f" with role {' or '.join(sorted(roles))}" if roles else ""))
               for list_id, (name, roles) in OFFICE_LISTS.items()}
    return Snapshot(offices=offices, countries=countries_from_lists(entries), currencies=currencies,
                    code_lists=code_lists, entries=entries, lists={**lists, **derived}, day=day)
