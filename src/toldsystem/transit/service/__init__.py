"""Transit use cases, the only seam between the transit room and its store.

intake.py reads and dispatches each NCTS message; departure.py and destination.py handle them;
office.py holds the officer's decisions, reading.py what a party may read; log.py writes the
message log and the audit trail; movements.py finds a movement and asks transit/authorisation.py
whether the party may act on it (a refusal of what it may not see reads as an unknown movement).
"""

from toldsystem.transit.service.intake import INCOMING, receive_data, receive_xml, without_access_code_elements
from toldsystem.transit.service.log import IntakeResult, StoredMessage, recipient, without_secrets
from toldsystem.transit.service.office import decide_control, record_control_result, refuse_release, release
from toldsystem.transit.service.reading import (events, list_movements, message, movement, movement_declaration,
                                                movement_messages, outbox)

__all__ = ["INCOMING", "IntakeResult", "StoredMessage", "decide_control", "events", "list_movements", "message",
           "movement", "movement_declaration", "movement_messages", "outbox", "receive_data", "receive_xml",
           "recipient", "record_control_result", "refuse_release", "release", "without_access_code_elements",
           "without_secrets"]
