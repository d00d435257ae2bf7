"""At the office of departure: the declaration (CC015C), its amendment (CC013C) and invalidation (CC014C)."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, update
from sqlalchemy.exc import IntegrityError

from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Problem, problem
from toldsystem.guarantees import service as guarantees
from toldsystem.prepared import Prepared, insert_row
from toldsystem.transit import answers, answers_holder, authorisation, context, states, store
from toldsystem.transit.declaration import declaration_from_data
from toldsystem.transit.guarantee_check import (access_proofs, free_guarantees, guarantee_reference, has_reservations,
                                                holds_the_same, next_guarantee_reference, reserve_guarantees)
from toldsystem.transit.mrn import drawn_serial, mrn_for
from toldsystem.transit.presentation import PRE_LODGED_TYPE
from toldsystem.transit.rules import (amendment_problems, check_declaration, invalidation_request_problems,
                                      lrn_unique_per_holder)
from toldsystem.transit.service.log import (IntakeResult, append_events, log_incoming, reject, send_to_holder_side,
                                            set_state, store_answers, to_holder_side, without_secrets)
from toldsystem.transit.service.movements import for_message, parse_time, wrong_state

_NEXT_SERIAL = Prepared(update(store.mrn_serials)
                        .where(store.mrn_serials.c.office == bindparam("for_office"),
                               store.mrn_serials.c.year == bindparam("yr"))
                        .values(last=store.mrn_serials.c.last + 1)
                        .returning(store.mrn_serials.c.last, store.mrn_serials.c.serial_key))
_NEW_MOVEMENT = insert_row(store.movements, store.movements.c.id)


class DuplicateLrn(Exception):
    """The database's LRN constraint caught a second movement; the unit of work is undone."""


def declare(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    now = clock.now()
    holder = data.get("HolderOfTheTransitProcedure", {}).get("identificationNumber", "")
    representative = data.get("Representative", {}).get("identificationNumber")
    operation = data["TransitOperation"]
    decl = declaration_from_data(data)
    found = decl if isinstance(decl, list) else _acting_problems(party, data, holder, representative)
    if not found:
        ctx = context.for_declaration(conn, holder, operation["LRN"], now, decl)
        found = check_declaration(decl, ctx)
    if found:
        log_incoming(conn, None, data, xml, party, now)
        return reject(conn, party, data, found, now)
    # Box D: the simplified procedure is the authorised consignor's, declared and held.
    simplified = ctx.holder_is_authorised_consignor and decl.by_authorised_consignor
    if operation.get("additionalDeclarationType") == PRE_LODGED_TYPE:
        return _lodge_before_presentation(conn, party, data, xml, simplified, decl.extensions.is_fallback, now)
    mrn = allocate_mrn(conn, data["CustomsOfficeOfDeparture"]["referenceNumber"], operation.get("security"), now)
    state, events, outgoing = guarantee_outcome(party, data, mrn, simplified, now, accepted=now)
    movement_id = _new_movement(conn, data, mrn, state, simplified, decl.extensions.is_fallback, now)
    log_incoming(conn, movement_id, data, xml, party, now)
    append_events(conn, movement_id, party, now, [("declared", states.ACCEPTED, {"lrn": operation["LRN"], "mrn": mrn}),
                                                  *events])
    acknowledged = [("CC928C", answers.cc928c(data)), ("CC028C", answers.cc028c(data, mrn, now))]
    return IntakeResult(store_answers(conn, movement_id, data, now,
                                      to_holder_side(holder, representative, acknowledged + outgoing)), mrn)


def _lodge_before_presentation(conn: Connection, party: Party, data: dict, xml: str, simplified: bool,
                               fallback: bool, now: datetime) -> IntakeResult:
    """A pre-lodged declaration is acknowledged (CC928C) and waits for its presentation notification
    (CC170C); the MRN, the guarantee check and the release follow the presentation (TIS, "Transit
    presentation notification valid")."""
    operation = data["TransitOperation"]
    movement_id = _new_movement(conn, data, None, states.PRE_LODGED, simplified, fallback, now,
                                proofs=access_proofs(data))
    log_incoming(conn, movement_id, data, xml, party, now)
    append_events(conn, movement_id, party, now, [("pre_lodged", states.PRE_LODGED, {"lrn": operation["LRN"]})])
    holder = data["HolderOfTheTransitProcedure"]["identificationNumber"]
    acknowledged = to_holder_side(holder, _representative_of(data), [("CC928C", answers.cc928c(data))])
    return IntakeResult(store_answers(conn, movement_id, data, now, acknowledged), None)


def _new_movement(conn: Connection, data: dict, mrn: str | None, state: str, simplified: bool, fallback: bool,
                  now: datetime, proofs: dict[str, str] | None = None) -> int:
    operation = data["TransitOperation"]
    try:
        return _NEW_MOVEMENT.run(conn, {
            "holder_eori": data["HolderOfTheTransitProcedure"]["identificationNumber"], "lrn": operation["LRN"],
            "mrn": mrn, "state": state, "declaration_type": operation["declarationType"],
            "office_of_departure": data["CustomsOfficeOfDeparture"]["referenceNumber"],
            "office_of_destination": data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"],
            "trader_at_destination": None, "representative_eori": _representative_of(data),
            "simplified": simplified, "fallback": fallback,
            "declaration": jsontext.dumps(without_secrets(data)), "guarantee_ref": None,
            "access_proofs": jsontext.dumps(proofs) if proofs else None, "submitted_at": now,
            "updated_at": now}).scalar_one()
    except IntegrityError:
        raise DuplicateLrn from None  # the LRN constraint is the final word; everything here is undone


def _representative_of(data: dict) -> str | None:
    """The representative a declaration names, beside its holder (None when it names the holder itself)."""
    named = data.get("Representative", {}).get("identificationNumber")
    return named if named != data["HolderOfTheTransitProcedure"]["identificationNumber"] else None


def declare_duplicate(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC056C for an LRN that another movement of the holder took meanwhile: the same rule, now known to apply."""
    now = clock.now()
    log_incoming(conn, None, data, xml, party, now)
    holder = data["HolderOfTheTransitProcedure"]["identificationNumber"]
    ctx = replace(context.for_declaration(conn, holder, data["TransitOperation"]["LRN"], now), lrn_already_used=True)
    return reject(conn, party, data, [lrn_unique_per_holder(declaration_from_data(data), ctx)], now)


def _uses_gms_guarantee(data: dict) -> bool:
    return any(guarantees.requires_grn(g.get("guaranteeType", "")) for g in data.get("Guarantee", []))


def _acting_problems(party: Party, data: dict, holder: str, representative: str | None) -> list[Problem]:
    """CC015C (transit/authorisation.py): the holder declares, or the Representative it names under its power."""
    found = authorisation.sender_is_holder_or_representative("CC015C", party, holder, representative)
    if found:
        return [found]  # nothing more is said about another holder's affairs
    scopes = companies.power_scopes(holder, representative) if representative else frozenset()
    found = authorisation.representative_has_power("CC015C", holder, representative, scopes, "transit.declare")
    if found is None:
        found = authorisation.representative_may_use_guarantees("CC015C", party, holder, scopes,
                                                                _uses_gms_guarantee(data))
    return [found] if found else []


def allocate_mrn(conn: Connection, office: str, security: str | None, now: datetime) -> str:
    """Box 00: the office of departure's next serial this year, atomically (seed 003), drawn through the
    office-year's own permutation key (transit/mrn.drawn_serial)."""
    year = clock.local(now).year
    table = store.mrn_serials
    while True:
        row = _NEXT_SERIAL.run(conn, {"for_office": office, "yr": year}).first()
        if row is not None:
            key = bytes.fromhex(row.serial_key) if row.serial_key else None
            return mrn_for(office, year, drawn_serial(row.last, key), security)
        try:
            with conn.begin_nested():
                conn.execute(insert(table), {"office": office, "year": year, "last": 0,
                                             "serial_key": secrets.token_hex(32)})
        except IntegrityError:
            pass  # another transaction created the row first; update it on the next turn


def guarantee_outcome(party: Party, data: dict, mrn: str, simplified: bool, now: datetime,
                      accepted: datetime, reference: str | None = None, proofs: dict[str, str] | None = None
                      ) -> tuple[str, list[tuple[str, str, dict]], list[tuple[str, dict]]]:
    """GMS check-and-reserve (under `reference`, by default the MRN; wrong access codes counted against
    the sender), then release (authorised consignor) or wait for the office (standard procedure).

    Returns the new state, its events and the answers to send to the holder's side.
    """
    invalid = reserve_guarantees(data, reference or mrn, caller=party.key, proofs=proofs)
    if invalid:
        detail = {"invalid": [{"grn": grn, "reasons": [p.en for p in ps]} for grn, ps in invalid]}
        return (states.GUARANTEE_INVALID, [("guarantee_not_valid", states.GUARANTEE_INVALID, detail)],
                [("CC055C", answers.cc055c(data, mrn, accepted, invalid))])
    if not simplified:
        return states.AWAITING_RELEASE, [("guarantee_accepted", states.AWAITING_RELEASE, {})], []
    return (states.RELEASED, [("released", states.RELEASED, {"procedure": "authorised consignor"})],
            [("CC029C", answers.cc029c(data, mrn, accepted, now))])


# --- CC013C amendment, CC014C invalidation -----------------------------------------------------

def amend(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC013C: before release the holder amends the declaration; accepted with CC004C (rejected with
    CC056C), and an amended guarantee is checked again (TIS "Declaration amendment accepted/rejected";
    before presentation, "Corrections of the pre-lodgement declaration")."""
    now = clock.now()
    movement = for_message(conn, party, data, "CC013C")
    log_incoming(conn, movement.id, data, xml, party, now)
    declared = jsontext.loads(movement.declaration)
    refused = _amending_problems(party, movement, data) or _amendment_refused(movement, data)
    if refused:
        return reject(conn, party, declared | {"messageType": "CC013C"}, refused, now, movement.id, movement.mrn)
    amended = _amended_declaration(declared, data)
    decl = declaration_from_data(amended, root="/CC013C")
    found = amendment_problems(data, declared, movement.state == states.GUARANTEE_INVALID) or (
        decl if isinstance(decl, list) else check_declaration(
            decl, context.for_declaration(conn, movement.holder_eori, None, now, decl)))
    if found:
        return reject(conn, party, amended | {"messageType": "CC013C"}, found, now, movement.id, movement.mrn)
    named = amended.get("Representative", {}).get("identificationNumber")
    representative = named if named != movement.holder_eori else None
    kept = {"declaration": jsontext.dumps(without_secrets(amended)), "updated_at": now,
            "representative_eori": representative}
    if movement.state == states.PRE_LODGED and "Guarantee" in data:
        proofs = access_proofs(amended)  # the new guarantee is checked when the goods are presented
        kept["access_proofs"] = jsontext.dumps(proofs) if proofs else None
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id).values(**kept))
    accepted = [("CC004C", answers_holder.cc004c(amended, movement.mrn, now, now))]
    if "Guarantee" not in data or movement.state == states.PRE_LODGED:
        # The guarantee stands as reserved (pre-lodged: it is checked when the goods are presented).
        checked = "when presented" if movement.state == states.PRE_LODGED else "unchanged"
        append_events(conn, movement.id, party, now, [("amended", movement.state, {"guarantee": checked})])
        return IntakeResult(store_answers(conn, movement.id, data, now,
                                          to_holder_side(movement.holder_eori, representative, accepted)), movement.mrn)
    state, events, outgoing, reference = _guarantee_again(party, movement, amended, now)
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id)
                 .values(state=state, guarantee_ref=reference if reference != movement.mrn else None, updated_at=now))
    append_events(conn, movement.id, party, now,
                  [("amended", movement.state, {"guarantees": len(amended.get("Guarantee", [])),
                                                "guarantee_reference": reference}), *events])
    answers_ = to_holder_side(movement.holder_eori, representative, accepted + outgoing)
    return IntakeResult(store_answers(conn, movement.id, data, now, answers_), movement.mrn)


def _amendment_refused(movement, data: dict) -> list[Problem]:
    """An amendment is possible until release; after a CC055C it must bring a new guarantee."""
    if movement.state not in states.BEFORE_RELEASE:
        pointer = "/CC013C/TransitOperation/" + ("MRN" if data["TransitOperation"].get("MRN") else "LRN")
        return [wrong_state("CC013C", movement.state, pointer)]
    if "Guarantee" not in data and movement.state == states.GUARANTEE_INVALID:
        return [problem("amendment.guarantee_required", "/CC013C/Guarantee",
                        "the guarantee was not valid: the amendment must carry a new Guarantee",
                        "sikkerhedsstillelsen var ikke gyldig: ændringen skal indeholde en ny Guarantee")]
    return []


def _guarantee_again(party: Party, movement, amended: dict, now: datetime):
    """Check the amended guarantees. What GMS already holds for the movement is checked again and kept
    (a valid guarantee stays valid); changed guarantees replace it: the old amounts are freed and the
    new ones reserved under a fresh GMS reference, as GMS reserves a movement reference only once.

    Returns the new state, its events, the answers and the GMS reference now in use.
    """
    current = guarantee_reference(movement)
    kept = holds_the_same(current, amended)
    reference = current
    if not kept and has_reservations(current):
        free_guarantees(current)
        reference = next_guarantee_reference(movement.mrn, current)
    state, events, outgoing = guarantee_outcome(party, amended, movement.mrn, movement.simplified, now,
                                                accepted=movement.submitted_at, reference=reference)
    if kept and state == states.GUARANTEE_INVALID:
        free_guarantees(current)  # e.g. its access code was withdrawn meanwhile: nothing stays held
    if state == states.AWAITING_RELEASE and movement.state == states.UNDER_CONTROL:
        state, events = states.UNDER_CONTROL, [("guarantee_accepted", states.UNDER_CONTROL, {})]
    return state, events, outgoing, reference


def _amending_problems(party: Party, movement, data: dict) -> list[Problem]:
    """CC013C keeps the holder; a new Representative it names holds the holder's power to declare; a
    representative naming the holder's GMS guarantees holds the power to use them (transit/authorisation.py)."""
    holder = movement.holder_eori
    named = data.get("Representative", {}).get("identificationNumber")
    representative = named if named != movement.representative_eori else None  # the declared one was checked
    named_scopes = companies.power_scopes(holder, representative) if representative else frozenset()
    sender_scopes = companies.power_scopes(holder, party.eori) if party.eori != holder else frozenset()
    named_holder = data.get("HolderOfTheTransitProcedure", {}).get("identificationNumber")
    return [p for p in (authorisation.holder_unchanged("CC013C", holder, named_holder),
                        authorisation.representative_has_power("CC013C", holder, representative, named_scopes,
                                                               "transit.declare"),
                        authorisation.representative_may_use_guarantees("CC013C", party, holder, sender_scopes,
                                                                        _uses_gms_guarantee(data))) if p]


def _amended_declaration(declared: dict, amendment: dict) -> dict:
    """The declaration with the amendment's blocks replacing the declared ones; LRN, the additional
    declaration type (A, or D until presented) and the header kept."""
    amended = dict(declared)
    for key, value in amendment.items():
        if key in ("messageSender", "messageRecipient", "preparationDateAndTime", "messageIdentification",
                   "messageType", "correlationIdentifier"):
            continue
        if key == "TransitOperation":
            kept = {k: v for k, v in value.items() if k not in ("MRN", "amendmentTypeFlag")}
            amended["TransitOperation"] = {**declared["TransitOperation"], **kept,
                                           "LRN": declared["TransitOperation"]["LRN"],
                                           "additionalDeclarationType":
                                               declared["TransitOperation"].get("additionalDeclarationType", "A")}
        else:
            amended[key] = value
    return amended


def invalidate(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC014C → CC009C before release (a pre-lodged declaration too); after release refused with CC056C,
    code 92 (TIS "Cancellation request by the holder ... after release for transit")."""
    now = clock.now()
    movement = for_message(conn, party, data, "CC014C")
    log_incoming(conn, movement.id, data, xml, party, now)
    declared = jsontext.loads(movement.declaration)
    changed = authorisation.holder_unchanged(
        "CC014C", movement.holder_eori, data.get("HolderOfTheTransitProcedure", {}).get("identificationNumber"))
    if changed:
        return reject(conn, party, data, [changed], now, movement.id, movement.mrn)
    if movement.state not in states.BEFORE_RELEASE:
        pointer = "/CC014C/TransitOperation/" + ("MRN" if data["TransitOperation"].get("MRN") else "LRN")
        return reject(conn, party, declared | {"messageType": "CC014C"},
                      [wrong_state("CC014C", movement.state, pointer)], now, movement.id, movement.mrn)
    requested = parse_time(data.get("Invalidation", {}).get("requestDateAndTime")) or now
    justification = data.get("Invalidation", {}).get("justification")
    if found := invalidation_request_problems(data, context.message_context()):
        return reject(conn, party, declared | {"messageType": "CC014C"}, found, now, movement.id, movement.mrn)
    free_guarantees(guarantee_reference(movement))
    set_state(conn, movement.id, states.INVALIDATED, "invalidated", party, {"justification": justification})
    body = answers.cc009c(declared, movement.mrn, requested, now, True, False, justification)
    return IntakeResult(send_to_holder_side(conn, movement, "CC009C", body, data, now), movement.mrn)
