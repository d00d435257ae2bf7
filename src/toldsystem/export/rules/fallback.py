"""Export under the fallback procedure (seed 002, "Eksport"; SPEC F).

An export declaration started on paper under fallback cannot be named in a Manifest departure: the
departure declaration carries the exemption code for it instead ("Brug af Manifestsystemet"). The
office follows every such declaration up ("Opfølgning på angivelser startet i nødprocedure"); copy 2 of
the SAD reaches the office of export within a week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from toldsystem.core.errors import Problem, problem
from toldsystem.export.rules.model import ExportDeclaration

# Seed 002 names "the exemption code" (fritagelseskoden) a departure declaration uses for an export started
# under fallback, but not its value: this one is ours.
FALLBACK_EXEMPTION_CODE = "NODP"
COPY_2_WITHIN = timedelta(weeks=1)
SUBSEQUENT_DECLARATION_TYPE = "28"  # "efterfølgende udstedt udførselsangivelse (angivelsesart 28)"
REMARK_SUBSEQUENT = "Nødprocedure"  # the fallback remark in box 44.6 of a subsequent declaration
REMARK_NO_MRN = "ingen MRN pga af nødp"  # box 44.6, by a correction, when no MRN was given
REMARK_EXITED_BY_OFFICE = "exited af udf.toldstedet pga nødp."  # the location of the arrival notification


def departure_may_name(declaration: ExportDeclaration) -> Problem | None:
    """An export started under fallback cannot be named in a departure manifest; the exemption code is used
    instead (seed 002, "Brug af Manifestsystemet")."""
    if not declaration.started_under_fallback:
        return None
    return problem("export.fallback.in_departure", "/Departure/Consignment",
                   f"The export {declaration.mrn or declaration.lrn} was started under the fallback procedure and "
                   f"cannot be named in a departure manifest: use the exemption code {FALLBACK_EXEMPTION_CODE}.",
                   f"Udførslen {declaration.mrn or declaration.lrn} er startet i nødprocedure og kan ikke angives i "
                   f"et afgangsmanifest: anvend fritagelseskoden {FALLBACK_EXEMPTION_CODE}.")


def departure_reference(declaration: ExportDeclaration) -> str:
    """What a departure declaration names for this export: its MRN, or the exemption code when it was started
    under fallback or has no MRN (seed 002, "Brug af Manifestsystemet")."""
    if declaration.started_under_fallback or not declaration.mrn:
        return FALLBACK_EXEMPTION_CODE
    return declaration.mrn


def copy_2_due(started_at: datetime) -> date:
    """Copy 2 of the SAD (or the copy of the print) reaches the office of export at the latest one week after
    the fallback procedure was used (seed 002, "Godkendt eksportør")."""
    return (started_at + COPY_2_WITHIN).date()


class FollowUp(StrEnum):
    """What the office does with an export started under fallback (seed 002, "Opfølgning ...")."""

    ENTER_SUBSEQUENT = "enter_subsequent"  # not in e-Export: keyed in as declaration type 28, remark in 44.6
    CLOSE_WITH_ARRIVAL_AND_EXIT = "close_with_arrival_and_exit"  # has an MRN: arrival and exit by the office
    REMARK_NO_MRN = "remark_no_mrn"  # registered but no MRN: remark in box 44.6 by a correction


@dataclass(frozen=True, slots=True)
class FollowUpStep:
    """One follow-up step and the text the office writes."""

    action: FollowUp
    remark: str


def fallback_follow_up(registered: bool, mrn: str | None) -> FollowUpStep:
    """How the office follows up an export started under fallback (seed 002, "Opfølgning på angivelser startet
    i nødprocedure"): not registered, keyed in as a subsequent declaration (type 28); with an MRN, closed with
    the arrival notification and exit confirmation; registered without an MRN, the remark by a correction."""
    if not registered:
        return FollowUpStep(FollowUp.ENTER_SUBSEQUENT, REMARK_SUBSEQUENT)
    if mrn:
        return FollowUpStep(FollowUp.CLOSE_WITH_ARRIVAL_AND_EXIT, REMARK_EXITED_BY_OFFICE)
    return FollowUpStep(FollowUp.REMARK_NO_MRN, REMARK_NO_MRN)
