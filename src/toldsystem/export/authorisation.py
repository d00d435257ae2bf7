"""Who may do what with an export declaration (SPEC E; the access model of transit/authorisation.py).

The declarant, or the representative it names (Agent) holding the declarant's power of attorney, lodges,
amends and invalidates its own declarations and reads them; officers of the office of export decide on
release and control; officers of the office of exit register the presentation, the arrival at exit and
the exit; a national officer acts for every office. A declaration the party may not see is answered exactly
as an unknown MRN (404 `export.mrn.unknown`).
"""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.core.errors import Forbidden, NotFound, Problem, problem

EXPORT_OFFICE, EXIT_OFFICE = "export", "exit"

# The table docs/security.md and tests/access show: action -> (who, what, refusal).
RULES: dict[str, tuple[str, str, str]] = {
    "export.lodge": ("company: the declarant, or the Agent with the declarant's power of attorney",
                     "a B1/C1 declaration naming it", "403 export.lodge.not_declarant; officers 403"),
    "export.read": ("declarant, representative; officers of the office of export or exit; national officers",
                    "the declaration, its events and its notifications", "404 as an unknown MRN"),
    "export.amend": ("declarant, representative", "its own declaration, as the transitions allow",
                     "404 as unknown to others; 409 export.transition.not_allowed"),
    "export.invalidate": ("declarant, representative; officers of the office of export",
                          "a declaration whose goods have not reached the office of exit",
                          "404 as unknown to others; 409 export.transition.not_allowed"),
    "export.release": ("officers of the office of export", "release for export or selection for control",
                       "404 to companies and to officers of other offices"),
    "export.exit": ("officers of the office of exit", "presentation, arrival at exit, exit confirmation",
                    "404 to companies and to officers of other offices"),
    "export.arrival_message": ("the office of exit's officers (CC507C)", "the arrival at exit",
                               "403 to companies"),
    "export.departure": ("the Manifest room (service call)", "exit confirmations from a departure",
                         "per consignment: its problem"),
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
                   f"{party.eori} is neither the declarant {declarant} nor its representative with a power of attorney.",
                   f"{party.eori} er hverken klarereren {declarant} eller dennes repræsentant med fuldmagt.")


def require_company(party: Party) -> None:
    """Raise 403 for an officer where only companies act."""
    if party.is_officer:
        raise Forbidden(problem("auth.company_only", "Authorization", "Only companies do this.",
                                "Kun virksomheder kan dette."))
