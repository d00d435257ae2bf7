"""Who may act on an import declaration (SPEC I, seed 004; seed 000), checked in one place.

The declarant (the holder of the declaration) and the representative the declaration names (Agent) lodge,
amend, invalidate and present it; the consignee (Importer) reads its own declarations and the forwarder's
notice to it — in the shared table it has the trader-at-destination role, the party the goods are for; officers
of the declaration's office (its office of presentation) decide on control; national officers set the
selectivity rules, the tariff and the consignees' customs credit. A declaration the caller may not see is
answered exactly as an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass

from toldsystem.access.rules import (ANYONE, COMPANY, HOLDER, NATIONAL_OFFICER, OFFICER, OFFICER_AT_DESTINATION,
                                     REPRESENTATIVE, TRADER_AT_DESTINATION, Party, in_system, officer_roles,
                                     refusal, rule)
from toldsystem.core.errors import Forbidden, NotFound, problem

_SEES_OR_UNKNOWN = "403 to a party that may see the declaration, else 404 as unknown"
_AS_UNKNOWN = "REJECTED, as for an unknown MRN; nothing changes"

RULES = in_system("import", {
    "import.declaration.lodge": rule({COMPANY}, "a DEC-DMS declaration, amendment or invalidation naming the caller as "
                              "Declarant or Agent (an amendment or invalidation: of its own declaration)",
                              refusal="403 to officers and for a declaration naming neither; "
                                      f"an amendment or invalidation of another's: {_AS_UNKNOWN}"),
    "import.declaration.list": rule({ANYONE}, "declarations, filtered to those the caller may read"),
    "import.declaration.read": rule({HOLDER, REPRESENTATIVE, TRADER_AT_DESTINATION, OFFICER_AT_DESTINATION},
                             "a declaration: its state, lane, duties, data, events and notifications (the consignee "
                             "its own; officers of its office)"),
    "import.declaration.present": rule({HOLDER, REPRESENTATIVE, OFFICER_AT_DESTINATION},
                                "a pre-lodged declaration: the goods presented (arrived) at its office",
                                "pre-lodged", refusal=_SEES_OR_UNKNOWN),
    "import.declaration.control_result": rule({OFFICER_AT_DESTINATION}, "a declaration under control: released or refused",
                                       "under control", refusal=_SEES_OR_UNKNOWN),
    "import.notice.read": rule({HOLDER, REPRESENTATIVE, TRADER_AT_DESTINATION, OFFICER_AT_DESTINATION},
                        "the forwarder's notice to the consignee (PDF) and its proof of sending"),
    "import.outbox.read": rule({ANYONE}, "the caller's own notifications"),
    "import.notification.read": rule({HOLDER, OFFICER}, "one notification: its recipient; any officer"),
    "import.held.read": rule({HOLDER, OFFICER}, "a declaration a queued service window holds: its sender; any officer"),
    "import.due.list": rule({ANYONE}, "the supplementary declarations due and overdue: a company its own (as declarant, "
                     "representative or consignee), an officer of an office its office's, a national officer all"),
    "import.due.sweep": rule({NATIONAL_OFFICER}, "every overdue supplementary declaration: an estimated-assessment case",
                      refusal="403 to everyone else"),
    "import.case.list": rule({OFFICER}, "the estimated-assessment cases (skønsmæssig ansættelse)",
                      refusal="404, as for an unknown list"),
    "import.case.close": rule({OFFICER}, "an estimated-assessment case", "open", refusal="404, as for an unknown case"),
    "import.settings.read": rule({OFFICER}, "the active selectivity rule set and tariff, a consignee's customs credit",
                          refusal="404, as for unknown settings"),
    "import.settings.rules": rule({NATIONAL_OFFICER}, "the selectivity rule set (a new version)",
                           refusal="403 to everyone else"),
    "import.settings.tariff": rule({NATIONAL_OFFICER}, "the tariff (a new version)", refusal="403 to everyone else"),
    "import.settings.credit": rule({NATIONAL_OFFICER}, "a consignee's customs credit standing",
                            refusal="403 to everyone else"),
})

_ROOT = "/api/imports"
ROUTES: dict[tuple[str, str], str] = {
    ("POST", f"{_ROOT}/declarations"): "import.declaration.lodge",
    ("GET", f"{_ROOT}/declarations"): "import.declaration.list",
    ("GET", f"{_ROOT}/declarations/{{mrn}}"): "import.declaration.read",
    ("GET", f"{_ROOT}/declarations/{{mrn}}/notifications"): "import.declaration.read",
    ("POST", f"{_ROOT}/declarations/{{mrn}}/presentation"): "import.declaration.present",
    ("POST", f"{_ROOT}/declarations/{{mrn}}/control-result"): "import.declaration.control_result",
    ("GET", f"{_ROOT}/declarations/{{mrn}}/consignee-notice.pdf"): "import.notice.read",
    ("GET", f"{_ROOT}/outbox"): "import.outbox.read",
    ("GET", f"{_ROOT}/notifications/{{notification_id}}"): "import.notification.read",
    ("GET", f"{_ROOT}/held/{{held_id}}"): "import.held.read",
    ("GET", f"{_ROOT}/due"): "import.due.list",
    ("POST", f"{_ROOT}/due/sweep"): "import.due.sweep",
    ("GET", f"{_ROOT}/cases"): "import.case.list",
    ("POST", f"{_ROOT}/cases/{{case_id}}/close"): "import.case.close",
    ("GET", f"{_ROOT}/settings/rules"): "import.settings.read",
    ("PUT", f"{_ROOT}/settings/rules"): "import.settings.rules",
    ("GET", f"{_ROOT}/settings/tariff"): "import.settings.read",
    ("PUT", f"{_ROOT}/settings/tariff"): "import.settings.tariff",
    ("GET", f"{_ROOT}/settings/credit/{{eori}}"): "import.settings.read",
    ("PUT", f"{_ROOT}/settings/credit/{{eori}}"): "import.settings.credit",
}


@dataclass(frozen=True, slots=True)
class DeclarationParties:
    """Whom a declaration concerns: its declarant, the representative it names, the consignee, its office."""

    declarant: str
    representative: str | None
    consignee: str
    office: str


def roles_towards(party: Party, parties: DeclarationParties) -> frozenset[str]:
    """The party's roles towards the declaration."""
    if party.is_officer:
        return officer_roles(party, **{OFFICER_AT_DESTINATION: parties.office})
    roles = set()
    if party.eori and party.eori == parties.declarant:
        roles.add(HOLDER)
    if party.eori and party.eori == parties.representative:
        roles.add(REPRESENTATIVE)
    if party.eori and party.eori == parties.consignee:
        roles.add(TRADER_AT_DESTINATION)
    return frozenset(roles)


def unknown_declaration(mrn: str) -> NotFound:
    return NotFound(problem("import.declaration.unknown", "/mrn", f"no import declaration {mrn}",
                            f"ingen importangivelse {mrn}"))


def require(name: str, party: Party, parties: DeclarationParties, mrn: str) -> None:
    """Raise unless the party may act so on the declaration (one it may not read: as an unknown one)."""
    roles = roles_towards(party, parties)
    sees = bool(roles & RULES["import.declaration.read"].actors)
    refused = refusal(RULES[name], roles, frozenset(), sees, unknown_declaration(mrn))
    if refused is not None:
        raise refused


def may_read(party: Party, parties: DeclarationParties) -> bool:
    return bool(roles_towards(party, parties) & RULES["import.declaration.read"].actors)


def require_officer(party: Party, name: str) -> None:
    """Officers' operations: national ones for the settings and the sweep, any officer for the cases."""
    entry = RULES[name]
    roles = officer_roles(party)
    if roles & entry.actors:
        return
    raise Forbidden(problem("auth.not_permitted", "Authorization", f"only customs officers may act on {entry.object}"
                            + (" (national officers)" if entry.actors == {NATIONAL_OFFICER} else ""),
                            f"kun toldmedarbejdere må handle på {entry.object}"))


def require_company(party: Party) -> None:
    """Declarations come from companies; officers decide through the declaration's operations."""
    if party.is_officer or not party.eori:
        raise Forbidden(problem("auth.company_only", "Authorization",
                                "import declarations are lodged by companies; officers decide through the "
                                "declaration's operations",
                                "importangivelser indgives af virksomheder; toldmedarbejdere træffer afgørelser "
                                "via angivelsens handlinger"))
