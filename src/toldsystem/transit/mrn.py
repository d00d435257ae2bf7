"""MRN allocation for a transit declaration (SPEC T, seed 003 box 00), on top of core.identifiers.make_mrn."""

from __future__ import annotations

import hashlib

from toldsystem.core.identifiers import make_mrn

# Phase 5 security indicator -> MRN procedure letter: J none, L entry (ENS), K exit (EXS), M both.
PROCEDURE_LETTER_BY_SECURITY = {"0": "J", "1": "L", "2": "K", "3": "M"}

_HALF = 36**3  # the 6-character serial is two halves of three base-36 characters
_ROUNDS = 4


def procedure_letter(security: str | None) -> str:
    """The MRN's procedure letter for the declared safety-and-security indicator (J when none)."""
    return PROCEDURE_LETTER_BY_SECURITY.get(security or "0", "J")


def drawn_serial(count: int, key: bytes | None) -> int:
    """The count-th serial of an office-year, through a keyed permutation of all 36**6 serials.

    Unique as the count is (a Feistel network is a bijection), yet an MRN tells nothing of the
    office's other MRNs: knowing or guessing one is no way to another's movement (docs/security.md).
    Without a key (office-years begun before migration 0009) the serial is the count itself.
    """
    if key is None:
        return count
    left, right = divmod(count, _HALF)
    for round_number in range(_ROUNDS):
        digest = hashlib.blake2b(b"%d:%d" % (round_number, right), key=key, digest_size=8).digest()  # keyed hash
        left, right = right, (left + int.from_bytes(digest, "big")) % _HALF
    return left * _HALF + right


def mrn_for(office_of_departure: str, year: int, serial: int, security: str | None) -> str:
    """MRN: year, the departure office's country and 6-digit code, serial, procedure letter, check digit."""
    return make_mrn(year, office_of_departure[:2], office_of_departure[2:], serial, procedure_letter(security))
