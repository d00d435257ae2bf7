"""The facts the transit rules need from outside the declaration, and how a rule says what is wrong.

The caller (transit/context.py) looks the facts up; the rules stay pure. Code lists are
keyed by their official ids ("CL017" kinds of packages, "CL010" EU member states, ...). A
list that is not loaded is not known here: a rule that needs it does not refuse on its
account (the rule that checks membership of a coded element skips it, a condition that
depends on a country group falls back to the country register where one exists).

Problem codes end in what the official error code (CL180) reports:
`...missing` a condition's required element is absent (13), `...not_allowed` a condition's
forbidden element is present (15), `...unknown` a value outside its code list (12); every
other code is a rule violation (14).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from toldsystem.core.errors import Problem, problem
from toldsystem.reference.rules import Country, Office
from toldsystem.transit.declaration import Declaration

Result = Problem | list[Problem] | None
Rule = Callable[[Declaration, "RuleContext"], Result]

# Small official lists whose codes are stable; used while the loaded reference data lacks them.
FIXED_LISTS: Mapping[str, frozenset[str]] = {
    "CL027": frozenset({"0", "1"}),  # Flag
    "CL042": frozenset({"A", "D"}),  # DeclarationTypeAdditional: standard, pre-lodged
    "CL217": frozenset({"0", "1", "2", "3"}),  # DeclarationTypeSecurity
    "CL231": frozenset({"T", "T1", "T2", "T2F", "T2SM", "TIR"}),  # DeclarationType
    "CL232": frozenset({"T1", "T2", "T2F"}),  # DeclarationTypeItemLevel
    "CL076": frozenset({"0", "1", "2", "3", "4", "5", "9"}),  # GuaranteeTypeWithReference
    "CL286": frozenset({"0", "1", "2", "4", "9"}),  # GuaranteeTypeWithGRN
    "CL181": frozenset({"VG", "VL", "VO", "VQ", "VR", "VS", "VY"}),  # KindOfPackagesBulk
    "CL182": frozenset({"NE", "NF", "NG"}),  # KindOfPackagesUnpacked
    "CL234": frozenset({"C651", "C658"}),  # DocumentTypeExcise: e-AD, fallback e-AD
}
# Country lists that the country register (eu, common_transit flags) can stand in for.
_COUNTRY_LISTS = frozenset({"CL008", "CL009", "CL010", "CL112", "CL165", "CL248"})
NORTHERN_IRELAND = "XI"  # a country code of the customs lists, not of ISO 3166


@dataclass(frozen=True)
class RuleContext:
    """Facts from outside the declaration; the caller looks them up, the rules stay pure."""

    today: date
    holder_known: bool  # the holder's EORI is in our register
    holder_eori_registered: bool  # registered for import or export (seed 000)
    holder_is_authorised_consignor: bool = False  # holds a valid authorisation on `today`
    lrn_already_used: bool = False  # the holder has a movement with this LRN
    time_limit_special_case: bool = False  # the office allowed a time limit beyond 8 days
    seals_required_by_authorisation: bool = False  # R0165: the authorised consignor's authorisation foresees seals
    known_eoris: Collection[str] = frozenset()  # parties' EORIs valid in our register (C0250)
    offices: Mapping[str, Office] = field(default_factory=dict)
    countries: Mapping[str, Country] = field(default_factory=dict)  # memberships (EU, EFTA, CTC)
    iso_country_codes: Collection[str] = frozenset()  # every ISO 3166 code; `countries` counts too
    code_lists: Mapping[str, Collection[str]] = field(default_factory=dict)  # official id -> codes
    eur_rates: Mapping[str, Decimal] = field(default_factory=dict)  # units of a currency one EUR buys

    def codes(self, list_id: str) -> Collection[str]:
        """The codes of an official list; empty when it is neither loaded nor derivable."""
        loaded = self.code_lists.get(list_id)
        if loaded:
            return loaded
        if list_id in _COUNTRY_LISTS:
            return self._country_lists.get(list_id, ())
        return FIXED_LISTS.get(list_id, ())

    def knows(self, list_id: str) -> bool:
        """Whether the list is known here, so that membership can be judged."""
        return bool(self.codes(list_id))

    def in_list(self, list_id: str, code: str | None) -> bool:
        return code is not None and code in self.codes(list_id)

    def is_eu(self, country: str | None) -> bool:
        """CL010 CountryCodesCommunity (XI counts: the Union's customs rules apply there)."""
        return self.in_list("CL010", country)

    def is_common_transit(self, country: str | None) -> bool:
        """CL009 CountryCodesCommonTransit: the EU and the other parties of the convention."""
        return self.in_list("CL009", country)

    def is_ctc(self, country: str | None) -> bool:
        """CL112 CountryCodesCTC: a common-transit country outside the EU (CH, NO, GB, TR, UA ...)."""
        return self.in_list("CL112", country)

    @cached_property
    def _country_lists(self) -> dict[str, frozenset[str]]:
        every = frozenset(self.countries) | frozenset(self.iso_country_codes)
        every = every | {NORTHERN_IRELAND} if every else every  # no register: not known
        eu = frozenset(c.code for c in self.countries.values() if c.eu)
        eu = eu | {NORTHERN_IRELAND} if eu else eu
        transit = frozenset(c.code for c in self.countries.values() if c.common_transit) | eu
        return {"CL008": every, "CL165": every, "CL248": every, "CL010": eu, "CL009": transit,
                "CL112": transit - eu}


def transit_problem(code: str, pointer: str, en: str, da: str) -> Problem:
    """A problem of the transit rules: `transit.<code>` at the pointer, in English and Danish."""
    return problem(f"transit.{code}", pointer, en, da)


def country_of(office_reference: str | None) -> str | None:
    """An office's country: the first two characters of its reference number."""
    return office_reference[:2] if office_reference else None
