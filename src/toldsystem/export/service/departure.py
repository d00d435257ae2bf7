"""The exit confirmations a Manifest departure inserts (SPEC M; seed 002 "Afgang"): export/rules decides per
consignment (exit_confirmations); each event found is applied through `confirm_exit`, each problem returned
to the Manifest room with its consignment's pointer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core.errors import Problem
from toldsystem.export import rules, store
from toldsystem.export.service.steps import _typed, confirm_exit
from toldsystem.export.service.units import Outcome


@dataclass(frozen=True, slots=True)
class DepartureResult:
    """Per consignment of the departure, in order: the confirmed exit, or the problem, or neither (NODP)."""

    sequence: int
    reference: str
    outcome: Outcome | None = None
    problem: Problem | None = None


def confirm_departure(party: Party, departure: rules.Departure, *, document: str | None = None
                      ) -> list[DepartureResult]:
    """Confirm the exit of every export a Manifest departure names (the departure's time and office)."""
    named = [c.reference for c in departure.consignments if c.reference != rules.FALLBACK_EXEMPTION_CODE]
    with db.reading() as conn:
        rows = conn.execute(select(store.declarations).where(store.declarations.c.mrn.in_(named))).all()
    results = []
    for found in rules.exit_confirmations(departure, [_typed(row) for row in rows]):
        consignment = found.consignment
        if found.event is None:
            results.append(DepartureResult(consignment.sequence, consignment.reference, problem=found.problem))
            continue
        outcome = confirm_exit(party, found.event.mrn, departure=found.event.departure, document=document,
                               office=found.event.exit_office, at=found.event.at)
        results.append(DepartureResult(consignment.sequence, consignment.reference, outcome=outcome))
    return results
