"""The board's facts as the fallback rules read them (seed 002 "Generelt": outages, planned downtime and the end of
fallback are announced on "Toldsystemets rullemenu"; seed 001, SPEC O). A board message (operations/rules.py's
pure Message, never the service) becomes one Outage per system it concerns; a system maps to the procedures
whose fallback it governs."""

from __future__ import annotations

from datetime import datetime

from toldsystem.fallback.rules.model import Outage, Procedure
from toldsystem.operations.rules import BACK_TO_NORMAL, DISRUPTION, ENDED, SERVICE_WINDOW, Message

# Which procedures' fallback each board system governs (operations/systems.py codes; classic and DMS alike).
PROCEDURES_OF_SYSTEM: dict[str, frozenset[Procedure]] = {
    "dms_import": frozenset({Procedure.IMPORT}), "import": frozenset({Procedure.IMPORT}),
    "dms_export": frozenset({Procedure.EXPORT, Procedure.EXPORT_EXIT}),
    "export": frozenset({Procedure.EXPORT, Procedure.EXPORT_EXIT}),
    "dms_transit": frozenset({Procedure.NCTS, Procedure.TIR}), "transit": frozenset({Procedure.NCTS, Procedure.TIR}),
    "manifest": frozenset({Procedure.MANIFEST_ARRIVAL, Procedure.MANIFEST_DEPARTURE, Procedure.MANIFEST_STORAGE}),
}


def outages_from_message(message: Message, back_at: datetime | None = None) -> tuple[Outage, ...]:
    """A service window or disruption as the outage of each system it concerns: planned when a service window,
    announced when created, expected to end at the window's end, back when the message ended (or `back_at`, a
    later "back to normal" message). Other kinds of message are no outage."""
    if message.kind not in (SERVICE_WINDOW, DISRUPTION):
        return ()
    started = message.window_start or message.created
    ended = message.ended_at if message.status == ENDED else None
    back = min((t for t in (ended, back_at) if t is not None), default=None)
    return tuple(Outage(system, started, expected_end=message.window_end, planned=message.kind == SERVICE_WINDOW,
                        announced_at=message.created, back_at=back, board_fallback=message.fallback)
                 for system in message.systems)


def back_to_normal_at(message: Message) -> datetime | None:
    """Seed 002 "Når systemet(erne) er i drift igen, meddeles dette": a "back to normal" message's instant."""
    return message.created if message.kind == BACK_TO_NORMAL else None
