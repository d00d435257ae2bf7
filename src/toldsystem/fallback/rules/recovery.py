"""The recovery order once a system is back (seed 002 "Import": "indsætter virksomheden derfor først eventuelt
manglende ekspresfortoldninger i Importsystemet og derefter [ankomst]deklaration og -meddelelse i
Manifestsystemet"; "Eksport": "først ankomstmeddelelsen i e-Export og derefter afgangsdeklaration og
-meddelelse i Manifestsystemet"; SPEC F). Filed in that order, the actual arrival and the exit confirmation are
inserted automatically; a filing out of order is held with a clear message, not lost.

What waits for what: a company's Manifest arrival waits for that company's missing express clearances, its
Manifest departure for its missing arrival notifications (the seed orders a company's own filings; it names no
finer link). Each filing also waits for the systems it goes to to be back.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from toldsystem.core.identifiers import normalise_eori

IMPORT_SYSTEM, EXPORT_SYSTEM, MANIFEST_SYSTEM = "dms_import", "dms_export", "manifest"  # operations/systems.py codes


class Filing(StrEnum):
    """A recovery filing: what it is, in the order the seed gives."""

    EXPRESS_CLEARANCE = "express_clearance"  # a missing express clearance into the import system
    MANIFEST_ARRIVAL = "manifest_arrival"  # ankomstdeklaration og -meddelelse
    ARRIVAL_NOTIFICATION = "arrival_notification"  # ankomstmeddelelse into e-Export
    MANIFEST_DEPARTURE = "manifest_departure"  # afgangsdeklaration og -meddelelse


# What each filing waits for, and the systems it needs.
COMES_AFTER: dict[Filing, Filing | None] = {
    Filing.EXPRESS_CLEARANCE: None, Filing.MANIFEST_ARRIVAL: Filing.EXPRESS_CLEARANCE,
    Filing.ARRIVAL_NOTIFICATION: None, Filing.MANIFEST_DEPARTURE: Filing.ARRIVAL_NOTIFICATION}
NEEDS: dict[Filing, frozenset[str]] = {
    Filing.EXPRESS_CLEARANCE: frozenset({IMPORT_SYSTEM}),
    Filing.MANIFEST_ARRIVAL: frozenset({IMPORT_SYSTEM, MANIFEST_SYSTEM}),
    Filing.ARRIVAL_NOTIFICATION: frozenset({EXPORT_SYSTEM}),
    Filing.MANIFEST_DEPARTURE: frozenset({EXPORT_SYSTEM, MANIFEST_SYSTEM})}
_TEXT = {
    Filing.EXPRESS_CLEARANCE: ("express clearance", "ekspresfortoldning"),
    Filing.MANIFEST_ARRIVAL: ("Manifest arrival", "ankomst i Manifest"),
    Filing.ARRIVAL_NOTIFICATION: ("arrival notification", "ankomstmeddelelse"),
    Filing.MANIFEST_DEPARTURE: ("Manifest departure", "afgang i Manifest"),
}


@dataclass(frozen=True, slots=True)
class RecoveryItem:
    """One filing to be made after the outage: what, its reference (LRN or MRN), the company that files it."""

    filing: Filing
    reference: str
    company: str


@dataclass(frozen=True, slots=True)
class RecoveryVerdict:
    """May the item be filed now; if not, what it waits for (references or systems), and why."""

    item: RecoveryItem
    may_file_now: bool
    waits_for: tuple[str, ...]
    en: str
    da: str


def _held_for_order(item: RecoveryItem, before: Filing, blocking: tuple[str, ...]) -> RecoveryVerdict:
    first, then = _TEXT[before], _TEXT[item.filing]
    shown = ", ".join(blocking[:5]) + (f" and {len(blocking) - 5} more" if len(blocking) > 5 else "")
    vist = ", ".join(blocking[:5]) + (f" og {len(blocking) - 5} flere" if len(blocking) > 5 else "")
    return RecoveryVerdict(item, False, blocking, f"held: file the missing {first[0]}s first ({shown}); the "
                           f"{then[0]} is filed after them", f"afventer: indsend først de manglende "
                           f"{first[1]}er ({vist}); {then[1]} indsendes derefter")


def _systems_down(item: RecoveryItem, systems_up: Collection[str]) -> RecoveryVerdict | None:
    down = sorted(NEEDS[item.filing] - set(systems_up))
    if not down:
        return None
    return RecoveryVerdict(item, False, tuple(down), f"held: {', '.join(down)} is not back yet",
                           f"afventer: {', '.join(down)} er ikke i drift igen")


FILE_NOW = ("may be filed now", "kan indsendes nu")


def recovery_verdict(item: RecoveryItem, pending: Iterable[RecoveryItem], systems_up: Collection[str]
                     ) -> RecoveryVerdict:
    """Seed 002 "Import"/"Eksport": the item may be filed once its systems are back and none of the same company's
    filings it must follow is still pending; otherwise it is held, saying what it waits for."""
    down = _systems_down(item, systems_up)
    if down is not None:
        return down
    before = COMES_AFTER[item.filing]
    company = normalise_eori(item.company)
    blocking = tuple(sorted(p.reference for p in pending
                            if before is not None and p.filing == before and normalise_eori(p.company) == company))
    if before is not None and blocking:
        return _held_for_order(item, before, blocking)
    return RecoveryVerdict(item, True, (), *FILE_NOW)


@dataclass(frozen=True, slots=True)
class RecoveryPlan:
    """The pending filings split into those that may be filed now and those held (with their verdicts)."""

    now: tuple[RecoveryItem, ...]
    held: tuple[RecoveryVerdict, ...]


def recovery_plan(pending: Collection[RecoveryItem], systems_up: Collection[str]) -> RecoveryPlan:
    """Seed 002: of all pending filings, what may be filed now (in the seed's order) and what must wait. Each
    company's blocking references are gathered once, so a plan of n filings costs O(n log n)."""
    order = {filing: n for n, filing in enumerate(Filing)}
    by_key: dict[tuple[Filing, str], list[str]] = {}
    for p in pending:
        by_key.setdefault((p.filing, normalise_eori(p.company)), []).append(p.reference)
    blocking = {key: tuple(sorted(refs)) for key, refs in by_key.items()}
    ready: list[RecoveryItem] = []
    held: list[RecoveryVerdict] = []
    for item in sorted(pending, key=lambda i: (order[i.filing], i.company, i.reference)):
        down = _systems_down(item, systems_up)
        before = COMES_AFTER[item.filing]
        waits = blocking.get((before, normalise_eori(item.company)), ()) if before is not None else ()
        if down is not None:
            held.append(down)
        elif before is not None and waits:
            held.append(_held_for_order(item, before, waits))
        else:
            ready.append(item)
    return RecoveryPlan(tuple(ready), tuple(held))
