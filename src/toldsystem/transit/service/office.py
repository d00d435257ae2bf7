"""The officer's decisions at the office of departure: release (with box D and seals in the standard
procedure), control before release, refusal of release, notification to amend, invalidation by
customs (an officer of the office of departure); and the control result at destination (an officer
of the office of destination; destination_office.py holds what follows it). Who may decide is
transit/authorisation.py's table."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Rejected, problem
from toldsystem.transit import answers, answers_holder, release_terms, states, store
from toldsystem.transit.guarantee_check import free_guarantees, guarantee_reference, route_countries
from toldsystem.transit.service.destination import close
from toldsystem.transit.service.destination_office import report_major_discrepancies
from toldsystem.transit.service.log import StoredMessage, answering, send_to_holder_side, set_state
from toldsystem.transit.service.movements import require_on, require_state


# --- the officer's decisions -------------------------------------------------------------------

def release(officer: Party, mrn: str, limit_date: date | None = None,
            seals: list[str] | None = None) -> list[StoredMessage]:
    """The office of departure releases a movement in the standard procedure, or after its control.

    In the standard procedure the office sets box D (seed 003): the time limit (by default from the
    route, release_terms.default_limit_date) and the seals (by default those declared). Both are kept
    in the declaration as released (the TAD prints them); CC029C carries the seals — the official
    CC029C has no element for the time limit.
    """
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.release", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.release"], "release")
        declared = jsontext.loads(movement.declaration)
        terms: dict = {}
        if not movement.simplified:
            declared, terms = _box_d_set_by_customs(declared, clock.local(now).date(), limit_date, seals)
            conn.execute(update(store.movements).where(store.movements.c.id == movement.id)
                         .values(declaration=jsontext.dumps(declared)))
        set_state(conn, movement.id, states.RELEASED, "released", officer, terms)
        sent.extend(send_to_holder_side(conn, movement, "CC029C",
                                        answers.cc029c(declared, mrn, movement.submitted_at, now), None, now))
        return sent


def _box_d_set_by_customs(declared: dict, today: date, limit_date: date | None,
                          seals: list[str] | None) -> tuple[dict, dict]:
    """The declaration with the office's time limit and seals, and what the audit trail records of them."""
    limit = limit_date or release_terms.default_limit_date(today, route_countries(declared))
    found = [p for p in [release_terms.check_limit_date(limit, today)] if p]
    found += release_terms.check_seals(seals or [])
    if found:
        raise Rejected(found)
    consignment = declared["Consignment"]
    if seals is not None:
        consignment = release_terms.with_seals(consignment, seals)
    declared = {**declared, "TransitOperation": {**declared["TransitOperation"], "limitDate": limit.isoformat()},
                "Consignment": consignment}
    kept = [s["identifier"] for e in consignment.get("TransportEquipment", []) for s in e.get("Seal", [])]
    return declared, {"limitDate": limit.isoformat(), "seals": kept}


def decide_control(officer: Party, mrn: str, controls: list[str], text: str | None = None) -> list[StoredMessage]:
    """CC060C: the office decides to control before release."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.control", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.control"], "control")
        set_state(conn, movement.id, states.UNDER_CONTROL, "control_decided", officer, {"controls": controls})
        sent.extend(send_to_holder_side(conn, movement, "CC060C",
                                        answers.cc060c(jsontext.loads(movement.declaration), mrn, now, controls, text),
                                        None, now))
        return sent


def refuse_release(officer: Party, mrn: str, text: str, code: str = "01") -> list[StoredMessage]:
    """CC051C: the movement is not released (e.g. no valid guarantee); reservations are freed."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.refuse_release", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.refuse_release"], "refuse release of")
        free_guarantees(guarantee_reference(movement))
        set_state(conn, movement.id, states.NOT_RELEASED, "not_released", officer, {"text": text})
        sent.extend(send_to_holder_side(
            conn, movement, "CC051C",
            answers.cc051c(jsontext.loads(movement.declaration), mrn, movement.submitted_at, code, text), None, now))
        return sent


def request_amendment(officer: Party, mrn: str, pointers: list[str], text: str) -> list[StoredMessage]:
    """CC022C: before release the office asks the holder to amend the elements it points at; the holder
    answers with CC013C (accepted with CC004C)."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.request_amendment", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.request_amendment"], "ask for an amendment of")
        to_amend = [problem("amendment.requested", pointer, text, text) for pointer in pointers]
        set_state(conn, movement.id, movement.state, "amendment_requested", officer,
                  {"pointers": pointers, "text": text})
        sent.extend(send_to_holder_side(
            conn, movement, "CC022C", answers_holder.cc022c(jsontext.loads(movement.declaration), mrn, now, to_amend),
            None, now, problems=to_amend))
        return sent


def invalidate(officer: Party, mrn: str, justification: str) -> list[StoredMessage]:
    """CC009C on the office's own initiative: before release, or after it as long as the goods have not
    arrived (TIS "Cancellation of a transit declaration after release for transit"); amounts are freed."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.invalidate", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.invalidate"], "invalidate")
        free_guarantees(guarantee_reference(movement))
        set_state(conn, movement.id, states.INVALIDATED, "invalidated_by_customs", officer,
                  {"justification": justification})
        sent.extend(send_to_holder_side(
            conn, movement, "CC009C",
            answers.cc009c(jsontext.loads(movement.declaration), mrn, None, now, True, True, justification), None, now))
        return sent


def record_control_result(officer: Party, mrn: str, conform: bool, text: str = "") -> list[StoredMessage]:
    """Control result at destination: conform closes the movement (CC025C, CC045C); otherwise major
    discrepancies are reported (CC025C to the trader at destination, CC019C to the holder)."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.control_result", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.control_result"],
                      "record a control result for")
        if conform:
            sent.extend(close(conn, movement, officer, now, text or "control result conform"))
            return sent
        sent.extend(report_major_discrepancies(conn, movement, officer, now, text))
        return sent
