"""Transit use cases, the only seam between the transit room and its store.

intake.py reads and dispatches each NCTS message; gate.py asks the board first (a service window rejects or
queues the intake); departure.py, prelodged.py and destination.py handle
them; office.py holds the officer's decisions at departure, destination_office.py those after the
unloading remarks, recovery.py the recovery, worklist.py the officer's work lists, incidents.py incidents registered on the way; reading.py
what a party may read; log.py writes the message log and the audit trail; movements.py finds a
movement and asks transit/authorisation.py whether the party may act on it (a refusal of what it may
not see reads as an unknown movement).
"""

from toldsystem.transit.service.destination_office import permit_unloading_again, resolve_discrepancies
from toldsystem.transit.service.gate import Closed, Queued, admit, closed_xml, gate, held, notice, seconds_left
from toldsystem.transit.service.incidents import register_incidents
from toldsystem.transit.service.intake import (INCOMING, Reading, read_data, read_xml, receive, receive_data,
                                               receive_xml, without_access_code_elements)
from toldsystem.transit.service.log import IntakeResult, StoredMessage, recipient, without_secrets
from toldsystem.transit.service.office import (decide_control, invalidate, record_control_result, refuse_release,
                                               release, request_amendment)
from toldsystem.transit.service.prelodged import expire_unpresented, intend_control
from toldsystem.transit.service.reading import (MessagePage, MessageQuery, events, find_messages, list_movements,
                                                message, movement, movement_declaration, movement_messages,
                                                movement_messages_page, outbox)
from toldsystem.transit.service.recovery import recover
from toldsystem.transit.service.worklist import (DEPARTURE, DESTINATION, OfficeView, WorkItem, WorkList, decisions_open,
                                                 office_view, work_counts, work_list)

__all__ = ["DEPARTURE", "DESTINATION", "OfficeView", "WorkItem", "WorkList", "decisions_open", "office_view",
           "work_counts", "work_list", "INCOMING", "Closed", "IntakeResult", "Queued", "MessagePage", "MessageQuery", "Reading", "StoredMessage", "decide_control",
           "admit", "closed_xml", "events", "expire_unpresented", "gate", "held", "find_messages", "intend_control", "invalidate", "list_movements",
           "message", "movement", "movement_declaration", "movement_messages", "movement_messages_page", "notice", "outbox",
           "permit_unloading_again", "read_data", "read_xml", "receive", "receive_data", "receive_xml", "recipient",
           "record_control_result", "recover", "refuse_release", "register_incidents", "release",
           "request_amendment", "resolve_discrepancies", "seconds_left",
           "without_access_code_elements", "without_secrets"]
