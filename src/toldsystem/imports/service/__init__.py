"""Import use cases (DMS Import, SPEC I), the only seam between the imports room and its store.

lodging.py reads and lodges declarations, amendments and invalidations (idempotent per sender and LRN);
decision.py accepts them (MRN, duties, the lane) and holds presentation and the officer's control result;
due.py the supplementary declarations' work list and the estimated-assessment cases; settings.py the officers'
rule sets, tariffs and customs credit standings; notice.py the forwarder's notice to the consignee; gate.py asks
the board first; views.py what a party may read. Every channel (API, CLI, file gateway, portal) calls these.
"""

from toldsystem.imports.service.decision import present, record_control_result
from toldsystem.imports.service.due import Case, DueItem, cases, close_case, due_list, sweep
from toldsystem.imports.service.gate import Closed, Queued, admit, gate, held
from toldsystem.imports.service.lodging import (Reading, lodge, lodge_data, lodge_xml, notification, outbox,
                                                read_data, read_xml)
from toldsystem.imports.service.log import Notification, Outcome, recipient
from toldsystem.imports.service.notice import ConsigneeNoticeProof, proof
from toldsystem.imports.service.settings import (active_rules, active_tariff, credit, set_credit, set_rules,
                                                 set_tariff)
from toldsystem.imports.service.views import declaration, declaration_notifications, declarations

__all__ = ["Case", "Closed", "ConsigneeNoticeProof", "DueItem", "Notification", "Outcome", "Queued", "Reading",
           "active_rules", "active_tariff", "admit", "cases", "close_case", "credit", "declaration",
           "declaration_notifications", "declarations", "due_list", "gate", "held", "lodge", "lodge_data",
           "lodge_xml", "notification", "outbox", "present", "proof", "read_data", "read_xml", "recipient",
           "record_control_result", "set_credit", "set_rules", "set_tariff", "sweep"]
