"""The export fallback (seed 002 "Eksport"; SPEC F): at the office of export the SAD's copies 2 and 3 (or two
prints, or a print from e-Export) with a number of the special series and the red ECS stamp in box A; the
authorised exporter's signature and box C stamp; copy 2 to the office of export within a week; the follow-up
with its exact remarks; at the office of exit the EAD with the storage place in box K."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from toldsystem.core.clock import COPENHAGEN
from toldsystem.core.errors import Problem
from toldsystem.fallback.rules.facts import Result, as_list, fallback_problem
from toldsystem.fallback.rules.numbering import SeriesKind, number_problem

EXPORT_COPIES = frozenset({2, 3})
COPY_2_WITHIN = timedelta(weeks=1)
SUBSEQUENT_DECLARATION_TYPE = "28"  # efterfølgende udstedt udførselsangivelse
# Seed 002's exact remarks. The seed asks only for "bemærkning om, at der er tale om nødprocedure i rubrik 44.6"
# for type 28: its wording (FALLBACK_REMARK) is our choice.
FALLBACK_REMARK = "Nødprocedure"
EXITED_REMARK = "exited af udf.toldstedet pga nødp."
NO_MRN_REMARK = "ingen MRN pga af nødp"


class ExportDocument(StrEnum):
    """What the goods are presented with (seed 002 "Varerne frembydes på et toldsted")."""

    SAD = "sad"  # enhedsdokumentets eksemplar 2 og 3
    SAD_PRINT = "sad_print"  # print heraf i 2 eksemplarer
    ECS_PRINT = "ecs_print"  # udskrift fra e-Export of a declaration registered but not completed


@dataclass(frozen=True, slots=True)
class ExportPaper:
    """An export declaration under fallback at the office of export."""

    document: ExportDocument
    started_at: datetime
    copies: frozenset[int] = frozenset()  # SAD: the copy numbers
    prints: int = 0  # SAD_PRINT: how many prints
    box_a_number: str = ""  # the special series number (SAD and its print)
    stamp_in_box_a: bool = False
    box_d_stamped_and_signed: bool = False  # toldstempel og underskrift (rubrik D)
    copy_kept_for_follow_up: bool = False  # ECS_PRINT: "Der tages desuden kopi af angivelsen"
    authorised_exporter: bool = False
    exporter_signed: bool = False
    box_c_exporter_stamp: bool = False  # godkendt eksportørstempel i rubrik C
    copy_2_received_at: datetime | None = None
    registered_in_ecs: bool = False  # found registered in e-Export at the follow-up
    mrn: str = ""  # the MRN it got, if any


ExportRule = Callable[[ExportPaper], Result]


def export_copies_2_and_3(d: ExportPaper) -> Result:
    """Seed 002 "Brug af enhedsdokumentet": copies 2 and 3 of the SAD, or two prints, are presented."""
    if d.document == ExportDocument.SAD and d.copies != EXPORT_COPIES:
        return fallback_problem("export_copies", "/copies", "the export fallback uses copies 2 and 3 of the SAD",
                                "nødproceduren for udførsel anvender enhedsdokumentets eksemplar 2 og 3")
    if d.document == ExportDocument.SAD_PRINT and d.prints != 2:
        return fallback_problem("export_prints", "/prints", "a print of the SAD is presented in two copies",
                                "print af enhedsdokumentet fremlægges i 2 eksemplarer")
    return None


def export_special_number_in_box_a(d: ExportPaper) -> Result:
    """Seed 002: both copies are numbered "i en særlig nummerrække. Nummeret anbringes i rubrik A"."""
    if d.document == ExportDocument.ECS_PRINT:
        return None
    return number_problem(d.box_a_number, SeriesKind.EXPORT_BOX_A, "/boxA")


def export_stamp_in_box_a(d: ExportPaper) -> Result:
    """Seed 002: the red ECS NØDPROCEDURE/FALL BACK stamp in box A."""
    if not d.stamp_in_box_a:
        return fallback_problem("export_stamp", "/stamp", "the ECS fallback stamp goes in box A",
                                "stemplet ECS NØDPROCEDURE/FALL BACK anbringes i rubrik A")
    return None


def export_office_or_authorised_exporter_signs(d: ExportPaper) -> Result:
    """Seed 002: the office's stamp and signature in box D; an authorised exporter signs and stamps box C."""
    if d.authorised_exporter:
        if not (d.exporter_signed and d.box_c_exporter_stamp):
            return fallback_problem("export_authorised_exporter", "/boxC", "the authorised exporter signs and puts "
                                    "its approved exporter stamp in box C", "den godkendte eksportør underskriver og "
                                    "påfører sit godkendte eksportørstempel i rubrik C")
        return None
    if not d.box_d_stamped_and_signed:
        return fallback_problem("export_box_d", "/boxD", "the office puts its stamp and signature in box D",
                                "toldstedet påfører toldstempel og underskrift i rubrik D")
    return None


def export_print_copy_kept(d: ExportPaper) -> Result:
    """Seed 002 "Brug af udskrift fra e-Export": a copy of the print is taken for the follow-up."""
    if d.document == ExportDocument.ECS_PRINT and not d.copy_kept_for_follow_up:
        return fallback_problem("export_print_copy", "/copyKept", "take a copy of the e-Export print for the "
                                "follow-up", "tag kopi af udskriften fra e-Export til opfølgningen")
    return None


RULES: tuple[ExportRule, ...] = (export_copies_2_and_3, export_special_number_in_box_a, export_stamp_in_box_a,
                                 export_office_or_authorised_exporter_signs, export_print_copy_kept)


def check_export_paper(d: ExportPaper) -> list[Problem]:
    """Every export fallback rule at the office of export."""
    return [p for rule in RULES for p in as_list(rule(d))]


def copy_2_due(d: ExportPaper) -> datetime:
    """Seed 002: copy 2 reaches the office of export "senest 1 uge efter": by the end of the Danish day a week on."""
    day = d.started_at.astimezone(COPENHAGEN).date() + COPY_2_WITHIN
    return datetime.combine(day + timedelta(days=1), time(0), COPENHAGEN)


def copy_2_overdue(d: ExportPaper, at: datetime) -> Result:
    """Seed 002: copy 2 not received a week after fallback began is overdue (a work item for the office)."""
    if d.copy_2_received_at is None and at >= copy_2_due(d):
        return fallback_problem("export_copy_2_overdue", "/copy2ReceivedAt", "copy 2 has not reached the office of "
                                "export within one week", "eksemplar 2 er ikke indsendt til udførselstoldstedet "
                                "senest 1 uge efter")
    return None


class Action(StrEnum):
    """A step of the follow-up."""

    SUBSEQUENT_DECLARATION = "subsequent_declaration"  # key in as declaration type 28
    ARRIVAL_NOTIFICATION = "arrival_notification"  # ankomstmeddelelse
    EXIT_CERTIFICATE = "exit_certificate"  # udpassageattest
    CORRECTION = "correction"  # rettelse


@dataclass(frozen=True, slots=True)
class Step:
    """One follow-up step: what, in which field, with which exact remark."""

    action: Action
    field: str
    remark: str


def export_follow_up(d: ExportPaper) -> tuple[Step, ...]:
    """Seed 002 "Opfølgning på angivelser startet i nødprocedure": not registered → type 28 with the fallback remark
    in box 44.6, then closed; registered with an MRN → closed by arrival ("exited af udf.toldstedet pga nødp." in
    its location) and exit certificate; registered without an MRN → correction with "ingen MRN pga af nødp" in 44.6."""
    close = (Step(Action.ARRIVAL_NOTIFICATION, "location", EXITED_REMARK), Step(Action.EXIT_CERTIFICATE, "", ""))
    if not d.registered_in_ecs:
        return (Step(Action.SUBSEQUENT_DECLARATION, "44.6", FALLBACK_REMARK), *close)
    if d.mrn:
        return close
    return (Step(Action.CORRECTION, "44.6", NO_MRN_REMARK),)


@dataclass(frozen=True, slots=True)
class ExitPaper:
    """At the office of exit: the export accompanying document (EAD) handed in under fallback."""

    ead_handed_in: bool
    box_k_storage_place: str


def exit_ead_names_storage_place(d: ExitPaper) -> Result:
    """Seed 002 "Nødprocedure ved udgangstoldstedet": the EAD is handed in with where the goods are in box K."""
    if not d.ead_handed_in or not d.box_k_storage_place.strip():
        return fallback_problem("exit_box_k", "/boxK", "hand in the EAD with where the goods are stored in box K",
                                "eksportledsagedokumentet afleveres med oplysning om, hvor varerne opbevares, "
                                "i rubrik K")
    return None
