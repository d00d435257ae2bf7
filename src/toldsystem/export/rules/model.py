"""What the export rules read: a small typed export declaration, its states, and a Manifest departure.

Not the DEC-DMS message: export/messages reads the XML; whoever stores a declaration builds this from
it. Times are aware UTC; offices are customs office codes (DK003102); MRNs are 18 characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeclarationKind(StrEnum):
    """Which export declaration it is, by its additional declaration type (UCC art. 162-167; SPEC E)."""

    STANDARD = "standard"  # A
    PRE_LODGED_STANDARD = "pre_lodged_standard"  # D: lodged before the goods are presented
    SIMPLIFIED = "simplified"  # B (occasional) or C (regular use, authorised)
    PRE_LODGED_SIMPLIFIED = "pre_lodged_simplified"  # E or F
    SUPPLEMENTARY = "supplementary"  # X (to B/E), Y (to C/F), Z (to an entry in the declarant's records)


class Status(StrEnum):
    """Where an export declaration is (SPEC E: MRN, presented at exit, arrival at exit, exit confirmation)."""

    PRE_LODGED = "pre_lodged"  # lodged, waiting for the goods to be presented at the office of export
    ACCEPTED = "accepted"  # accepted: the MRN is allocated
    UNDER_CONTROL = "under_control"  # selected for control before release
    RELEASED = "released"  # released for export
    PRESENTED_AT_EXIT = "presented_at_exit"  # the goods are presented at the office of exit
    ARRIVED_AT_EXIT = "arrived_at_exit"  # the arrival at exit is registered (ankomstmeddelelse)
    EXITED = "exited"  # the exit is confirmed (udpassageattest)
    INVALIDATED = "invalidated"


class Event(StrEnum):
    """What can happen to an export declaration."""

    GOODS_PRESENTED = "goods_presented"  # at the office of export: a pre-lodged declaration is accepted
    RELEASE = "release"  # released for export (also: the control is over and found in order)
    SELECT_FOR_CONTROL = "select_for_control"
    PRESENT_AT_EXIT = "present_at_exit"
    ARRIVE_AT_EXIT = "arrive_at_exit"
    CONFIRM_EXIT = "confirm_exit"
    INVALIDATE = "invalidate"
    AMEND = "amend"  # an amendment before release
    CORRECT = "correct"  # a correction after release (e.g. the office's fallback remark, seed 002)


@dataclass(frozen=True, slots=True)
class ExportDeclaration:
    """An export declaration as the rules see it.

    `started_under_fallback` is true when it began on paper under the fallback procedure (seed 002,
    "Eksport": the SAD with the stamp "ECS NØDPROCEDURE/FALL BACK"); `mrn` is None until one is given."""

    lrn: str
    mrn: str | None
    kind: DeclarationKind
    status: Status
    exit_office: str
    started_under_fallback: bool = False


@dataclass(frozen=True, slots=True)
class DepartureConsignment:
    """One consignment a Manifest departure names: by the export MRN, or by the exemption code."""

    sequence: int
    reference: str


@dataclass(frozen=True, slots=True)
class Departure:
    """A Manifest departure declaration (seed 002, "Afgang"): where and when the means of transport left."""

    reference: str
    office: str  # the office where the goods left the Union: the actual office of exit
    departed_at: datetime
    consignments: tuple[DepartureConsignment, ...]


@dataclass(frozen=True, slots=True)
class ExitEvent:
    """The exit confirmation to insert into an export declaration."""

    mrn: str
    at: datetime
    exit_office: str
    departure: str
