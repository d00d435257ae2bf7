"""The separate numbering series of fallback declarations (seed 002 "EU-Forsendelse": box C "ved hjælp af et andet
nummereringssystem end det, der anvendes i edb-systemet"; "Eksport": "registreres med nummeratør i en særlig
nummerrække. Nummeret anbringes i rubrik A").

The seed asks for a series of its own; its rules here (our design, docs/fallback-rules.md):
1. one series per kind (NCTS box C: T, export box A: E) per customs office per calendar year (Danish time),
   restarting at 1 each year: `<office>-NP<kind>-<yy>-<nnnnnn>`, e.g. DK003102-NPT-26-000001;
2. numbers are issued one after the other from the last issued: never reused, no gaps, never out of order;
3. a number cannot be taken for an MRN (an MRN is 18 letters and digits; these carry hyphens and NP);
4. at most 999 999 per office, kind and year; past that the series is exhausted and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from toldsystem.core.clock import COPENHAGEN
from toldsystem.core.errors import Problem
from toldsystem.core.identifiers import is_valid_office_code
from toldsystem.fallback.rules.facts import fallback_problem

SERIES_MAX = 999_999
NUMBER_PATTERN = re.compile(r"^([A-Z]{2}[A-Z0-9]{6})-NP([TE])-(\d{2})-(\d{6})$")


class SeriesKind(StrEnum):
    """Which paper declarations the series numbers."""

    NCTS_BOX_C = "T"  # transit declarations under fallback, box C
    EXPORT_BOX_A = "E"  # export declarations under fallback, box A with the ECS stamp


@dataclass(frozen=True, slots=True)
class SeriesState:
    """A series as it stands: its kind, office, year and the last sequence issued (0: none yet)."""

    kind: SeriesKind
    office: str
    year: int
    last: int = 0


@dataclass(frozen=True, slots=True)
class SeriesNumber:
    """A number read back: its kind, office, two-digit year and sequence."""

    kind: SeriesKind
    office: str
    year: int  # two digits
    sequence: int


class SeriesExhausted(Exception):
    """The series of that office, kind and year has issued its 999 999 numbers."""


def format_number(kind: SeriesKind, office: str, year: int, sequence: int) -> str:
    """Rule 1: `<office>-NP<kind>-<yy>-<nnnnnn>`."""
    return f"{office}-NP{kind.value}-{year % 100:02d}-{sequence:06d}"


def open_series(kind: SeriesKind, office: str, at: datetime) -> SeriesState:
    """Rule 1: a new series for the office and the Danish calendar year of `at`."""
    if not is_valid_office_code(office):
        raise ValueError(f"{office!r} is not a customs office code")
    return SeriesState(kind, office, at.astimezone(COPENHAGEN).year)


def issue(state: SeriesState, at: datetime) -> tuple[str, SeriesState]:
    """Rules 1, 2 and 4: the next number and the series after it; a new Danish year starts again at 1."""
    year = at.astimezone(COPENHAGEN).year
    if year < state.year:
        raise ValueError("a series does not issue numbers for an earlier year")
    current = state if year == state.year else replace(state, year=year, last=0)
    if current.last >= SERIES_MAX:
        raise SeriesExhausted(f"the {current.kind.name} series of {current.office} for {year} is exhausted")
    following = replace(current, last=current.last + 1)
    return format_number(following.kind, following.office, following.year, following.last), following


def read_number(text: str) -> SeriesNumber | None:
    """A series number read back, or None when the text is not one."""
    found = NUMBER_PATTERN.fullmatch(text.strip())
    if found is None or int(found.group(4)) == 0:
        return None
    return SeriesNumber(SeriesKind(found.group(2)), found.group(1), int(found.group(3)), int(found.group(4)))


def number_problem(text: str, kind: SeriesKind, pointer: str) -> Problem | None:
    """Rules 1 and 3: the box holds a number of the fallback series of that kind (never an MRN)."""
    number = read_number(text)
    if number is None or number.kind != kind:
        return fallback_problem("series_number", pointer, f"{text or 'nothing'} is not a number of the fallback "
                                f"series (e.g. {format_number(kind, 'DK003102', 2026, 1)})",
                                f"{text or 'intet'} er ikke et nummer i nødprocedurens nummerrække "
                                f"(fx {format_number(kind, 'DK003102', 2026, 1)})")
    return None


def issued_in_order(numbers: list[str]) -> bool:
    """Rule 2: numbers of one series, as issued, ascend by one from 1 within each year."""
    expected: dict[tuple[str, str, int], int] = {}
    for text in numbers:
        n = read_number(text)
        if n is None:
            return False
        key = (n.kind.value, n.office, n.year)
        if n.sequence != expected.get(key, 0) + 1:
            return False
        expected[key] = n.sequence
    return True
