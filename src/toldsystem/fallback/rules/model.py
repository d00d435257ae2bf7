"""What the fallback rules read (seed 002 "Generelt" and per procedure; SPEC F): causes, procedures,
permissions and the outage an officer assesses. Times are aware UTC; companies are EORIs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Cause(StrEnum):
    """Why the electronic procedure cannot be used (seed 002, under each procedure)."""

    AGENCY_SYSTEM = "agency_system"  # SKAT's system is down (Importsystemet, transitsystemet, e-Export, Manifest)
    TRADER_SYSTEM = "trader_system"  # the company's own system is down
    NETWORK = "network"  # the connection between the company and SKAT is down
    NO_MRN = "no_mrn"  # export only: "udførselsangivelserne tildeles ikke MRN"
    TIR_CARNET_SYSTEM = "tir_carnet_system"  # TIR only: the system for lodging TIR carnet data is down


class Procedure(StrEnum):
    """The procedures seed 002 has a fallback for."""

    IMPORT = "import"
    NCTS = "ncts"  # EU-Forsendelse
    TIR = "tir"
    EXPORT = "export"  # at the office of export (udførselstoldstedet)
    EXPORT_EXIT = "export_exit"  # at the office of exit (udgangstoldstedet)
    MANIFEST_ARRIVAL = "manifest_arrival"
    MANIFEST_DEPARTURE = "manifest_departure"
    MANIFEST_STORAGE = "manifest_storage"  # MIO


# Seed 002: the causes each procedure's fallback may rest on.
CAUSES: dict[Procedure, frozenset[Cause]] = {
    Procedure.IMPORT: frozenset({Cause.AGENCY_SYSTEM, Cause.TRADER_SYSTEM, Cause.NETWORK}),
    Procedure.NCTS: frozenset({Cause.AGENCY_SYSTEM, Cause.TRADER_SYSTEM, Cause.NETWORK}),
    Procedure.TIR: frozenset({Cause.AGENCY_SYSTEM, Cause.TIR_CARNET_SYSTEM}),
    Procedure.EXPORT: frozenset({Cause.AGENCY_SYSTEM, Cause.NO_MRN, Cause.TRADER_SYSTEM, Cause.NETWORK}),
    Procedure.EXPORT_EXIT: frozenset({Cause.AGENCY_SYSTEM, Cause.TRADER_SYSTEM, Cause.NETWORK}),
    Procedure.MANIFEST_ARRIVAL: frozenset({Cause.AGENCY_SYSTEM, Cause.TRADER_SYSTEM, Cause.NETWORK}),
    Procedure.MANIFEST_DEPARTURE: frozenset({Cause.AGENCY_SYSTEM, Cause.TRADER_SYSTEM, Cause.NETWORK}),
    Procedure.MANIFEST_STORAGE: frozenset({Cause.AGENCY_SYSTEM, Cause.TRADER_SYSTEM, Cause.NETWORK}),
}


class Channel(StrEnum):
    """How a permission reached the company (seed 002 "Generelt": mail/fax, by phone if neither works, or the
    board — "Toldsystemets rullemenu" — for a general one)."""

    MAIL = "mail"
    FAX = "fax"
    PHONE = "phone"
    BOARD = "board"


class Scope(StrEnum):
    """A permission for one company, or a general one for everyone using the procedures it names."""

    COMPANY = "company"
    GENERAL = "general"


@dataclass(frozen=True, slots=True)
class Permission:
    """A recorded decision on fallback: granted or refused, for which procedures, cause, period and conditions.

    Company: asked of the service desk, answered by mail/fax (phone only when those fail: `mail_impossible`).
    General: published on the board (`board_message`), and so is its end (`ended_at`, `end_message`)."""

    scope: Scope
    procedures: frozenset[Procedure]
    cause: Cause
    granted: bool
    decided_by: str  # the officer at the service desk
    decided_at: datetime
    valid_from: datetime
    valid_until: datetime | None  # a company permission states how long; a general one may end when announced
    channel: Channel
    company: str = ""  # EORI, for a company permission
    conditions: tuple[str, ...] = ()  # særlige betingelser
    mail_impossible: bool = False  # why the answer went by phone
    board_message: int | None = None  # the board message that published a general permission
    ended_at: datetime | None = None
    end_message: int | None = None  # the board message that published its end

    def __post_init__(self) -> None:
        for name in ("decided_at", "valid_from", "valid_until", "ended_at"):
            instant = getattr(self, name)
            if instant is not None and instant.tzinfo is None:
                raise ValueError(f"Permission.{name} must be an aware datetime (UTC)")

    def in_force(self, at: datetime) -> bool:
        """Granted, begun, not past its validity, not ended."""
        return (self.granted and self.valid_from <= at and (self.valid_until is None or at < self.valid_until)
                and (self.ended_at is None or at < self.ended_at))


@dataclass(frozen=True, slots=True)
class Outage:
    """The facts of an outage the officer weighs: when it began, its expected end, whether planned and announced
    in advance on the board, and when the system was announced back (the board's service window or disruption)."""

    system: str
    started_at: datetime
    expected_end: datetime | None = None
    planned: bool = False
    announced_at: datetime | None = None
    back_at: datetime | None = None  # "Når systemet(erne) er i drift igen, meddeles dette"
    board_fallback: str | None = None  # what the board's message says: "allowed", "on_request", "not_allowed"
