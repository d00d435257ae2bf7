"""Who may do what with an export declaration (SPEC E; the access model of transit/authorisation.py).

The declarant, or the representative it names (Agent) holding the declarant's power of attorney, lodges,
amends and invalidates its own declarations and reads them; officers of the office of export decide on
release and control; officers of the office of exit register the presentation, the arrival at exit and
the exit; a national officer acts for every office. A declaration the party may not see is answered exactly
as an unknown MRN (404 `export.mrn.unknown`).
"""

from __future__ import annotations

from toldsystem.access.rules import (ANYONE, HOLDER, OFFICER, OFFICER_AT_DEPARTURE, OFFICER_AT_DESTINATION,
                                     REPRESENTATIVE, Party, Rule, in_system, rule)
from toldsystem.core.errors import Forbidden, NotFound, Problem, problem

EXPORT_OFFICE, EXIT_OFFICE = "export", "exit"

_AS_UNKNOWN = "404, as for an unknown MRN"
_OFFICE = "an officer of the competent office (a national officer: any)"

# Who may do what (docs/security.md; tests/access); every rule needs the user's export role (seed 000). The
# access model's office roles read, for export: "officer at departure" is the office of export's, "officer at
# destination" the office of exit's (access/rules.py has no export office roles of its own).
RULES: dict[str, Rule] = in_system("export", {
    "export.message.send": rule(
        {HOLDER, REPRESENTATIVE},
        "a declaration (B1/C1), amendment or invalidation naming the caller as declarant, or as Agent with the "
        "declarant's power of attorney", refusal="403 export.lodge.not_declarant (and to officers); another's "
                                                 "MRN: 404 as unknown"),
    "export.declaration.arrival": rule({OFFICER_AT_DESTINATION}, f"the arrival at exit (CC507C): {_OFFICE} of exit "
                                       "(the actual office the message names)", "presented at exit",
                                       refusal="403 to companies; 404 as unknown to other offices"),
    "export.held.read": rule({HOLDER, OFFICER}, "a message a queued service window holds: its sender; any officer"),
    "export.outbox.read": rule({ANYONE}, "the caller's own notifications"),
    "export.notification.read": rule({HOLDER, OFFICER}, "one notification addressed to the caller (officers: any)"),
    "export.declaration.read": rule(
        {HOLDER, REPRESENTATIVE, OFFICER_AT_DEPARTURE, OFFICER_AT_DESTINATION},
        f"a declaration, its audit trail and notifications: its declarant or representative; {_OFFICE} of export "
        "or of exit", refusal=_AS_UNKNOWN),
    "export.declaration.goods_presented": rule(
        {HOLDER, REPRESENTATIVE, OFFICER_AT_DEPARTURE},
        "a pre-lodged declaration: its goods are presented at the office of export", "pre-lodged",
        refusal=_AS_UNKNOWN),
    "export.declaration.release": rule({OFFICER_AT_DEPARTURE}, f"release for export: {_OFFICE} of export",
                                       "accepted or under control", refusal=_AS_UNKNOWN),
    "export.declaration.control": rule({OFFICER_AT_DEPARTURE}, f"selection for control: {_OFFICE} of export",
                                       "accepted", refusal=_AS_UNKNOWN),
    "export.declaration.presentation": rule({OFFICER_AT_DESTINATION},
                                            f"presentation at the office of exit: {_OFFICE} of exit", "released",
                                            refusal=_AS_UNKNOWN),
    "export.declaration.exit": rule({OFFICER_AT_DESTINATION}, f"the exit confirmation: {_OFFICE} of exit (a "
                                    "Manifest departure confirms through the Manifest room)", "arrived at exit",
                                    refusal=_AS_UNKNOWN),
    "export.declaration.invalidate": rule({HOLDER, REPRESENTATIVE, OFFICER_AT_DEPARTURE},
                                          f"invalidation: the declarant or representative, or {_OFFICE} of export",
                                          "before presentation at the office of exit", refusal=_AS_UNKNOWN),
})

ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/api/export/messages"): "export.message.send",
    ("GET", "/api/export/held/{held_id}"): "export.held.read",
    ("GET", "/api/export/outbox"): "export.outbox.read",
    ("GET", "/api/export/notifications/{notification_id}"): "export.notification.read",
    ("GET", "/api/export/declarations/{mrn}"): "export.declaration.read",
    ("GET", "/api/export/declarations/{mrn}/events"): "export.declaration.read",
    ("GET", "/api/export/declarations/{mrn}/notifications"): "export.declaration.read",
    ("POST", "/api/export/declarations/{mrn}/goods-presented"): "export.declaration.goods_presented",
    ("POST", "/api/export/declarations/{mrn}/release"): "export.declaration.release",
    ("POST", "/api/export/declarations/{mrn}/control"): "export.declaration.control",
    ("POST", "/api/export/declarations/{mrn}/presentation"): "export.declaration.presentation",
    ("POST", "/api/export/declarations/{mrn}/exit"): "export.declaration.exit",
    ("POST", "/api/export/declarations/{mrn}/arrival"): "export.declaration.arrival",
    ("POST", "/api/export/declarations/{mrn}/invalidation"): "export.declaration.invalidate",
}


def unknown(mrn: str) -> NotFound:
    """The answer to an MRN that does not exist, and to one the party may not see: the same."""
    return NotFound(problem("export.mrn.unknown", "/mrn", f"No export declaration has the MRN {mrn}.",
                            f"Ingen eksportangivelse har MRN {mrn}."))


def is_party_to(party: Party, declarant: str, representative: str | None) -> bool:
    """A company is party to the declarations it is declarant or representative of."""
    return not party.is_officer and bool(party.eori) and party.eori in (declarant, representative)


def officer_of(party: Party, office: str) -> bool:
    """An officer of this office, or a national one."""
    return party.is_officer and (party.office is None or party.office == office)


def may_read(party: Party, row) -> bool:
    """Declarant, representative, and the officers of its office of export or exit."""
    return (is_party_to(party, row.declarant_eori, row.representative_eori)
            or officer_of(party, row.office_of_export) or officer_of(party, row.office_of_exit))


def may_decide(party: Party, row, where: str) -> bool:
    """Officers of the competent office: of export for release and control, of exit for what happens there."""
    return officer_of(party, row.office_of_export if where == EXPORT_OFFICE else row.office_of_exit)


def may_invalidate(party: Party, row) -> bool:
    """The declarant or its representative, or an officer of the office of export."""
    return is_party_to(party, row.declarant_eori, row.representative_eori) or officer_of(party, row.office_of_export)


def lodging_problem(party: Party, declarant: str, agent: str | None, agent_has_power: bool) -> Problem | None:
    """A declaration is lodged by its declarant, or by the Agent it names holding the declarant's power."""
    if party.is_officer:
        return problem("auth.company_only", "Authorization", "Export declarations are lodged by companies.",
                       "Eksportangivelser indgives af virksomheder.")
    if party.eori == declarant or (party.eori == agent and agent_has_power):
        return None
    return problem("export.lodge.not_declarant", "/Declaration/Declarant/ID",
                   f"{party.eori} is neither the declarant {declarant} nor its representative with a power of "
                   "attorney.",
                   f"{party.eori} er hverken klarereren {declarant} eller dennes repræsentant med fuldmagt.")


def arrival_sender(party: Party, mrn: str, reading) -> None:
    """The arrival at exit comes from an officer (403 to companies), and names the MRN of the path (else 404 as
    for an unknown one: the message is about another declaration)."""
    if not party.is_officer:
        raise Forbidden(problem("export.arrival.office_only", "/CC507C",
                                "The arrival at exit is registered by the office of exit.",
                                "Ankomsten til udgang registreres af udgangstoldstedet."))
    data = getattr(reading, "data", None) or {}
    named = (data.get("ExportOperation") or {}).get("MRN") if isinstance(data.get("ExportOperation"), dict) else None
    if data and named != mrn:
        raise unknown(mrn)


def require_company(party: Party) -> None:
    """Raise 403 for an officer where only companies act."""
    if party.is_officer:
        raise Forbidden(problem("auth.company_only", "Authorization", "Only companies do this.",
                                "Kun virksomheder kan dette."))
