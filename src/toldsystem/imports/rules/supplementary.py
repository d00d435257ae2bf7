"""The supplementary declaration to a simplified express one: its due date and what happens past it (seed 004)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from toldsystem.core.calendar import last_working_day_of_month, month_after, next_working_day, \
    nth_working_day_of_month
from toldsystem.imports.rules.facts import Result, danish_day, import_problem
from toldsystem.imports.rules.model import Declaration, Procedure


class SupplementaryState(StrEnum):
    """Where a simplified express declaration stands with its supplementary declaration."""

    AWAITING = "awaiting"  # not lodged, not yet due
    LODGED_IN_TIME = "lodged_in_time"
    ESTIMATED_ASSESSMENT = "estimated_assessment"  # skønsmæssig ansættelse (TDL § 13, stk. 2; F.A.33.11)


@dataclass(frozen=True, slots=True)
class SupplementaryOutcome:
    """The due date and the state; past the due date customs assess the duties by estimate."""

    due: date
    state: SupplementaryState
    en: str
    da: str


def supplementary_due_date(accepted_at: datetime, lodged_electronically: bool) -> date:
    """Seed 004 "Supplerende ekspresangivelse" (TBEK § 7, stk. 3): electronic — the 2nd working day of the month
    after acceptance; on the SAD — the last working day of the month of acceptance.

    Accepted after the month's last working day (e.g. on 31 December), the SAD deadline is the next working day.
    """
    accepted = danish_day(accepted_at)
    if lodged_electronically:
        return nth_working_day_of_month(*month_after(accepted.year, accepted.month), 2)
    last = last_working_day_of_month(accepted.year, accepted.month)
    return last if last >= accepted else next_working_day(accepted)


def is_overdue(accepted_at: datetime, lodged_electronically: bool, today: date) -> bool:
    """Seed 004 "Tidsfrister": today is past the supplementary declaration's due date."""
    return today > supplementary_due_date(accepted_at, lodged_electronically)


def supplementary_outcome(accepted_at: datetime, lodged_electronically: bool, today: date,
                          lodged_on: date | None = None) -> SupplementaryOutcome:
    """Seed 004 "Tidsfrister" (TDL § 13, stk. 2): lodged in time, still awaited, or an estimated-assessment case."""
    due = supplementary_due_date(accepted_at, lodged_electronically)
    if lodged_on is not None and lodged_on <= due:
        return SupplementaryOutcome(due, SupplementaryState.LODGED_IN_TIME,
                                    f"supplementary declaration lodged in time (due {due.isoformat()})",
                                    f"supplerende angivelse afgivet rettidigt (frist {due.isoformat()})")
    if (lodged_on or today) > due:
        return SupplementaryOutcome(due, SupplementaryState.ESTIMATED_ASSESSMENT,
                                    f"the supplementary declaration was due on {due.isoformat()}: customs assess "
                                    "the duties by estimate",
                                    f"den supplerende angivelse skulle være afgivet senest {due.isoformat()}: "
                                    "told mv. ansættes skønsmæssigt")
    return SupplementaryOutcome(due, SupplementaryState.AWAITING,
                                f"supplementary declaration due by {due.isoformat()}",
                                f"supplerende angivelse skal afgives senest {due.isoformat()}")


def supplementary_refers_to_its_simplified_declaration(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Supplerende angivelse": each one follows an accepted simplified express declaration."""
    if decl.procedure == Procedure.SUPPLEMENTARY and decl.simplified_accepted_at is None:
        return import_problem("supplementary.no_simplified_declaration", "/previousDocument",
                              "a supplementary declaration refers to the accepted simplified express declaration",
                              "en supplerende angivelse henviser til den antagne forenklede ekspresangivelse")
    return None


def supplementary_lodged_in_time(decl: Declaration, at: datetime) -> Result:
    """Seed 004 "Tidsfrister": lodged past the due date, the duties are assessed by estimate (skønsmæssig ansættelse)."""
    if decl.procedure != Procedure.SUPPLEMENTARY or decl.simplified_accepted_at is None:
        return None
    outcome = supplementary_outcome(decl.simplified_accepted_at, decl.lodged_electronically, danish_day(at),
                                    danish_day(decl.lodged_at))
    if outcome.state == SupplementaryState.ESTIMATED_ASSESSMENT:
        return import_problem("supplementary.late", "/lodgedAt", outcome.en, outcome.da)
    return None


RULES = (supplementary_refers_to_its_simplified_declaration, supplementary_lodged_in_time)
