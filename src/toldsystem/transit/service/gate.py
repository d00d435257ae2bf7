"""What the board says of transit's message intake (SPEC O "the board governs the channels"), asked by every
channel that takes NCTS messages — the HTTP API (XML and JSON) now, the file gateway and the portal later.

`gate()` is the board's answer for DMS Forsendelse (NCTS), file access (system-to-system) in production: a
dictionary lookup in the process's snapshot, no query, so every message can afford it. `admit()` then takes the
message as the board says: rejected — `Closed` (HTTP 503), nothing of it received; queued — held in the durable
intake queue (HTTP 202) and processed in arrival order after the window, by `_process` below; available or degraded
— received as always. A message that cannot be read, or comes from an officer, is answered at once as always
(CC917C, 403): only what would be processed is held.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Problem, ToldError, problem
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations
from toldsystem.operations.availability import QUEUED, REJECTED, Availability
from toldsystem.operations.rules import DISRUPTION
from toldsystem.transit import answers, messages
# _identity_in: what an unread message says of itself (messageIdentification, LRN), as a CC917C answers it
from toldsystem.transit.service.intake import Reading, _identity_in, read_data, read_xml, receive
from toldsystem.transit.service.log import IntakeResult, recipient

SYSTEM, ENVIRONMENT, CHANNEL = "dms_transit", "PRD", "file"  # the board's names (operations/systems.py)
SYSTEM_NAME = "DMS Forsendelse (NCTS)"
HANDLER = "transit.message"


class Closed(ToldError):
    """The board rejects the channel now (a service window, a disruption): nothing of the message is received."""

    status = 503

    def __init__(self, availability: Availability):
        self.availability = availability
        super().__init__(closed_problem(availability))


def seconds_left(availability: Availability, now: datetime | None = None) -> int | None:
    """Seconds until the period behind the board's answer ends (at least 1), None when no end is announced."""
    if availability.until is None:
        return None
    return max(1, math.ceil((availability.until - (now or clock.now())).total_seconds()))


@dataclass(frozen=True, slots=True)
class Queued:
    """A message the board queues: held, to be processed after the window."""

    held: intake.Held
    availability: Availability


def gate(at: datetime | None = None) -> Availability:
    """The board's answer for transit's message intake now (file access to DMS Forsendelse (NCTS), PRD)."""
    return operations.availability(SYSTEM, ENVIRONMENT, CHANNEL, at)


def admit(party: Party, reading: Reading, submitted: bytes | dict, availability: Availability | None = None
          ) -> IntakeResult | Queued:
    """Take a message read before (`submitted` as it came: the XML body's bytes, or the JSON data) as the board
    says (see the module's docstring), asking it unless `availability` is the answer the caller already has.
    Runs where receive runs (the API: batching.submit)."""
    availability = availability or gate()
    if availability.state == REJECTED:
        raise Closed(availability)
    if availability.state != QUEUED or reading.problems or party.is_officer:
        return receive(party, reading)
    data = reading.data
    form, payload = ("xml", submitted) if isinstance(submitted, bytes) else ("json", jsontext.dump_bytes(submitted))
    summary = {"form": form, "messageType": reading.message_type,
               "messageIdentification": data.get("messageIdentification"),
               "LRN": (data.get("TransitOperation") or {}).get("LRN")}
    held = intake.hold(system=SYSTEM, environment=ENVIRONMENT, channel=CHANNEL, handler=HANDLER, party=party,
                       payload=payload, digest=reading.digest, key=summary["messageIdentification"], summary=summary)
    return Queued(intake.get(party, held, handler=HANDLER), availability)


def _process(held: intake.Held) -> dict:
    """A held message after the window: read again as it came and received as if it had just arrived (a message
    identification received meanwhile makes it a replay, with the same answers)."""
    if held.summary["form"] == "json":
        reading = read_data(held.summary["messageType"], jsontext.loads(held.payload))
    else:
        reading = read_xml(held.payload)
    result = receive(held.party, reading)
    mine = [a for a in result.answers if a.party_eori == recipient(held.party)]
    return {"mrn": result.mrn, "repeated": result.repeated,
            "answers": [{"id": a.id, "messageType": a.message_type} for a in mine]}


intake.register(HANDLER, _process)


def held(party: Party, held_id: int) -> intake.Held:
    """A message the queue holds (or held), as its sender or an officer reads it; to others unknown (404)."""
    return intake.get(party, held_id, handler=HANDLER)


def closed_problem(availability: Availability) -> Problem:
    """The refusal naming the message behind it: its title and work order, and until when (SPEC O)."""
    message = availability.message
    kind_en, kind_da = ("disruption", "driftsforstyrrelsen") if message.kind == DISRUPTION else (
        "service window", "servicevinduet")
    order_en = f" (work order {message.work_order})" if message.work_order else ""
    order_da = f" (arbejdsordre {message.work_order})" if message.work_order else ""
    if availability.until is not None:
        local = clock.local(availability.until).strftime("%Y-%m-%d %H:%M")
        until_en, until_da = f"until {local} Danish time", f"indtil {local} dansk tid"
    else:
        until_en, until_da = "until further notice", "indtil videre"
    return problem("service.unavailable", "/",
                   f"{SYSTEM_NAME} takes no messages during the {kind_en} \"{message.title}\"{order_en}, {until_en}; "
                   "nothing of this message was received: send it again after the window",
                   f"{SYSTEM_NAME} modtager ikke meddelelser under {kind_da} \"{message.title}\"{order_da}, "
                   f"{until_da}; intet af meddelelsen er modtaget: send den igen efter vinduet")


def closed_xml(party: Party, closed: Closed, body: bytes = b"") -> bytes:
    """The refusal as NCTS speaks it: a CC917C to the sender, answering its messageIdentification when the body
    states it plainly (the body is not read further: nothing of it is received). Not stored."""
    identification, lrn = _identity_in(body)
    error = answers.cc917c(closed.problems, lrn)
    return messages.render("CC917C", answers.with_header("CC917C", recipient(party), clock.now(), error,
                                                         identification))


def notice(availability: Availability) -> str:
    """What a degraded (or queued) channel's header says: the state, the message's title and work order."""
    message = availability.message
    text = f"{availability.state}: {message.title}" + (f" ({message.work_order})" if message.work_order else "")
    return text.encode("latin-1", "replace").decode("latin-1")  # an HTTP header carries Latin-1 only
