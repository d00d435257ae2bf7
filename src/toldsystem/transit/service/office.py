"""The officer's decisions: release, control before release, refusal of release (an officer of the office of
departure), control result at destination (an officer of the office of destination); transit/authorisation.py."""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.transit import answers, states
from toldsystem.transit.guarantee_check import free_guarantees
from toldsystem.transit.service.destination import close
from toldsystem.transit.service.log import StoredMessage, answering, send_to_holder_side, set_state
from toldsystem.transit.service.movements import require_on, require_state


# --- the officer's decisions -------------------------------------------------------------------

def release(officer: Party, mrn: str) -> list[StoredMessage]:
    """The office of departure releases a movement in the standard procedure, or after its control."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.release", mrn, lock=True)
        require_state(movement, {states.AWAITING_RELEASE, states.UNDER_CONTROL}, "release")
        declared = jsontext.loads(movement.declaration)
        set_state(conn, movement.id, states.RELEASED, "released", officer, {})
        sent.extend(send_to_holder_side(conn, movement, "CC029C",
                                        answers.cc029c(declared, mrn, movement.submitted_at, now), None, now))
        return sent


def decide_control(officer: Party, mrn: str, controls: list[str], text: str | None = None) -> list[StoredMessage]:
    """CC060C: the office decides to control before release."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.control", mrn, lock=True)
        require_state(movement, {states.AWAITING_RELEASE}, "control")
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
        require_state(movement, states.BEFORE_RELEASE, "refuse release of")
        free_guarantees(mrn)
        set_state(conn, movement.id, states.NOT_RELEASED, "not_released", officer, {"text": text})
        sent.extend(send_to_holder_side(
            conn, movement, "CC051C",
            answers.cc051c(jsontext.loads(movement.declaration), mrn, movement.submitted_at, code, text), None, now))
        return sent


def record_control_result(officer: Party, mrn: str, conform: bool, text: str = "") -> list[StoredMessage]:
    """Control result at destination: conform closes the movement; otherwise discrepancies stay open."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.control_result", mrn, lock=True)
        require_state(movement, {states.ARRIVED, states.UNLOADING, states.DISCREPANCIES}, "record a control result for")
        if conform:
            sent.extend(close(conn, movement, officer, now, text or "control result conform"))
            return sent
        set_state(conn, movement.id, states.DISCREPANCIES, "control_result_discrepancies", officer, {"text": text})
        return []
