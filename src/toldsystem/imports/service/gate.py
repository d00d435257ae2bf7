"""What the board says of DMS Import's intake (SPEC O), asked by every channel that lodges import declarations, as
transit's intake asks it (transit/service/gate.py): rejected — `Closed` (HTTP 503 with Retry-After), nothing
received; queued — held in the shared durable intake queue (intake/) and lodged in arrival order after the window;
available or degraded — lodged as always. What cannot be read is answered at once (REJECTED), as always."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import ToldError, problem
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.operations.availability import QUEUED, REJECTED, Availability
from toldsystem.operations.rules import DISRUPTION
from toldsystem.imports.service.lodging import Reading, lodge, read_data, read_xml
from toldsystem.imports.service.log import Outcome, recipient

SYSTEM, ENVIRONMENT, CHANNEL = "dms_import", "PRD", "file"  # the board's names (operations/systems.py)
SYSTEM_NAME = "DMS Import"
HANDLER = "imports.declaration"


class Closed(ToldError):
    """The board rejects the channel now: nothing of the declaration is received."""

    status = 503

    def __init__(self, availability: Availability):
        self.availability = availability
        message = availability.message
        kind_en, kind_da = ("disruption", "driftsforstyrrelsen") if message.kind == DISRUPTION else (
            "service window", "servicevinduet")
        until = clock.local(availability.until).strftime("%Y-%m-%d %H:%M") if availability.until else None
        super().__init__(problem(
            "service.unavailable", "/",
            f"{SYSTEM_NAME} takes no declarations during the {kind_en} \"{message.title}\""
            + (f" until {until} Danish time" if until else " until further notice")
            + "; nothing of this declaration was received: send it again after the window",
            f"{SYSTEM_NAME} modtager ikke angivelser under {kind_da} \"{message.title}\""
            + (f" indtil {until} dansk tid" if until else " indtil videre")
            + "; intet af angivelsen er modtaget: send den igen efter vinduet"))


@dataclass(frozen=True, slots=True)
class Queued:
    held: intake.Held
    availability: Availability


def gate(at: datetime | None = None) -> Availability:
    """The board's answer for DMS Import's intake now (file access, PRD)."""
    return operations.availability(SYSTEM, ENVIRONMENT, CHANNEL, at)


def admit(party: Party, read: Reading, submitted: bytes | dict, availability: Availability | None = None
          ) -> Outcome | Queued:
    """Lodge a declaration read before as the board says (`submitted` as it came: XML bytes or JSON data)."""
    availability = availability or gate()
    if availability.state == REJECTED:
        raise Closed(availability)
    if availability.state != QUEUED or read.problems or party.is_officer:
        return lodge(party, read)
    form, payload = ("xml", submitted) if isinstance(submitted, bytes) else ("json", jsontext.dump_bytes(submitted))
    summary = {"form": form, "kind": read.kind, "LRN": read.lrn}
    held = intake.hold(system=SYSTEM, environment=ENVIRONMENT, channel=CHANNEL, handler=HANDLER, party=party,
                       payload=payload, digest=read.digest, key=f"{read.kind}:{read.lrn}", summary=summary)
    return Queued(intake.get(party, held, handler=HANDLER), availability)


def _process(held: intake.Held) -> dict:
    """A held declaration after the window: read again as it came and lodged as if it had just arrived."""
    if held.summary["form"] == "json":
        read = read_data(jsontext.loads(held.payload), held.summary.get("kind"))
    else:
        read = read_xml(held.payload)
    outcome = lodge(held.party, read)
    mine = [n for n in outcome.notifications if n.party == recipient(held.party)]
    return {"mrn": outcome.mrn, "repeated": outcome.repeated,
            "notifications": [{"id": n.id, "event": n.event_type} for n in mine]}


intake.register(HANDLER, _process)


def held(party: Party, held_id: int) -> intake.Held:
    """A declaration the queue holds (or held), as its sender or an officer reads it; to others unknown (404)."""
    return intake.get(party, held_id, handler=HANDLER)


def seconds_left(availability: Availability) -> int | None:
    from toldsystem.transit.service.gate import seconds_left as transit_seconds_left
    return transit_seconds_left(availability)
