"""The exit confirmation a Manifest departure inserts into the export declarations it names (SPEC E and M;
seed 002, "Nødprocedure ved udgangstoldstedet" and "Afgang": the exit confirmation is inserted
automatically once the departure declaration is filed, after the arrival notification).

A pure function: given the departure's consignments and the export declarations, which declaration gets
which exit event, and why the others get none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from toldsystem.core.errors import Problem, problem
from toldsystem.export.rules.fallback import FALLBACK_EXEMPTION_CODE, departure_may_name
from toldsystem.export.rules.model import Departure, DepartureConsignment, ExitEvent, ExportDeclaration, Status


@dataclass(frozen=True, slots=True)
class ExitOutcome:
    """What one consignment of the departure does: an exit event for its declaration, or a problem, or
    nothing (the exemption code: the office closes those itself, seed 002)."""

    consignment: DepartureConsignment
    event: ExitEvent | None = None
    problem: Problem | None = None


def exit_confirmations(departure: Departure, declarations: Iterable[ExportDeclaration]) -> list[ExitOutcome]:
    """For each consignment of the departure, in order, the exit event it inserts or why it inserts none
    (SPEC E and M; seed 002). An MRN named twice is confirmed once."""
    by_mrn = {d.mrn: d for d in declarations if d.mrn}
    confirmed: set[str] = set()
    outcomes = []
    for consignment in departure.consignments:
        outcome = _outcome(departure, consignment, by_mrn.get(consignment.reference), confirmed)
        if outcome.event is not None:
            confirmed.add(outcome.event.mrn)
        outcomes.append(outcome)
    return outcomes


def _outcome(departure: Departure, consignment: DepartureConsignment, declaration: ExportDeclaration | None,
             confirmed: set[str]) -> ExitOutcome:
    pointer = f"/Departure/Consignment[{consignment.sequence}]"
    if consignment.reference == FALLBACK_EXEMPTION_CODE:
        return ExitOutcome(consignment)
    if declaration is None:
        return ExitOutcome(consignment, problem=problem(
            "export.exit.unknown_mrn", pointer, f"No export declaration has the MRN {consignment.reference}.",
            f"Ingen eksportangivelse har MRN {consignment.reference}."))
    found = departure_may_name(declaration) or _ready_for_exit(declaration, consignment, confirmed)
    if found is not None:
        return ExitOutcome(consignment, problem=replace(found, pointer=pointer))
    event = ExitEvent(mrn=consignment.reference, at=departure.departed_at, exit_office=departure.office,
                      departure=departure.reference)
    return ExitOutcome(consignment, event=event)


def _ready_for_exit(declaration: ExportDeclaration, consignment: DepartureConsignment,
                    confirmed: set[str]) -> Problem | None:
    """The exit is confirmed only after the arrival at exit, and once (seed 002; SPEC E)."""
    mrn = consignment.reference
    if mrn in confirmed or declaration.status == Status.EXITED:
        return problem("export.exit.already_confirmed", "", f"The exit of {mrn} is already confirmed.",
                       f"Udpassagen af {mrn} er allerede attesteret.")
    if declaration.status != Status.ARRIVED_AT_EXIT:
        return problem("export.exit.not_arrived", "",
                       f"The export {mrn} is {declaration.status.value.replace('_', ' ')}: its arrival at exit must "
                       "be registered before the departure confirms the exit.",
                       f"Udførslen {mrn} har status {declaration.status.value}: ankomstmeddelelsen skal være indsat, "
                       "før afgangen kan attestere udpassagen.")
    return None

