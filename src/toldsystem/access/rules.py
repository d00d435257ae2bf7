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
from dataclasses import dataclass, replace

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
ADMINISTRATOR = "administrator"        # towards a user: its company's administrator (or a national officer who is one)
SELF = "self"                          # towards a user: the user itself

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
    ADMINISTRATOR: ("the company's administrator (or a national officer's)", "virksomhedens administrator"),
    SELF: ("the user itself", "brugeren selv"),
}

# --- system roles: what a user may use (seed 000: the administrator grants roles per system) ---------------
# The five systems of seed 000, and the guarantee management system of seed 003 (its own role: a user who
# declares transit need not manage guarantees). ADMIN is the company's administrator (users and powers).
SYSTEMS = {"import": ("import", "import"), "export": ("export", "eksport"), "transit": ("transit (NCTS)", "transit"),
           "manifest": ("Manifest", "Manifest"), "ics": ("ICS", "ICS"),
           "guarantees": ("guarantees (GMS)", "sikkerhedsstillelse (GMS)")}
ADMIN = "admin"
ALL_ROLES = frozenset({*SYSTEMS, ADMIN})
CHANNELS = ("api", "portal", "cli", "sftp", "ftps", "internal")


@dataclass(frozen=True, slots=True)
class Party:
    """The party a call acts for: a company (by EORI) or a customs officer (of one office, or national); the user
    acting (None: a token from before users, or the system itself), its system roles, and through which channel
    from where (for the audit log)."""

    kind: str  # "company" or "officer"
    name: str
    eori: str | None = None
    office: str | None = None  # an officer's customs office; None: a national officer (all offices)
    user: str | None = None  # the username acting
    roles: frozenset[str] = ALL_ROLES  # system roles (SYSTEMS, ADMIN); callers inside the system have them all
    channel: str = "internal"  # CHANNELS
    client: str | None = None  # the client's address, as the channel saw it

    def may_use(self, system: str | None) -> bool:
        """Whether the party holds the role of this system (None: no system role is needed)."""
        return system is None or system in self.roles

    def via(self, channel: str, client: str | None) -> Party:
        """The same party, acting through this channel from this address."""
        return replace(self, channel=channel, client=client)

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
OPERATOR = Party(kind="officer", name="operator (told CLI)", channel="cli")


@dataclass(frozen=True, slots=True)
class Rule:
    """Who may act (roles), on what object, in which state, and how a refusal is answered."""

    actors: frozenset[str]
    object: str
    when: str = "any state"
    scope: str | None = None  # the power a representative needs (companies.rules.POWER_SCOPES)
    refusal: str = "404, as for an unknown object"
    system: str | None = None  # the system role (SYSTEMS, ADMIN) the acting user needs; None: none


def rule(actors: set[str], object_: str, when: str = "any state", scope: str | None = None,
         refusal: str | None = None, system: str | None = None) -> Rule:
    """Shorthand for a table entry (refused by default: 401 without a token for what anyone may do, else 404 as
    for an unknown object)."""
    default = "401 without a valid token" if ANYONE in actors else "404, as for an unknown object"
    return Rule(frozenset(actors), object_, when, scope, refusal or default, system)


def in_system(system: str, entries: dict[str, Rule]) -> dict[str, Rule]:
    """A room's table whose every rule needs the user's role of `system` (seed 000: roles per system)."""
    return {name: replace(entry, system=system) for name, entry in entries.items()}


def system_refusal(party: Party, entry: Rule) -> ToldError | None:
    """None if the acting user holds the system role the rule needs; else 403 naming the role (what a user may
    use is no secret to the user)."""
    if party.may_use(entry.system):
        return None
    en, da = SYSTEMS.get(entry.system, ("administrator", "administrator"))
    return Forbidden(problem("auth.role_missing", "Authorization",
                             f"your user has no {en} role; your company's administrator grants it",
                             f"din bruger har ikke rollen {da}; virksomhedens administrator tildeler den"))


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


def not_registered(eori: str | None, pointer: str) -> Forbidden:
    """Seed 000: only an EORI-registered company (for import or export) may act, by any credential."""
    return Forbidden(problem("auth.company_not_registered", pointer,
                             f"company {eori} is no longer EORI-registered (import or export) and may not act",
                             f"virksomheden {eori} er ikke længere EORI-registreret og må ikke handle"))


def new_token() -> str:
    """A fresh API token: 256 random bits, shown once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens carry 256 random bits, so SHA-256 is a sufficient one-way hash for lookup."""
    return hashlib.sha256(token.encode()).hexdigest()


# --- users ------------------------------------------------------------------------------------------------

OFFICER_PREFIX = "TS"  # Toldstyrelsen: officers' usernames start so, and no company's can (see username)


def username(kind: str, eori: str | None, office: str | None, serial: int) -> str:
    """The username given at creation, fixed forever (seed 000: "Brugernavnet tildeles ved oprettelse … er knyttet
    til virksomhedens CVR-nummer. Brugernavnet er fast."): <CVR>-<serial>, e.g. 13585628-001 — the CVR is the
    Danish EORI without DK (another country's company: its whole EORI), the serial counts the company's users from
    001 and is never given twice. An officer: TS-<office>-<serial>, or TS-<serial> for a national officer. Only
    digits, capitals and '-', so the same name works in SFTP, FTPS, HTTP and the DMS messageSender."""
    if kind == "officer":
        return f"{OFFICER_PREFIX}-{office}-{serial:03d}" if office else f"{OFFICER_PREFIX}-{serial:03d}"
    assert eori is not None
    return f"{eori[2:] if eori.startswith('DK') else eori}-{serial:03d}"


def parse_roles(text: str) -> frozenset[str]:
    """The roles as the store keeps them (comma-separated)."""
    return frozenset(r for r in text.split(",") if r)


def roles_text(roles: frozenset[str] | set[str]) -> str:
    return ",".join(sorted(roles))


def role_problems(roles: list[str] | set[str] | frozenset[str], pointer: str = "roles") -> list:
    """Each role named must be a system of seed 000 (or GMS) or the administrator role."""
    return [problem("user.role_unknown", pointer, f"{r!r} is not a role; the roles are {', '.join(sorted(ALL_ROLES))}",
                    f"{r!r} er ikke en rolle; rollerne er {', '.join(sorted(ALL_ROLES))}")
            for r in sorted(set(roles)) if r not in ALL_ROLES]


def roles_towards_user(party: Party, kind: str, eori: str | None, name: str) -> frozenset[str]:
    """SELF for the user itself; ADMINISTRATOR for an administrator of the user's company, and for a national
    officer holding the administrator role (officers' accounts, and help to a company, seed 000 Told Servicedesk)."""
    roles = {SELF} if party.user == name else set()
    if ADMIN in party.roles and ((not party.is_officer and kind == "company" and party.eori == eori)
                                 or (party.is_officer and party.office is None)):
        roles.add(ADMINISTRATOR)
    return frozenset(roles)


def sees_user(party: Party, kind: str, eori: str | None) -> bool:
    """A company's users see that their colleagues exist (a refusal is 403); anyone else is told "unknown"."""
    return party.is_officer or (kind == "company" and party.eori == eori)
