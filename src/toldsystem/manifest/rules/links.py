"""The links a Manifest filing makes (seed 002; SPEC M, E): an arrival inserts the actual arrival into the linked
import declarations ("Der vil derefter automatisk blive indsat faktisk ankomst i fortoldningsangivelsen"); a
departure inserts the exit confirmation into the linked exports ("Udpassageattest indsættes automatisk i
eksportangivelserne"); an export started under fallback cannot be named in a departure manifest, which uses
the exemption code for it instead (seed 002 "Brug af Manifestsystemet").

The seed names the exemption code (fritagelseskoden) but not its value: FALLBACK_EXEMPTION_CODE is our choice,
and every function takes the codes as a parameter so the service can pass the agency's."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from toldsystem.core.errors import Problem
from toldsystem.manifest.rules.facts import manifest_problem
from toldsystem.manifest.rules.model import Direction, LinkKind, Movement

FALLBACK_EXEMPTION_CODE = "NODP"  # our choice: "nødprocedure"
ACTUAL_ARRIVAL, EXIT_CONFIRMATION = "actual_arrival", "exit_confirmation"


@dataclass(frozen=True, slots=True)
class Insertion:
    """What a filed movement inserts into one linked declaration: the event, when, where, by which consignment."""

    declaration: str
    event: str  # ACTUAL_ARRIVAL or EXIT_CONFIRMATION
    at: datetime
    place: str
    transport_document: str


def _insertions(m: Movement, kind: LinkKind, event: str, at: datetime) -> tuple[Insertion, ...]:
    return tuple(Insertion(c.declaration, event, at, m.place, c.transport_document)
                 for c in m.consignments if c.link_kind == kind and c.declaration)


def actual_arrivals(arrival: Movement, arrived_at: datetime) -> tuple[Insertion, ...]:
    """Seed 002 "Import": filing the arrival inserts the actual arrival into each linked import declaration."""
    if arrival.direction != Direction.ARRIVAL:
        raise ValueError("actual arrivals come from an arrival")
    return _insertions(arrival, LinkKind.IMPORT, ACTUAL_ARRIVAL, arrived_at)


def exit_confirmations(departure: Movement, departed_at: datetime) -> tuple[Insertion, ...]:
    """Seed 002 "Afgang": filing the departure inserts the exit confirmation into each linked export declaration."""
    if departure.direction != Direction.DEPARTURE:
        raise ValueError("exit confirmations come from a departure")
    return _insertions(departure, LinkKind.EXPORT, EXIT_CONFIRMATION, departed_at)


def links_match_direction(m: Movement) -> list[Problem]:
    """SPEC M: an arrival's consignments link import declarations, a departure's link export declarations."""
    wanted = LinkKind.IMPORT if m.direction == Direction.ARRIVAL else LinkKind.EXPORT
    return [manifest_problem("link_kind", c.pointer, f"a{'n arrival' if wanted == LinkKind.IMPORT else ' departure'} "
                             f"links {wanted.value} declarations", "en ankomst knyttes til importangivelser, en afgang "
                             "til eksportangivelser")
            for c in m.consignments if c.link_kind is not None and c.link_kind != wanted]


def departure_names_no_fallback_export(departure: Movement, fallback_exports: Collection[str]) -> list[Problem]:
    """Seed 002 "Brug af Manifestsystemet": an export started under fallback cannot be named in a departure."""
    if departure.direction != Direction.DEPARTURE:
        return []
    return [manifest_problem("fallback_export_named", c.pointer, f"{c.declaration} was started under the fallback "
                             "procedure and cannot be named in a departure: use the exemption code instead",
                             f"{c.declaration} er startet i nødprocedure og kan ikke angives i et afgangsmanifest: "
                             "brug fritagelseskoden i stedet")
            for c in departure.consignments if c.declaration and c.declaration in fallback_exports]


def exemption_code_stands_alone(m: Movement, exemption_codes: Collection[str] = (FALLBACK_EXEMPTION_CODE,)
                                ) -> list[Problem]:
    """Seed 002 "Brug af Manifestsystemet": the exemption code replaces the declaration; it is a known code."""
    found: list[Problem] = []
    for c in m.consignments:
        if not c.exemption_code:
            continue
        if c.exemption_code not in exemption_codes:
            found.append(manifest_problem("exemption_code", c.pointer, f"{c.exemption_code} is not an exemption code",
                                          f"{c.exemption_code} er ikke en fritagelseskode"))
        if c.declaration:
            found.append(manifest_problem("exemption_and_declaration", c.pointer, "a consignment under the exemption "
                                          "code names no declaration", "en sending med fritagelseskode angiver "
                                          "ingen angivelse"))
    return found
