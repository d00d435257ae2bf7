"""MRN allocation for a transit declaration (SPEC T, seed 003 box 00), on top of core.identifiers.make_mrn."""

from __future__ import annotations

from toldsystem.core.identifiers import make_mrn

# Phase 5 security indicator -> MRN procedure letter: J none, L entry (ENS), K exit (EXS), M both.
PROCEDURE_LETTER_BY_SECURITY = {"0": "J", "1": "L", "2": "K", "3": "M"}


def procedure_letter(security: str | None) -> str:
    """The MRN's procedure letter for the declared safety-and-security indicator (J when none)."""
    return PROCEDURE_LETTER_BY_SECURITY.get(security or "0", "J")


def mrn_for(office_of_departure: str, year: int, serial: int, security: str | None) -> str:
    """MRN: year, the departure office's country and 6-digit code, serial, procedure letter, check digit."""
    return make_mrn(year, office_of_departure[:2], office_of_departure[2:], serial, procedure_letter(security))
