"""The import fallback (seed 002 "Import"; SPEC F): the SAD's copies 6, 7 and 8, the office's checks, the manual
duty calculation, copy 7 to the representative, and keying the declaration in as soon as possible."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from toldsystem.core.errors import Problem
from toldsystem.core.money import Money
from toldsystem.fallback.rules.facts import Result, as_list, fallback_problem

IMPORT_COPIES = frozenset({6, 7, 8})


class Clearance(StrEnum):
    """The clearance the SAD asks for ("udfyldt i overensstemmelse med den ønskede procedure")."""

    FULL_EXPRESS = "full_express"  # Fuldstændig Ekspres Angivelse
    SIMPLIFIED_EXPRESS = "simplified_express"
    STANDARD = "standard"  # Standard Fortoldning
    OTHER = "other"


MANUAL_DUTIES = frozenset({Clearance.FULL_EXPRESS, Clearance.STANDARD})


@dataclass(frozen=True, slots=True)
class ImportPaper:
    """An import declaration on the SAD at the customs office under fallback, as the office handles it."""

    clearance: Clearance
    copies: frozenset[int]
    importer_registered: bool | None  # None: not yet checked
    has_credit: bool | None
    manual_duties: tuple[Money, ...] = ()  # told og afgifter calculated by hand and written on the SAD
    released_at: datetime | None = None
    copy_7_to: str = ""  # the representative (or company) copy 7 was handed to
    keyed_in_at: datetime | None = None  # when keyed into the import system


ImportRule = Callable[[ImportPaper], Result]


def import_sad_copies_6_7_8(d: ImportPaper) -> Result:
    """Seed 002 "Import": "Ved papirproceduren anvendes Enhedsdokumentets eksemplar 6 og 7 og 8"."""
    if d.copies != IMPORT_COPIES:
        return fallback_problem("import_copies", "/copies", "the import fallback uses copies 6, 7 and 8 of the SAD",
                                "nødproceduren for import anvender enhedsdokumentets eksemplar 6, 7 og 8")
    return None


def import_office_checks_registration_and_credit(d: ImportPaper) -> Result:
    """Seed 002 "Import": the office checks "om virksomheden er importørregistreret og om virksomheden har kredit"."""
    found: list[Problem] = []
    if d.importer_registered is not True:
        found.append(fallback_problem("import_registration", "/importerRegistered", "the importer is not (yet "
                                      "checked to be) registered as importer", "virksomheden er ikke (kontrolleret) "
                                      "importørregistreret"))
    if d.has_credit is not True:
        found.append(fallback_problem("import_credit", "/hasCredit", "the company's credit is not (yet checked to "
                                      "be) in place", "virksomhedens kredit er ikke (kontrolleret) i orden"))
    return found


def import_manual_duty_calculation(d: ImportPaper) -> Result:
    """Seed 002 "Import": for full express and standard, duties and taxes are calculated by hand onto the SAD."""
    if d.clearance in MANUAL_DUTIES and not d.manual_duties:
        return fallback_problem("import_manual_duties", "/manualDuties", "full express and standard clearances get "
                                "the duties calculated by hand on the SAD", "ved fuldstændig ekspres og standard "
                                "fortoldning beregnes told og afgifter manuelt og påføres enhedsdokumentet")
    return None


def import_copy_7_to_the_representative(d: ImportPaper) -> Result:
    """Seed 002 "Import": once released, "Eksemplar 7 udleveres til repræsentanten/virksomheden"."""
    if d.released_at is not None and not d.copy_7_to.strip():
        return fallback_problem("import_copy_7", "/copy7To", "record who received copy 7 at release",
                                "angiv, hvem eksemplar 7 er udleveret til ved frigivelsen")
    return None


RULES: tuple[ImportRule, ...] = (import_sad_copies_6_7_8, import_office_checks_registration_and_credit,
                                 import_manual_duty_calculation, import_copy_7_to_the_representative)


def check_import_paper(d: ImportPaper) -> list[Problem]:
    """Every import fallback rule of a paper declaration."""
    return [p for rule in RULES for p in as_list(rule(d))]


def may_release_import_paper(d: ImportPaper) -> bool:
    """Seed 002 "Import": the goods are released once the SAD is in order, checked, and duties calculated."""
    return not (as_list(import_sad_copies_6_7_8(d)) + as_list(import_office_checks_registration_and_credit(d))
                + as_list(import_manual_duty_calculation(d)))


def import_keyed_in_as_soon_as_possible(d: ImportPaper, back_at: datetime | None, at: datetime) -> Result:
    """Seed 002 "Import": "Angivelsen indtastes i Importsystemet så snart det er muligt": once back, it is due."""
    if back_at is not None and back_at <= at and d.keyed_in_at is None:
        return fallback_problem("import_key_in", "/keyedInAt", "the import system is back: key the declaration in "
                                "now", "importsystemet er i drift igen: indtast angivelsen nu")
    return None
