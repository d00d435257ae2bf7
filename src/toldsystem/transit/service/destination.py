"""At the office of destination: arrival (CC007C), unloading remarks (CC044C) and the closing of a movement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, update

from toldsystem.access.rules import TRADER_AT_DESTINATION, Party
from toldsystem.companies import service as companies
from toldsystem.core import clock, jsontext
from toldsystem.reference import service as reference
from toldsystem.transit import answers, authorisation, states, store
from toldsystem.transit.guarantee_check import discharge_guarantees, free_guarantees
from toldsystem.transit.service.log import (IntakeResult, StoredMessage, log_incoming, reject, send,
                                            send_to_holder_side, set_state)
from toldsystem.transit.service.movements import for_message, parties_of, wrong_state


def arrive(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC007C at the office of destination: arrival frees the guarantee amount for reuse (seed 003).

    Only the trader at destination entitled for the movement may notify it (transit/authorisation.py); for
    anyone else — and for a movement not yet released, whose existence the trader may not learn — the
    answer is that of an unknown MRN."""
    now = clock.now()
    mrn = data["TransitOperation"]["MRN"]
    trader = data["TraderAtDestination"]["identificationNumber"]
    office = data["CustomsOfficeOfDestinationActual"]["referenceNumber"]
    claim = _claim(party, data)

    def entitled(row, _roles):
        parties = parties_of(row)
        reasons = authorisation.arrival_refusals(party, claim, parties, authorisation.declared_consignees(
            jsontext.loads(row.declaration)))
        return (frozenset() if reasons else frozenset({TRADER_AT_DESTINATION})), reasons

    movement = for_message(conn, party, data, "CC007C", extra_roles=entitled)
    log_incoming(conn, movement.id, data, xml, party, now)
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


def _claim(party: Party, data: dict) -> authorisation.ArrivalClaim:
    """What the store knows of the trader and the office a CC007C names."""
    trader = data["TraderAtDestination"]["identificationNumber"]
    office = data["CustomsOfficeOfDestinationActual"]["referenceNumber"]
    found = reference.snapshot().office(office)
    standing = (companies.standing(trader, clock.local(clock.now()).date()) if trader == party.eori
                else None)  # another company's standing is not asked for: the claim fails anyway
    company = companies.find(trader) if standing and standing.known else None
    return authorisation.ArrivalClaim(
        trader=trader, actual_office=office,
        actual_office_acts_as_destination=found is not None and found.may_act_as("DES"),
        simplified=data["TransitOperation"].get("simplifiedProcedure") == "1",
        trader_is_authorised_consignee=bool(standing and "authorised_consignee" in standing.authorisations),
        trader_country=company.country if company else "")


def unloading_remarks(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC044C: only from whoever received the CC043C; conform remarks close the movement, otherwise the office of
    destination decides."""
    now = clock.now()
    mrn = data["TransitOperation"]["MRN"]
    movement = for_message(conn, party, data, "CC044C")
    log_incoming(conn, movement.id, data, xml, party, now)
    if movement.state != states.UNLOADING:
        return reject(conn, party, data, [wrong_state("CC044C", movement.state, "/CC044C/TransitOperation/MRN")],
                      now, movement.id, mrn)
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
    out.extend(send_to_holder_side(conn, movement, "CC045C", answers.cc045c(declared, movement.mrn, now), None, now))
    return out
