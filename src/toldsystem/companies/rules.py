"""Pure rules about companies and their authorisations (seed 000, seed 003, seed 004)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from toldsystem.core.errors import Problem, problem
from toldsystem.core.identifiers import eori_problem

AUTHORISATION_KINDS = {
    "authorised_consignor": ("Authorised consignor (transit)", "Godkendt afsender"),
    "authorised_consignee": ("Authorised consignee (transit)", "Godkendt modtager"),
    "comprehensive_guarantee": ("Comprehensive guarantee", "Samlet kaution"),
    "simplified_express": ("Simplified express clearance", "Forenklet eksprestoldbehandling"),
    "periodic_declaration": ("Periodic declaration", "Periodisk angivelse"),
    "letter_post": ("Letter post monthly settlement", "Brevpost med månedlig afregning"),
    # seed 003: the forwarders' association sells TC32 vouchers and notifies the office of guarantee
    "voucher_sales": ("Sale of TC32 guarantee vouchers", "Salg af sikkerhedsdokumenter (TC32)"),
}


@dataclass(frozen=True, slots=True)
class Company:
    """A company in the EORI register."""

    eori: str
    name: str
    street: str
    city: str
    postcode: str
    country: str
    registered_import: bool
    registered_export: bool

    @property
    def eori_registered(self) -> bool:
        return is_eori_registered(self.registered_import, self.registered_export)


@dataclass(frozen=True, slots=True)
class Authorisation:
    """A permission granted to a company for a period."""

    id: int
    eori: str
    kind: str
    reference: str
    valid_from: date
    valid_to: date | None
    revoked: bool

    def valid_on(self, day: date) -> bool:
        return authorisation_is_valid_on(self, day)


@dataclass(frozen=True, slots=True)
class Standing:
    """What other rooms ask of a company on a given day: known, EORI-registered, which authorisations hold."""

    known: bool
    eori_registered: bool
    authorisations: frozenset[str]  # kinds valid on that day


def is_eori_registered(registered_import: bool, registered_export: bool) -> bool:
    """A company registered for import or export is EORI-registered (seed 000)."""
    return registered_import or registered_export


def check_eori(eori: str, pointer: str = "eori") -> Problem | None:
    """EORI well-formed; a Danish EORI is DK + CVR with its check digit (seed 000)."""
    why = eori_problem(eori)
    if why is None:
        return None
    return problem("eori.invalid", pointer, f"EORI {eori!r} is invalid: {why}",
                   f"EORI-nummeret {eori!r} er ugyldigt")


def check_authorisation_kind(kind: str, pointer: str = "kind") -> Problem | None:
    """Only the known kinds of authorisation may be granted."""
    if kind in AUTHORISATION_KINDS:
        return None
    return problem("authorisation.kind", pointer, f"unknown authorisation {kind!r}; use one of {sorted(AUTHORISATION_KINDS)}",
                   f"ukendt bevillingstype {kind!r}")


def check_validity_period(valid_from: date, valid_to: date | None, pointer: str = "valid_to") -> Problem | None:
    """An authorisation ends on or after the day it starts."""
    if valid_to is not None and valid_to < valid_from:
        return problem("authorisation.period", pointer, "valid_to is before valid_from",
                       "slutdatoen ligger før startdatoen")
    return None


def authorisation_is_valid_on(authorisation: Authorisation, day: date) -> bool:
    """Valid from its first to its last day inclusive, unless revoked."""
    if authorisation.revoked or day < authorisation.valid_from:
        return False
    return authorisation.valid_to is None or day <= authorisation.valid_to


# --- representation: powers of attorney -----------------------------------------------------------

# What a holder may let a representative do in its name (SPEC T "who may send what").
POWER_SCOPES = {
    "transit.declare": ("lodge transit declarations (CC015C) in the holder's name",
                        "indgive forsendelsesangivelser (CC015C) i den hovedforpligtedes navn"),
    "transit.amend": ("amend the holder's declarations (CC013C)", "ændre den hovedforpligtedes angivelser (CC013C)"),
    "transit.invalidate": ("ask to invalidate the holder's declarations (CC014C)",
                           "anmode om ugyldiggørelse af den hovedforpligtedes angivelser (CC014C)"),
    "guarantees.use": ("name the holder's guarantees (GRN and access code) in those declarations",
                       "anvende den hovedforpligtedes sikkerhedsstillelser (GRN og adgangskode) i angivelserne"),
}
TRANSIT_SCOPES = frozenset(s for s in POWER_SCOPES if s.startswith("transit."))


@dataclass(frozen=True, slots=True)
class Power:
    """A power of attorney: the holder lets the representative act in its name, within scopes, for a period."""

    id: int
    holder_eori: str
    representative_eori: str
    scopes: frozenset[str]
    valid_from: date
    valid_to: date | None
    revoked: bool

    def valid_on(self, day: date) -> bool:
        return power_is_valid_on(self, day)


def power_is_valid_on(power: Power, day: date) -> bool:
    """A power holds from its first to its last day inclusive, unless revoked."""
    if power.revoked or day < power.valid_from:
        return False
    return power.valid_to is None or day <= power.valid_to


def check_power_scopes(scopes: frozenset[str] | set[str] | list[str], pointer: str = "scopes") -> Problem | None:
    """A power names at least one scope, each a known one."""
    unknown = sorted(set(scopes) - set(POWER_SCOPES))
    if scopes and not unknown:
        return None
    return problem("power.scopes", pointer,
                   f"name one or more scopes of {sorted(POWER_SCOPES)}" + (f"; unknown: {unknown}" if unknown else ""),
                   "angiv et eller flere af fuldmagtens områder" + (f"; ukendte: {unknown}" if unknown else ""))


def check_representative_is_another_company(holder_eori: str, representative_eori: str,
                                            pointer: str = "representative_eori") -> Problem | None:
    """A company does not need a power of attorney from itself."""
    if holder_eori != representative_eori:
        return None
    return problem("power.self", pointer, "a company cannot be its own representative",
                   "en virksomhed kan ikke være sin egen repræsentant")


def scopes_valid_on(powers: list[Power], day: date) -> frozenset[str]:
    """The scopes of every power valid on `day` (a holder may have granted several)."""
    return frozenset(scope for p in powers if p.valid_on(day) for scope in p.scopes)
