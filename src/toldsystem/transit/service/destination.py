"""At the office of destination: arrival (CC007C), unloading remarks (CC044C) and the closing of a movement.

What the office of destination refuses it answers with CC057C (rejection from the office of
destination); CC056C is the office of departure's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, update

from toldsystem.access.rules import TRADER_AT_DESTINATION, Party
from toldsystem.companies import service as companies
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Problem
from toldsystem.reference import service as reference
from toldsystem.transit import answers, authorisation, context, incidents, states, store
from toldsystem.transit.guarantee_check import discharge_guarantees, free_guarantees, guarantee_reference
from toldsystem.transit.service.log import (IntakeResult, StoredMessage, append_events, log_incoming, recipient, send,
                                            send_to_holder_side, set_state, values_at)
from toldsystem.transit.service.movements import for_message, parties_of, wrong_state

MESSAGES = ("CC007C", "CC044C")  # sent to the office of destination, which rejects them with CC057C


def arrive(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC007C at the office of destination: arrival frees the guarantee amount for reuse (seed 003);
    incidents on the way (boxes 55/56) are recorded on the movement.

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
    reported = data.get("Consignment", {}).get("Incident", [])
    found = context.arrival_notification_problems(data)
    if found:
        return reject_at_destination(conn, party, data, found, now, movement.id, mrn, office, trader)
    free_guarantees(guarantee_reference(movement))
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id)
                 .values(trader_at_destination=trader, office_of_destination=office))
    set_state(conn, movement.id, states.ARRIVED, "arrived", party,
              {"office": office, "trader": trader, "incidents": len(reported)})
    if reported:
        append_events(conn, movement.id, party, now, [
            ("incident_reported", states.ARRIVED, incidents.recorded(incident, reported_by="arrival notification"))
            for incident in reported])
    if data["TransitOperation"].get("simplifiedProcedure") != "1":
        return IntakeResult([], mrn)  # standard procedure: the office of destination records the control result
    return IntakeResult([permit_unloading(conn, movement, party, office, trader, data, now)], mrn)


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


def permit_unloading(conn: Connection, movement, party: Party, office: str, trader: str, request: dict | None,
                     now: datetime) -> StoredMessage:
    """CC043C: the authorised consignee may unload (again, when the office lets an unfinished unloading go on)."""
    set_state(conn, movement.id, states.UNLOADING, "unloading_permitted", party, {})
    permission = answers.cc043c(jsontext.loads(movement.declaration), movement.mrn, office, trader,
                                movement.submitted_at)
    return send(conn, movement.id, "CC043C", trader, permission, request, now)


def unloading_remarks(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC044C, only from whoever received the CC043C: unloading completed, conform and nothing found closes
    the movement; remarks, discrepancies (its Consignment block), broken seals or an unfinished unloading
    go to the office of destination, which decides (TIS "Unloading Permission Received - Unloading Remarks")."""
    now = clock.now()
    mrn = data["TransitOperation"]["MRN"]
    movement = for_message(conn, party, data, "CC044C")  # only whoever received the CC043C (authorisation.py)
    log_incoming(conn, movement.id, data, xml, party, now)
    office = data["CustomsOfficeOfDestinationActual"]["referenceNumber"]
    if movement.state != states.UNLOADING:
        return reject_at_destination(conn, party, data,
                                     [wrong_state("CC044C", movement.state, "/CC044C/TransitOperation/MRN")],
                                     now, movement.id, mrn, office, data["TraderAtDestination"]["identificationNumber"])
    found = context.unloading_remarks_problems(data, jsontext.loads(movement.declaration))
    if found:
        return reject_at_destination(conn, party, data, found, now, movement.id, mrn, office,
                                     movement.trader_at_destination)
    remark = data.get("UnloadingRemark", {})
    if unloaded_as_declared(data):
        return IntakeResult(close(conn, movement, party, now, "unloading remarks conform"), mrn)
    set_state(conn, movement.id, states.DISCREPANCIES, "unloading_remarks", party,
              {"conform": remark.get("conform"), "unloadingCompletion": remark.get("unloadingCompletion"),
               "stateOfSeals": remark.get("stateOfSeals"), "remark": remark.get("unloadingRemark", ""),
               "otherThingsToReport": data["TransitOperation"].get("otherThingsToReport"),
               "found": data.get("Consignment")})
    return IntakeResult([], mrn)


def unloaded_as_declared(remarks: dict) -> bool:
    """CC044C: unloading completed and conform, seals intact (or none), and no consignment as found
    (which would state discrepancies): the goods may be released without the office deciding."""
    remark = remarks.get("UnloadingRemark", {})
    return (remark.get("conform") == "1" and remark.get("unloadingCompletion") == "1"
            and remark.get("stateOfSeals", "1") == "1" and "Consignment" not in remarks)


def reject_at_destination(conn: Connection, party: Party, data: dict, found: list[Problem], now: datetime,
                          movement_id: int, mrn: str, office: str, trader: str) -> IntakeResult:
    """CC057C, the office of destination's rejection, with a pointer to each offending element."""
    body = answers.cc057c(data, found, now, mrn, office, trader, data["messageType"][2:5], values_at(data, found))
    answer = send(conn, movement_id, "CC057C", recipient(party), body, data, now, problems=found)
    return IntakeResult([answer], mrn)


def close(conn: Connection, movement, party: Party, now: datetime, why: str,
          released_at_destination: bool = False) -> list[StoredMessage]:
    """Control result conform: goods released at destination (CC025C, unless already released), guarantee
    discharged, movement written off (CC045C)."""
    declared = jsontext.loads(movement.declaration)
    discharge_guarantees(guarantee_reference(movement))
    set_state(conn, movement.id, states.CLOSED, "control_result_conform", party, {"why": why})
    out = []
    trader = movement.trader_at_destination
    if trader and not released_at_destination:
        out.append(send(conn, movement.id, "CC025C", trader,
                         answers.cc025c(movement.mrn, movement.office_of_destination, trader, now), None, now))
    out.extend(send_to_holder_side(conn, movement, "CC045C", answers.cc045c(declared, movement.mrn, now), None, now))
    return out
