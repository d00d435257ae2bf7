"""Pure rules about parties, tokens and who may act (seed 000: each company sees only its own data).

Every room states who may do what in a table of `Rule`s (its authorisation.py), keyed by the
rule's name, and maps its HTTP operations and NCTS messages onto those names. The service
works out the caller's roles towards the object (a pure function of the room) and asks
`permitted` before acting. docs/security.md is the table written out; tests/access checks
every route and message of the application against it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from toldsystem.core.errors import Forbidden, ToldError, problem

TOKEN_PREFIX = "told_"

# --- roles: what a party is towards an object ----------------------------------------------------
ANYONE = "anyone"                      # any party with a valid token (public data)
COMPANY = "company"                    # any acting company, on what is its own (its outbox, its webhook)
HOLDER = "holder"                      # whose object it is: the movement's or guarantee's holder, the company
                                       # itself, the party of a message, the grantor of a power
REPRESENTATIVE = "representative"      # holds a valid power of attorney from the holder (companies/)
TRADER_AT_DESTINATION = "trader_at_destination"  # entitled to notify arrival, or who received CC043C
ASSOCIATION = "association"            # the forwarders' association (authorisation voucher_sales, seed 003)
OFFICER = "officer"                    # any customs officer
OFFICER_AT_DEPARTURE = "officer_at_departure"      # an officer of the movement's office of departure
OFFICER_AT_DESTINATION = "officer_at_destination"  # an officer of its office of destination
OFFICER_OF_GUARANTEE = "officer_of_guarantee"      # an officer of the guarantee's office of guarantee
NATIONAL_OFFICER = "national_officer"  # an officer of Toldstyrelsen without an office: acts for every office

ROLE_TEXTS = {
    ANYONE: ("anyone with a token", "enhver med en API-nøgle"),
    COMPANY: ("any company (its own)", "enhver virksomhed (sine egne)"),
    HOLDER: ("holder", "hovedforpligtede/ejer"),
    REPRESENTATIVE: ("representative", "repræsentant"),
    TRADER_AT_DESTINATION: ("trader at destination", "modtager på bestemmelsesstedet"),
    ASSOCIATION: ("forwarders' association", "speditørforeningen"),
    OFFICER: ("any officer", "enhver toldmedarbejder"),
    OFFICER_AT_DEPARTURE: ("officer of the office of departure", "toldmedarbejder ved afgangstoldstedet"),
    OFFICER_AT_DESTINATION: ("officer of the office of destination", "toldmedarbejder ved bestemmelsestoldstedet"),
    OFFICER_OF_GUARANTEE: ("officer of the office of guarantee", "toldmedarbejder ved garantitoldstedet"),
    NATIONAL_OFFICER: ("national officer", "toldmedarbejder i Toldstyrelsen (landsdækkende)"),
}


@dataclass(frozen=True, slots=True)
class Party:
    """The party a call acts for: a company (by EORI) or a customs officer (of one office, or national)."""

    kind: str  # "company" or "officer"
    name: str
    eori: str | None = None
    office: str | None = None  # an officer's customs office; None: a national officer (all offices)

    @property
    def is_officer(self) -> bool:
        return self.kind == "officer"

    @classmethod
    def company(cls, eori: str) -> Party:
        """A company acting for itself (as the CLI and the services' own callers name it)."""
        return cls(kind="company", name=eori, eori=eori)

    @property
    def key(self) -> str:
        """Who the party is, for counting its attempts: its EORI, or the officer's name."""
        return self.eori if self.eori else f"officer:{self.name}"[:60]


# The operator at the terminal (`told …`): the CLI is run by whoever runs the server, who acts
# for the national administration.
OPERATOR = Party(kind="officer", name="operator (told CLI)")


@dataclass(frozen=True, slots=True)
class Rule:
    """Who may act (roles), on what object, in which state, and how a refusal is answered."""

    actors: frozenset[str]
    object: str
    when: str = "any state"
    scope: str | None = None  # the power a representative needs (companies.rules.POWER_SCOPES)
    refusal: str = "404, as for an unknown object"


def rule(actors: set[str], object_: str, when: str = "any state", scope: str | None = None,
         refusal: str | None = None) -> Rule:
    """Shorthand for a table entry (refused by default: 401 without a token for what anyone may do, else 404 as
    for an unknown object)."""
    default = "401 without a valid token" if ANYONE in actors else "404, as for an unknown object"
    return Rule(frozenset(actors), object_, when, scope, refusal or default)


def officer_roles(party: Party, **offices: str | None) -> frozenset[str]:
    """An officer's roles towards an object at these offices (role → office): national officers have them all."""
    if not party.is_officer:
        return frozenset()
    if party.office is None:
        return frozenset({OFFICER, NATIONAL_OFFICER, *offices})
    return frozenset({OFFICER, *(role for role, office in offices.items() if office == party.office)})


def permitted(entry: Rule, roles: frozenset[str], scopes: frozenset[str] = frozenset()) -> bool:
    """Whether a party with these roles (and, as representative, a power with these scopes) may act."""
    for role in roles & entry.actors:
        if role != REPRESENTATIVE or entry.scope is None or entry.scope in scopes:
            return True
    return ANYONE in entry.actors


def refusal(entry: Rule, roles: frozenset[str], scopes: frozenset[str], sees: bool,
            unknown: ToldError) -> ToldError | None:
    """None if permitted; else 403 for a party that may see the object, and for one that may not
    exactly what an unknown object gets (`unknown`), so a refusal tells nothing about the object."""
    if permitted(entry, roles, scopes):
        return None
    if not sees:
        return unknown
    who_en = "; ".join(ROLE_TEXTS[r][0] for r in sorted(entry.actors))
    who_da = "; ".join(ROLE_TEXTS[r][1] for r in sorted(entry.actors))
    needs = f" with a power covering {entry.scope}" if entry.scope and REPRESENTATIVE in entry.actors else ""
    return Forbidden(problem("auth.not_permitted", "Authorization",
                             f"you may not do this: only {who_en}{needs} may act on {entry.object}",
                             f"du må ikke gøre dette: kun {who_da} må"))


def new_token() -> str:
    """A fresh API token: 256 random bits, shown once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens carry 256 random bits, so SHA-256 is a sufficient one-way hash for lookup."""
    return hashlib.sha256(token.encode()).hexdigest()
