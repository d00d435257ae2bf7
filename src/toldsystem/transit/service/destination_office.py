"""The office of destination's decisions after the unloading remarks or its own control: major
discrepancies reported to the holder (CC019C), resolved (CC045C), or a new unloading permission when
unloading was not completed (TIS "Unloading Permission Received - Unloading Remarks" and "Major
discrepancies found during control at the office of destination")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.transit import answers, answers_holder, states
from toldsystem.transit.service.destination import close, permit_unloading
from toldsystem.transit.service.log import StoredMessage, answering, send, send_to_holder_side, set_state
from toldsystem.transit.service.movements import require_on, require_state


def report_major_discrepancies(conn: Connection, movement, officer: Party, now: datetime,
                               text: str) -> list[StoredMessage]:
    """Major discrepancies in the control at destination: the goods are released at destination (CC025C
    to the trader there) and the office of departure tells the holder (CC019C); the movement stays open
    until they are resolved or recovery starts."""
    set_state(conn, movement.id, states.MAJOR_DISCREPANCIES, "major_discrepancies", officer, {"text": text})
    out = []
    trader = movement.trader_at_destination
    if trader:
        out.append(send(conn, movement.id, "CC025C", trader,
                        answers.cc025c(movement.mrn, movement.office_of_destination, trader, now), None, now))
    out.extend(send_to_holder_side(conn, movement, "CC019C",
                                   answers_holder.cc019c(jsontext.loads(movement.declaration), movement.mrn,
                                                         clock.local(now).date(), text), None, now))
    return out


def resolve_discrepancies(officer: Party, mrn: str, text: str = "") -> list[StoredMessage]:
    """The major discrepancies are resolved: the movement is written off (CC045C), the guarantee discharged."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.resolve_discrepancies", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.resolve_discrepancies"], "resolve the discrepancies of")
        sent.extend(close(conn, movement, officer, now, text or "discrepancies resolved",
                          released_at_destination=True))
        return sent


def permit_unloading_again(officer: Party, mrn: str) -> list[StoredMessage]:
    """A new CC043C: the office lets the authorised consignee go on unloading after remarks."""
    now = clock.now()
    with answering() as (conn, sent):
        movement = require_on(conn, officer, "movement.permit_unloading", mrn, lock=True)
        require_state(movement, states.DECIDED_IN["movement.permit_unloading"], "permit unloading of")
        sent.append(permit_unloading(conn, movement, officer, movement.office_of_destination,
                                     movement.trader_at_destination, None, now))
        return sent
