"""Identifiers and their check digits: MRN, GRN, LRN, EORI/CVR, customs-office codes.

The check digit follows the ISO 6346 method that NCTS phase 5 prescribes for MRN and GRN.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

from stdnum.dk import cvr as _cvr
from stdnum.exceptions import ValidationError as _StdnumError

# ISO 6346: letters start at 10 and skip multiples of 11 (11, 22, 33).
_LETTER_VALUES: dict[str, int] = {}
_value = 10
for _letter in string.ascii_uppercase:
    if _value % 11 == 0:
        _value += 1
    _LETTER_VALUES[_letter] = _value
    _value += 1


_CHARACTER_VALUES = {**{digit: int(digit) for digit in string.digits}, **_LETTER_VALUES}


def check_character(body: str) -> str:
    """ISO 6346 check digit of `body` (digits and upper-case letters), as NCTS phase 5 uses."""
    try:
        total = sum(_CHARACTER_VALUES[char] << position for position, char in enumerate(body))
    except KeyError as unknown:
        raise ValueError(f"character {unknown.args[0]!r} cannot carry an ISO 6346 check digit") from None
    return str(total % 11 % 10)


def has_valid_check_character(identifier: str) -> bool:
    """True when the last character is the ISO 6346 check digit of the rest."""
    if len(identifier) < 2:
        return False
    try:
        return check_character(identifier[:-1]) == identifier[-1]
    except ValueError:
        return False


# --- MRN (box 00, seed 003; NCTS phase 5 structure; the EU MRN of UCC Annex B, title II) -------------

# The 17th character of an EU MRN says which procedure the number belongs to (Delegated Regulation (EU)
# 2015/2446, Annex B, title II, the MRN's procedure identifier). Each system allocates its own letters.
TRANSIT_PROCEDURE_LETTERS = {"J": "transit only", "K": "transit with exit summary data",
                             "L": "transit with entry summary data", "M": "transit with exit and entry summary data"}
EXPORT_PROCEDURE_LETTERS = {"A": "export only", "B": "export and exit summary declaration",
                            "C": "exit summary declaration only", "D": "re-export notification",
                            "E": "dispatch of goods in relation with special fiscal territories"}
IMPORT_PROCEDURE_LETTERS = {"R": "import declaration only", "S": "import declaration and entry summary declaration",
                            "T": "entry summary declaration only", "U": "temporary storage declaration",
                            "V": "introduction of goods in relation with special fiscal territories",
                            "W": "temporary storage declaration and entry summary declaration",
                            "X": "introduction of goods in relation with special fiscal territories and entry "
                                 "summary declaration"}
UNION_STATUS_PROCEDURE_LETTERS = {"P": "proof of the customs status of Union goods, or customs goods manifest"}
PROCEDURE_LETTERS = {**EXPORT_PROCEDURE_LETTERS, **TRANSIT_PROCEDURE_LETTERS, **UNION_STATUS_PROCEDURE_LETTERS,
                     **IMPORT_PROCEDURE_LETTERS}
MRN_PATTERN = re.compile(rf"^[0-9]{{2}}[A-Z]{{2}}[A-Z0-9]{{12}}[{''.join(sorted(PROCEDURE_LETTERS))}][0-9]$")


def make_mrn(year: int, country: str, office_digits: str, serial: int, procedure: str = "J") -> str:
    """MRN: year, country, office code + 6-character serial, procedure letter (any of PROCEDURE_LETTERS; transit
    J by default), check digit (box 00)."""
    if procedure not in PROCEDURE_LETTERS:
        raise ValueError(f"unknown MRN procedure letter {procedure!r}")
    if not re.fullmatch(r"[0-9]{6}", office_digits):
        raise ValueError("office code part of an MRN must be 6 digits")
    if not 0 <= serial < 36**6:
        raise ValueError("MRN serial out of range")
    body = f"{year % 100:02d}{country}{office_digits}{_base36(serial, 6)}{procedure}"
    return body + check_character(body)


def is_valid_mrn(mrn: str) -> bool:
    """18 characters in phase 5 structure, a procedure letter of the EU MRN table and a correct check digit."""
    return bool(MRN_PATTERN.fullmatch(mrn)) and has_valid_check_character(mrn)


# --- GRN (box 52, seed 003; NCTS phase 5 structure) --------------------------------------

GRN_PATTERN = re.compile(r"^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[0-9]$")
VOUCHER_GRN_PATTERN = re.compile(r"^[0-9]{2}[A-Z]{2}[A-Z0-9]{12}[0-9][A-Z][0-9]{6}$")


def make_grn(year: int, country: str, unique: str) -> str:
    """GRN of 17: year, country of the office of guarantee, 12-character unique part, check digit."""
    if not re.fullmatch(r"[A-Z0-9]{12}", unique):
        raise ValueError("GRN unique part must be 12 upper-case letters or digits")
    body = f"{year % 100:02d}{country}{unique}"
    return body + check_character(body)


def make_voucher_grn(base_grn: str, voucher_number: int) -> str:
    """GRN of 24 for a TC32 voucher: the batch's 17-character GRN, a letter and 6 digits."""
    if not is_valid_grn(base_grn):
        raise ValueError("voucher GRN needs a valid 17-character base GRN")
    if not 0 < voucher_number < 1_000_000:
        raise ValueError("voucher number must be 1..999999")
    return f"{base_grn}V{voucher_number:06d}"


@lru_cache(maxsize=4096)  # like EORIs, the same few guarantees recur declaration after declaration
def is_valid_grn(grn: str) -> bool:
    """A 17-character GRN (or a 24-character voucher GRN) whose check digit is right."""
    if VOUCHER_GRN_PATTERN.fullmatch(grn):
        return has_valid_check_character(grn[:17])
    return bool(GRN_PATTERN.fullmatch(grn)) and has_valid_check_character(grn)


# --- LRN (seed 003) ----------------------------------------------------------------------

LRN_PATTERN = re.compile(r"^[A-Za-z0-9\-_./]{1,22}$")


def is_valid_lrn(lrn: str) -> bool:
    """LRN: chosen by the trader, 1 to 22 characters (seed 003)."""
    return bool(LRN_PATTERN.fullmatch(lrn))


# --- EORI and CVR (seed 000) ---------------------------------------------------------------

EORI_PATTERN = re.compile(r"^[A-Z]{2}[A-Za-z0-9]{1,15}$")


def is_valid_cvr(cvr: str) -> bool:
    """A Danish CVR number: 8 digits with its modulus-11 check (seed 000)."""
    try:
        _cvr.validate(cvr)
    except _StdnumError:
        return False
    return True


@lru_cache(maxsize=4096)  # a pure check of the same few EORIs, declaration after declaration
def eori_problem(eori: str) -> str | None:
    """Why an EORI is malformed, or None. Danish EORI = DK + CVR with its check digit."""
    if not EORI_PATTERN.fullmatch(eori):
        return "an EORI is a 2-letter country code followed by up to 15 letters or digits"
    if eori.startswith("DK") and not is_valid_cvr(eori[2:]):
        return "a Danish EORI is DK followed by a valid 8-digit CVR number"
    return None


def normalise_eori(eori: str) -> str:
    """EORIs are compared without spaces and with an upper-case country prefix."""
    cleaned = eori.replace(" ", "").strip()
    return cleaned[:2].upper() + cleaned[2:]


# --- Customs offices ----------------------------------------------------------------------

OFFICE_PATTERN = re.compile(r"^[A-Z]{2}[A-Z0-9]{6}$")


def is_valid_office_code(code: str) -> bool:
    """Customs office reference number: country code + 6 characters, e.g. DK009264."""
    return bool(OFFICE_PATTERN.fullmatch(code))


def _base36(number: int, width: int) -> str:
    digits = string.digits + string.ascii_uppercase
    out = ""
    while number:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
    return out.rjust(width, "0")
