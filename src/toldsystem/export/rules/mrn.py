"""The export MRN: year, country, office, serial and check digit as transit's, with the export procedure letter.

The procedure letter is the 17th character of an EU MRN (the MRN structure of the EU customs IT guidance,
UCC Annex B title II): A export only; B export with exit summary data (safety and security); C exit
summary declaration only; D re-export notification; E dispatch of goods in relation with special fiscal
territories. A DMS export declaration (B1-B4, C1) is one of A, B or E.
"""

from __future__ import annotations

from toldsystem.core.errors import Problem, problem
from toldsystem.core.identifiers import EXPORT_PROCEDURE_LETTERS, is_valid_mrn, make_mrn
from toldsystem.transit.mrn import drawn_serial

EXPORT_ONLY = "A"
EXPORT_AND_EXIT_SUMMARY = "B"
EXIT_SUMMARY_ONLY = "C"
RE_EXPORT_NOTIFICATION = "D"
SPECIAL_FISCAL_TERRITORIES = "E"
EXPORT_CATEGORIES = ("B1", "B2", "B3", "B4", "C1")  # DMS Export declarations (ProcedureCategory)
FISCAL_TERRITORIES_CATEGORY = "B4"  # dispatch of goods in the context of trade with special fiscal territories


def export_mrn_procedure_letter(procedure_category: str, security: str | None) -> str | Problem:
    """The MRN procedure letter of an export declaration (EU MRN structure, 17th character): E for B4, else
    B when the declaration carries exit summary data (DMS SecurityCode 1), else A."""
    if procedure_category not in EXPORT_CATEGORIES:
        return problem("export.mrn.not_export", "/Declaration/ProcedureCategory",
                       f"{procedure_category!r} is not an export declaration ({', '.join(EXPORT_CATEGORIES)}).",
                       f"{procedure_category!r} er ikke en eksportangivelse ({', '.join(EXPORT_CATEGORIES)}).")
    if security not in ("0", "1", None):
        return problem("export.mrn.security", "/Declaration/SecurityCode",
                       f"The security indicator must be 0 or 1, not {security!r}.",
                       f"Sikkerhedsindikatoren skal være 0 eller 1, ikke {security!r}.")
    if procedure_category == FISCAL_TERRITORIES_CATEGORY:
        return SPECIAL_FISCAL_TERRITORIES
    return EXPORT_AND_EXIT_SUMMARY if security == "1" else EXPORT_ONLY


def export_mrn(office_of_export: str, year: int, count: int, key: bytes | None, letter: str) -> str:
    """The export MRN for the count-th declaration of an office-year: transit's drawn serial, the MRN layout
    and ISO 6346 check digit of core.identifiers, with the export procedure letter."""
    if letter not in EXPORT_PROCEDURE_LETTERS:
        raise ValueError(f"not an export MRN procedure letter: {letter!r}")
    return make_mrn(year, office_of_export[:2], office_of_export[2:], drawn_serial(count, key), letter)


def is_export_mrn(mrn: str) -> bool:
    """18 characters in the MRN layout with an export procedure letter and a correct check digit."""
    return is_valid_mrn(mrn) and mrn[16] in EXPORT_PROCEDURE_LETTERS
