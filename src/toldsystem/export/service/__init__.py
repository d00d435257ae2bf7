"""Export use cases, the only seam between the export room and its store (SPEC E).

reading_in.py reads XML or JSON before any store is touched; intake.py dispatches what was read; lodging.py
lodges (MRN, ACCEPTED / REJECTED, idempotent per declarant and LRN); steps.py holds every later step (release,
control, presentation and arrival at exit, exit confirmation, invalidation, amendment); departure.py the exit
confirmations of a Manifest departure; gate.py asks the board first; units.py what they share.
"""

from toldsystem.export.service.departure import DepartureResult, confirm_departure
from toldsystem.export.service.gate import Closed, Queued, admit, gate
from toldsystem.export.service.intake import receive, receive_data, receive_xml
from toldsystem.export.service.lodging import allocate_mrn, lodge
from toldsystem.export.service.reading_in import Reading, read_data, read_xml
from toldsystem.export.service.steps import (CONTROL_LANES, amend, arrive_at_exit, confirm_exit, invalidate,
                                             present_at_exit, present_goods, release, select_for_control)
from toldsystem.export.service.units import Notification, Outcome, recipient

__all__ = ["CONTROL_LANES", "Closed", "DepartureResult", "Notification", "Outcome", "Queued", "Reading", "admit",
           "allocate_mrn", "amend", "arrive_at_exit", "confirm_departure", "confirm_exit", "gate", "invalidate",
           "lodge", "present_at_exit", "present_goods", "read_data", "read_xml", "receive", "receive_data",
           "receive_xml", "recipient", "release", "select_for_control"]
