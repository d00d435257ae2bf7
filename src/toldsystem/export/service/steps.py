"""What happens to a lodged export declaration (SPEC E; seed 002): the goods presented at the office of export
(pre-lodged), release for export or selection for control (an officer's decision, kept with who made it and
why), presentation at the office of exit, arrival at exit (CC507C), exit confirmation (by an officer, or by a
Manifest departure), invalidation, amendment and correction. Each one unit of work: the step through
`rules.next_status`, its event, its notifications."""

from __future__ import annotations

from datetime import datetime

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Conflict, Forbidden, Problem, problem
from toldsystem.export import authorisation, rules
from toldsystem.export.messages import notifications, value_of
from toldsystem.export.service.reading_in import Reading
from toldsystem.export.service.units import (Outcome, data_of, locked, log_incoming, notify, parties_of, recipient,
                                             step)
from toldsystem.export.authorisation import EXIT_OFFICE, EXPORT_OFFICE

CONTROL_LANES = ("documentary", "physical")


def present_goods(party: Party, mrn: str, *, at: datetime | None = None) -> Outcome:
    """A pre-lodged declaration's goods are presented at the office of export: it is accepted (UCC art. 171-172)."""
    at = at or clock.now()
    with db.transaction() as conn:
        row = locked(conn, mrn, party, lambda p, r: authorisation.may_invalidate(p, r))
        state = step(conn, row, rules.Event.GOODS_PRESENTED, party, at, {"by": recipient(party)})
        sent = notify(conn, row.id, parties_of(row), notifications.ACCEPTED,
                      notifications.accepted(data_of(row), mrn, at), at, row.lrn)
    return Outcome(mrn, state.value, sent)


def release(party: Party, mrn: str, *, reason: str = "", at: datetime | None = None) -> Outcome:
    """An officer of the office of export releases the goods for export (also: the control found them in order)."""
    at = at or clock.now()
    with db.transaction() as conn:
        row = locked(conn, mrn, party, lambda p, r: authorisation.may_decide(p, r, EXPORT_OFFICE))
        state = step(conn, row, rules.Event.RELEASE, party, at, _decision(party, "release", reason))
        sent = notify(conn, row.id, parties_of(row), notifications.RELEASED,
                      notifications.released_for_export(data_of(row), mrn, at), at, row.lrn)
    return Outcome(mrn, state.value, sent)


def select_for_control(party: Party, mrn: str, *, lane: str = "documentary", reason: str = "",
                       at: datetime | None = None) -> Outcome:
    """An officer of the office of export selects the declaration for a documentary or physical control."""
    if lane not in CONTROL_LANES:
        raise Conflict(problem("export.control.lane", "/lane", f"The control lane is one of {CONTROL_LANES}.",
                               f"Kontrolsporet er et af {CONTROL_LANES}."))
    at = at or clock.now()
    with db.transaction() as conn:
        row = locked(conn, mrn, party, lambda p, r: authorisation.may_decide(p, r, EXPORT_OFFICE))
        state = step(conn, row, rules.Event.SELECT_FOR_CONTROL, party, at,
                     _decision(party, "select_for_control", reason) | {"lane": lane})
        sent = notify(conn, row.id, parties_of(row), notifications.CONTROL,
                      notifications.selected_for_control(data_of(row), mrn, at, lane), at, row.lrn)
    return Outcome(mrn, state.value, sent)


def present_at_exit(party: Party, mrn: str, *, at: datetime | None = None) -> Outcome:
    """The goods are presented at the office of exit, as its officer registers it."""
    at = at or clock.now()
    with db.transaction() as conn:
        row = locked(conn, mrn, party, lambda p, r: authorisation.may_decide(p, r, EXIT_OFFICE))
        state = step(conn, row, rules.Event.PRESENT_AT_EXIT, party, at, {"office": row.office_of_exit})
        sent = notify(conn, row.id, parties_of(row), notifications.PRESENTED_AT_EXIT,
                      notifications.presented_at_exit(data_of(row), mrn, at, row.office_of_exit), at, row.lrn)
    return Outcome(mrn, state.value, sent)


def arrive_at_exit(party: Party, reading: Reading) -> Outcome:
    """The arrival at exit (CC507C) from the office of exit (its officer): registered when the goods are
    presented there (export/rules.arrival_may_be_registered); the time is the message's."""
    if not party.is_officer:
        raise Forbidden(problem("export.arrival.office_only", "/CC507C",
                                "The arrival at exit is registered by the office of exit.",
                                "Ankomsten til udgang registreres af udgangstoldstedet."))
    arrival = rules.arrival_at_exit_of(reading.data)
    if isinstance(arrival, Problem):
        raise Conflict(arrival)
    with db.transaction() as conn:
        row = locked(conn, arrival.mrn, party, lambda p, r: authorisation.officer_of(p, arrival.office)
                     or authorisation.may_decide(p, r, EXIT_OFFICE))
        found = rules.arrival_may_be_registered(arrival, _typed(row))
        if found is not None:
            raise Conflict(found)
        log_incoming(conn, row.id, "arrival_at_exit", party, reading.data, arrival.at, row.lrn)
        state = step(conn, row, rules.Event.ARRIVE_AT_EXIT, party, arrival.at,
                     {"office": arrival.office, "place": arrival.place, "discrepancies": arrival.discrepancies,
                      "storing": arrival.storing})
        sent = notify(conn, row.id, parties_of(row), notifications.ARRIVED_AT_EXIT,
                      notifications.arrived_at_exit(data_of(row), row.mrn, arrival.at, arrival.office,
                                                    location=arrival.place), arrival.at, row.lrn)
    return Outcome(row.mrn, state.value, sent)


def confirm_exit(party: Party, mrn: str, *, departure: str | None = None, document: str | None = None,
                 office: str | None = None, at: datetime | None = None) -> Outcome:
    """The exit is confirmed (udpassageattest): by an officer of the office of exit, or by the Manifest
    departure `departure` (then `office` is the departure's office, the actual office of exit, and `document`
    the consignment's transport document). Only after the arrival at exit (seed 002)."""
    at = at or clock.now()
    with db.transaction() as conn:
        if departure is None:
            row = locked(conn, mrn, party, lambda p, r: authorisation.may_decide(p, r, EXIT_OFFICE))
        else:  # the Manifest room checked who sent the departure: it names the export by its MRN
            row = locked(conn, mrn, party, lambda p, r: True)
            found = rules.departure_may_name(_typed(row))
            if found is not None:
                raise Conflict(found)
        where = office or row.office_of_exit
        state = step(conn, row, rules.Event.CONFIRM_EXIT, party, at,
                     {"office": where, "departure": departure, "document": document})
        sent = notify(conn, row.id, parties_of(row), notifications.EXIT_CONFIRMED,
                      notifications.exit_confirmed(data_of(row), mrn, at, where, departure=departure), at, row.lrn)
    return Outcome(mrn, state.value, sent)


def invalidate(party: Party, mrn: str, *, reason: str = "", at: datetime | None = None) -> Outcome:
    """Invalidation at the declarant's request (or by the office of export) while the goods have not reached
    the office of exit (UCC art. 174; states.py)."""
    at = at or clock.now()
    with db.transaction() as conn:
        row = locked(conn, mrn, party, authorisation.may_invalidate)
        state = step(conn, row, rules.Event.INVALIDATE, party, at, _decision(party, "invalidate", reason))
        sent = notify(conn, row.id, parties_of(row), notifications.INVALIDATED,
                      notifications.invalidated(data_of(row), mrn, at), at, row.lrn)
    return Outcome(mrn, state.value, sent)


def invalidate_as_requested(party: Party, reading: Reading, *, at: datetime | None = None) -> Outcome:
    """An invalidation message (its `ID` the MRN)."""
    return invalidate(party, value_of(reading.data.get("ID")) or "", reason="invalidation message", at=at)


def amend(party: Party, reading: Reading, *, at: datetime | None = None) -> Outcome:
    """An amendment (before release) or a correction (after release) of the declarant's declaration: the
    transition decides which is allowed (UCC art. 173); the data become the amended ones."""
    at = at or clock.now()
    data = reading.data
    mrn = value_of(data.get("ID")) or ""
    with db.transaction() as conn:
        row = locked(conn, mrn, party, lambda p, r: authorisation.is_party_to(p, r.declarant_eori,
                                                                               r.representative_eori))
        event = (rules.Event.AMEND if row.state in (rules.Status.PRE_LODGED, rules.Status.ACCEPTED,
                                                    rules.Status.UNDER_CONTROL) else rules.Event.CORRECT)
        if value_of(data.get("FunctionalReferenceID")) not in (None, row.lrn):
            raise Conflict(problem("export.amend.lrn", "/Declaration/FunctionalReferenceID",
                                   "An amendment cannot change the LRN.", "En ændring kan ikke ændre LRN."))
        log_incoming(conn, row.id, "amendment", party, data, at, row.lrn)
        amended = {key: value for key, value in data.items() if key not in ("ID", "Amendment")}
        state = step(conn, row, event, party, at, {"amendment": data.get("Amendment")},
                     {"data": jsontext.dumps(amended)})
        sent = notify(conn, row.id, parties_of(row), notifications.AMENDED,
                      notifications.amended(amended, mrn, at), at, row.lrn)
    return Outcome(mrn, state.value, sent)


def _decision(party: Party, decision: str, reason: str) -> dict:
    """An officer's decision as kept: what, by whom (and at which office), why, and what chose it."""
    return {"decision": decision, "by": recipient(party), "office": party.office, "reason": reason,
            "chosen_by": "officer" if party.is_officer else "declarant"}


def _typed(row) -> rules.ExportDeclaration:
    return rules.ExportDeclaration(lrn=row.lrn, mrn=row.mrn, kind=rules.DeclarationKind(row.kind),
                                   status=rules.Status(row.state), exit_office=row.office_of_exit,
                                   started_under_fallback=row.fallback)
