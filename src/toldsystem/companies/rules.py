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
