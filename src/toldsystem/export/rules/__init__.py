"""The pure rules of DMS Export (SPEC E; seed 002 for fallback and the Manifest links).

Each rule is one small function citing its source, returning None, a Problem, or a value. By theme:
model.py (the typed declaration, its states and events, the Manifest departure), kinds.py (standard,
simplified with its supplementary, pre-lodged), mrn.py (the export MRN and its procedure letter),
states.py (the allowed transitions), fallback.py (export under the fallback procedure and the exemption
code in a departure), exit.py (the exit confirmations a Manifest departure inserts), declaration.py (the
rules read from a declaration's data), arrival.py (the arrival at exit, IE507).
"""

from toldsystem.export.rules.arrival import ArrivalAtExit, arrival_at_exit_of, arrival_may_be_registered
from toldsystem.export.rules.declaration import declaration_problems, export_declaration_of, procedure_letter_of
from toldsystem.export.rules.exit import ExitOutcome, exit_confirmations
from toldsystem.export.rules.fallback import (FALLBACK_EXEMPTION_CODE, departure_may_name, departure_reference,
                                              fallback_follow_up)
from toldsystem.export.rules.kinds import declaration_kind, kind_fits_schema
from toldsystem.export.rules.model import (DeclarationKind, Departure, DepartureConsignment, Event, ExitEvent,
                                           ExportDeclaration, Status)
from toldsystem.export.rules.mrn import export_mrn, export_mrn_procedure_letter, is_export_mrn
from toldsystem.export.rules.states import TRANSITIONS, allowed_events, initial_status, next_status

__all__ = ["FALLBACK_EXEMPTION_CODE", "TRANSITIONS", "ArrivalAtExit", "DeclarationKind", "Departure", "DepartureConsignment", "Event",
           "ExitEvent", "ExitOutcome", "ExportDeclaration", "Status", "allowed_events", "arrival_at_exit_of",
           "arrival_may_be_registered", "declaration_kind",
           "declaration_problems", "export_declaration_of", "procedure_letter_of",
           "departure_may_name", "departure_reference", "exit_confirmations", "export_mrn",
           "export_mrn_procedure_letter", "fallback_follow_up", "initial_status", "is_export_mrn", "kind_fits_schema",
           "next_status"]
