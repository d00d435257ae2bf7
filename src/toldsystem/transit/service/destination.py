"""At the office of destination: arrival (CC007C), unloading remarks (CC044C) and the closing of a movement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, update

from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.transit import answers, context, states, store
from toldsystem.transit.guarantee_check import discharge_guarantees, free_guarantees
from toldsystem.transit.service.log import IntakeResult, StoredMessage, log_incoming, reject, send, set_state
from toldsystem.transit.service.movements import by_mrn, wrong_state


def arrive(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC007C at the office of destination: arrival frees the guarantee amount for reuse (seed 003)."""
    now = clock.now()
    mrn = data["TransitOperation"]["MRN"]
    movement = by_mrn(conn, mrn, "/CC007C/TransitOperation/MRN")
    trader = data["TraderAtDestination"]["identificationNumber"]
    office = data["CustomsOfficeOfDestinationActual"]["referenceNumber"]
    log_incoming(conn, movement.id, data, xml, party, now)
    found = context.arrival_problems(party, trader, office, movement.state, data)
    if found:
        return reject(conn, party, data, found, now, movement.id, mrn)
    free_guarantees(mrn)
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id)
                 .values(trader_at_destination=trader, office_of_destination=office))
    set_state(conn, movement.id, states.ARRIVED, "arrived", party, {"office": office, "trader": trader})
    if data["TransitOperation"].get("simplifiedProcedure") != "1":
        return IntakeResult([], mrn)  # standard procedure: the office of destination records the control result
    declared = jsontext.loads(movement.declaration)
    set_state(conn, movement.id, states.UNLOADING, "unloading_permitted", party, {})
    permission = answers.cc043c(declared, mrn, office, trader, movement.submitted_at)
    return IntakeResult([send(conn, movement.id, "CC043C", trader, permission, data, now)], mrn)


def unloading_remarks(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC044C: conform remarks close the movement; otherwise the office of destination decides."""
    now = clock.now()
    mrn = data["TransitOperation"]["MRN"]
    movement = by_mrn(conn, mrn, "/CC044C/TransitOperation/MRN")
    log_incoming(conn, movement.id, data, xml, party, now)
    if party.eori != movement.trader_at_destination or movement.state != states.UNLOADING:
        return reject(conn, party, data, [wrong_state("CC044C", movement.state, "/CC044C/TransitOperation/MRN")],
                       now, movement.id, mrn)
    if found := context.unloading_remarks_problems(data, jsontext.loads(movement.declaration)):
        return reject(conn, party, data, found, now, movement.id, mrn)
    remark = data.get("UnloadingRemark", {})
    if remark.get("conform") == "1":
        return IntakeResult(close(conn, movement, party, now, "unloading remarks conform"), mrn)
    set_state(conn, movement.id, states.DISCREPANCIES, "unloading_remarks", party,
               {"remark": remark.get("unloadingRemark", ""), "stateOfSeals": remark.get("stateOfSeals")})
    return IntakeResult([], mrn)


def close(conn: Connection, movement, party: Party, now: datetime, why: str) -> list[StoredMessage]:
    """Control result conform: goods released at destination, guarantee discharged, movement written off."""
    declared = jsontext.loads(movement.declaration)
    discharge_guarantees(movement.mrn)
    set_state(conn, movement.id, states.CLOSED, "control_result_conform", party, {"why": why})
    out = []
    trader = movement.trader_at_destination
    if trader:
        out.append(send(conn, movement.id, "CC025C", trader,
                         answers.cc025c(movement.mrn, movement.office_of_destination, trader, now), None, now))
    out.append(send(conn, movement.id, "CC045C", movement.holder_eori,
                     answers.cc045c(declared, movement.mrn, now), None, now))
    return out
