"""The forwarder's notice to the consignee of a simplified express declaration (seed 004, TBEK § 8)."""

from __future__ import annotations

from dataclasses import dataclass

from toldsystem.imports.rules.model import Declaration, Procedure


@dataclass(frozen=True, slots=True)
class ConsigneeNotice:
    """What the forwarder tells the consignee; the forwarder keeps proof that it was sent."""

    to: str
    en: str
    da: str


def consignee_notice(decl: Declaration) -> ConsigneeNotice | None:
    """Seed 004 "Krav til underretningen": simplified express, a supplementary declaration follows, and the
    forwarder's name, address and phone. None when no notice is due (not simplified express, or no forwarder)."""
    if decl.procedure != Procedure.SIMPLIFIED_EXPRESS or not decl.represented:
        return None
    forwarder = decl.declarant
    contact = ", ".join(part for part in (forwarder.name, forwarder.address, forwarder.phone) if part)
    return ConsigneeNotice(
        to=decl.consignee.identifier,
        en=f"Your goods (declaration {decl.id}) have been declared to simplified express clearance; a supplementary "
           f"declaration will follow. Declared by: {contact}.",
        da=f"Jeres varer (angivelse {decl.id}) er angivet til forenklet ekspresfortoldning; den følges af en "
           f"supplerende angivelse. Angivet af: {contact}.")
