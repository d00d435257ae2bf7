"""What the board says of the export intake (SPEC O: the board governs the channels), as transit's intake is
gated (transit/service/gate.py): "DMS Export", file access (system-to-system), production. Rejected: `Closed`
(503 with Retry-After), nothing received; queued: held in the shared durable intake queue (202) and processed
in arrival order after the window; available or degraded: received at once. What cannot be read, and
officers' messages, are answered at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.core.errors import Problem, ToldError, problem
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.operations.availability import QUEUED, REJECTED, Availability
from toldsystem.export.service.intake import receive
from toldsystem.export.service.reading_in import Reading, read_data, read_xml
from toldsystem.export.service.units import Outcome, recipient
from toldsystem.transit.service.gate import seconds_left as seconds_left_of  # the Retry-After of a window

SYSTEM, ENVIRONMENT, CHANNEL = "dms_export", "PRD", "file"  # the board's names (operations/systems.py)
SYSTEM_NAME = "DMS Export"
HANDLER = "export.message"


class Closed(ToldError):
    """The board rejects the channel now: nothing of the message is received (503)."""

    status = 503

    def __init__(self, availability: Availability):
        self.availability = availability
        super().__init__(closed_problem(availability))


@dataclass(frozen=True, slots=True)
class Queued:
    """A message the board queues: held, to be processed after the window."""

    held: intake.Held
    availability: Availability


def gate(at: datetime | None = None) -> Availability:
    """The board's answer for the export intake now (file access to DMS Export, PRD)."""
    return operations.availability(SYSTEM, ENVIRONMENT, CHANNEL, at)


def admit(party: Party, reading: Reading, submitted: bytes | dict, availability: Availability | None = None
          ) -> Outcome | Queued:
    """Take a message read before (`submitted` as it came) as the board says; asks it unless told."""
    availability = availability or gate()
    if availability.state == REJECTED:
        raise Closed(availability)
    if availability.state != QUEUED or reading.problems or party.is_officer:
        return receive(party, reading)
    form, payload = ("xml", submitted) if isinstance(submitted, bytes) else ("json", jsontext.dump_bytes(submitted))
    lrn = (reading.data or {}).get("FunctionalReferenceID")
    summary = {"form": form, "kind": reading.kind, "LRN": lrn if isinstance(lrn, str) else None}
    held = intake.hold(system=SYSTEM, environment=ENVIRONMENT, channel=CHANNEL, handler=HANDLER, party=party,
                       payload=payload, digest=reading.digest, key=f"{reading.kind}:{reading.digest}",
                       summary=summary)
    return Queued(intake.get(party, held, handler=HANDLER), availability)


def _process(held: intake.Held) -> dict:
    """A held message after the window, read again as it came and received as if it had just arrived."""
    kind = held.summary.get("kind") or None
    reading = (read_data(jsontext.loads(held.payload), kind) if held.summary["form"] == "json"
               else read_xml(held.payload, kind))
    outcome = receive(held.party, reading)
    mine = [n for n in outcome.notifications if n.party == recipient(held.party)]
    return {"mrn": outcome.mrn, "status": outcome.status, "repeated": outcome.repeated,
            "answers": [{"id": n.id, "event": n.event_type} for n in mine]}


intake.register(HANDLER, _process)


def closed_problem(availability: Availability) -> Problem:
    """The refusal naming the window behind it and until when."""
    message = availability.message
    until = availability.until.isoformat() if availability.until else "further notice"
    return problem("service.unavailable", "/",
                   f"{SYSTEM_NAME} takes no messages during \"{message.title}\" until {until}; nothing of this "
                   "message was received: send it again after the window",
                   f"{SYSTEM_NAME} modtager ikke meddelelser under \"{message.title}\" indtil {until}; intet af "
                   "meddelelsen er modtaget: send den igen efter vinduet")

