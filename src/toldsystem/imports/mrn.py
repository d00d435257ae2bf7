"""MRN of an import declaration: the EU structure (UCC IA Annex B, title II, "MRN") with procedure letter R.

Year, country and the office's 6 digits, a 6-character serial drawn through the office-year's keyed permutation
(transit/mrn.drawn_serial, so one MRN tells nothing of another), the procedure letter and the ISO 6346 check
digit (core.identifiers.check_character), as transit's MRNs are built.
"""

from __future__ import annotations

import re
import string

from toldsystem.core.identifiers import check_character
from toldsystem.transit.mrn import drawn_serial

# UCC IA Annex B: R "import declaration only" (transit's letters are J, K, L, M).
IMPORT_LETTER = "R"
MRN_PATTERN = re.compile(r"^[0-9]{2}[A-Z]{2}[A-Z0-9]{13}[0-9]$")
_DIGITS = string.digits + string.ascii_uppercase


def _base36(number: int, width: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = _DIGITS[rest] + out
    return out.rjust(width, "0")


def import_mrn(office: str, year: int, count: int, key: bytes) -> str:
    """The MRN of the office-year's count-th import declaration."""
    if not re.fullmatch(r"[A-Z]{2}[0-9]{6}", office):
        raise ValueError(f"office {office!r} is not a customs office reference (DK003102)")
    body = f"{year % 100:02d}{office}{_base36(drawn_serial(count, key), 6)}{IMPORT_LETTER}"
    return body + check_character(body)


def is_import_mrn(mrn: str) -> bool:
    """18 characters, procedure letter R, a correct check digit."""
    return bool(MRN_PATTERN.fullmatch(mrn)) and mrn[16] == IMPORT_LETTER and check_character(mrn[:17]) == mrn[17]
