"""Permission to unload or to depart (seed 002 "Ankomst": "For virksomheder der er AEO-godkendt vil dette ske uden
videre, for andre virksomheder vil det ske efter en konkret vurdering … Fly der ankommer fra et andet sted i EU må
dog losse varerne umiddelbart"; "Afgang": the transport may depart once customs have stamped or replied).

The officer's assessment is a fact passed in, never made here."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from toldsystem.manifest.rules.model import EU_MEMBER_STATES, Direction, Movement, TransportMode


class Verdict(StrEnum):
    """Where the permission stands."""

    GRANTED = "granted"
    AWAITING_ASSESSMENT = "awaiting_assessment"  # an officer must assess it (a work list item)
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Assessment:
    """An officer's concrete assessment of a movement: granted or refused, by whom, when, why."""

    granted: bool
    officer: str
    at: datetime
    note: str = ""


@dataclass(frozen=True, slots=True)
class Permission:
    """The permission to unload (arrival) or depart (departure), with the ground it rests on."""

    verdict: Verdict
    ground: str  # "aeo", "eu_flight", "assessment" or "pending"
    at: datetime | None
    en: str
    da: str


def holds_aeo(m: Movement, valid_aeo_certificates: Collection[str]) -> bool:
    """The movement names an AEO certificate the caller knows to be valid (the rules do not look it up)."""
    return bool(m.aeo_certificate) and m.aeo_certificate.replace(" ", "").upper() in valid_aeo_certificates


def flight_from_elsewhere_in_eu(m: Movement, eu_countries: Collection[str] = EU_MEMBER_STATES) -> bool:
    """Seed 002 "Fly der ankommer fra et andet sted i EU må dog losse varerne umiddelbart": an air arrival from a
    member state."""
    return m.direction == Direction.ARRIVAL and m.mode == TransportMode.AIR and m.arriving_from_country in eu_countries


def permission(m: Movement, filed_at: datetime, valid_aeo_certificates: Collection[str] = (),
               assessment: Assessment | None = None,
               eu_countries: Collection[str] = EU_MEMBER_STATES) -> Permission:
    """Seed 002 "Ankomst"/"Afgang": AEO at once, an air arrival from the EU at once, others after an assessment."""
    act = ("unload", "losse") if m.direction == Direction.ARRIVAL else ("depart", "afgå")
    if holds_aeo(m, valid_aeo_certificates):
        return Permission(Verdict.GRANTED, "aeo", filed_at, f"AEO: permission to {act[0]} at once",
                          f"AEO: tilladelse til at {act[1]} uden videre")
    if flight_from_elsewhere_in_eu(m, eu_countries):
        return Permission(Verdict.GRANTED, "eu_flight", filed_at,
                          "a flight from elsewhere in the EU may unload at once",
                          "fly fra et andet sted i EU må losse umiddelbart")
    if assessment is None:
        return Permission(Verdict.AWAITING_ASSESSMENT, "pending", None,
                          f"permission to {act[0]} awaits an officer's assessment",
                          f"tilladelse til at {act[1]} afventer toldmyndighedens konkrete vurdering")
    if assessment.granted:
        return Permission(Verdict.GRANTED, "assessment", assessment.at,
                          f"permission to {act[0]} granted by {assessment.officer}",
                          f"tilladelse til at {act[1]} givet af {assessment.officer}")
    return Permission(Verdict.REFUSED, "assessment", assessment.at,
                      f"permission to {act[0]} refused by {assessment.officer}: {assessment.note}".rstrip(": "),
                      f"tilladelse til at {act[1]} afslået af {assessment.officer}: {assessment.note}".rstrip(": "))
