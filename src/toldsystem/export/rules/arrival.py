"""The arrival at exit (IE507, CC507C) as the rules see it, and whether it may be registered (SPEC E: the goods
are presented at the office of exit, then their arrival at exit is registered; seed 002: the arrival
notification comes before the Manifest departure that confirms the exit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from toldsystem.core.clock import COPENHAGEN
from toldsystem.core.errors import Problem, problem
from toldsystem.export.rules.model import Event, ExportDeclaration
from toldsystem.export.rules.states import next_status
from toldsystem.imports.messages.convert import value_of


@dataclass(frozen=True, slots=True)
class ArrivalAtExit:
    """What an arrival at exit says: which export, when (aware UTC), at which office, where, and its flags."""

    mrn: str
    at: datetime
    office: str
    place: str | None
    discrepancies: bool
    storing: bool


def arrival_at_exit_of(data: dict[str, Any]) -> ArrivalAtExit | Problem:
    """The arrival at exit of a parsed CC507C; its date and time, written without a zone, are Danish time."""
    operation = data.get("ExportOperation") or {}
    written = value_of(operation.get("arrivalNotificationDateAndTime")) or ""
    try:
        at = datetime.fromisoformat(written).replace(tzinfo=COPENHAGEN).astimezone(UTC)
    except ValueError:
        return problem("export.arrival.time", "/CC507C/ExportOperation/arrivalNotificationDateAndTime",
                       f"{written!r} is not a date and time (CCYY-MM-DDThh:mm:ss).",
                       f"{written!r} er ikke en dato og et klokkeslæt (ÅÅÅÅ-MM-DDTtt:mm:ss).")
    return ArrivalAtExit(mrn=value_of(operation.get("MRN")) or "", at=at,
                         office=value_of((data.get("CustomsOfficeOfExitActual") or {}).get("referenceNumber")) or "",
                         place=value_of(operation.get("arrivalNotificationPlace")),
                         discrepancies=value_of(operation.get("discrepanciesExist")) == "1",
                         storing=value_of(operation.get("storingFlag")) == "1")


def arrival_may_be_registered(arrival: ArrivalAtExit, declaration: ExportDeclaration | None) -> Problem | None:
    """An arrival at exit names a known export whose goods are presented at the office of exit (SPEC E;
    the transitions of states.py)."""
    pointer = "/CC507C/ExportOperation/MRN"
    if declaration is None or declaration.mrn != arrival.mrn:
        return problem("export.arrival.unknown_mrn", pointer, f"No export declaration has the MRN {arrival.mrn}.",
                       f"Ingen eksportangivelse har MRN {arrival.mrn}.")
    found = next_status(declaration.status, Event.ARRIVE_AT_EXIT)
    if isinstance(found, Problem):
        return problem("export.arrival.not_presented", pointer,
                       f"The export {arrival.mrn} is {declaration.status.value.replace('_', ' ')}: its goods must be "
                       "presented at the office of exit before their arrival is registered.",
                       f"Udførslen {arrival.mrn} har status {declaration.status.value}: varerne skal være frembudt "
                       "ved udgangstoldstedet, før ankomsten kan registreres.")
    return None
