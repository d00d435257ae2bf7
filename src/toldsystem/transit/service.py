"""Transit use cases: intake of NCTS messages, the movement's lifecycle, the officer's decisions.

Every incoming message is handled in one unit of work: the message, the movement's change,
its audit events, the GMS ledger entries and every answer are committed together or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cached_property
from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Conflict, NotFound, Problem, problem
from toldsystem.prepared import Prepared, RowsInsert, insert_row
from toldsystem.transit import answers, context, messages, states, store, webhooks
from toldsystem.transit.declaration import declaration_from_data
from toldsystem.transit.mrn import mrn_for
from toldsystem.transit.guarantee_check import discharge_guarantees, free_guarantees, reserve_guarantees
from toldsystem.transit.rules import check_declaration, lrn_unique_per_holder

INCOMING = ("CC015C", "CC013C", "CC014C", "CC007C", "CC044C")


@dataclass(frozen=True)
class StoredMessage:
    """A message in the log: what it is, who it is for, its data and its XML.

    Each message is kept in one form: an incoming one as the XML received (access codes
    removed), an outgoing one as the data we built. The other form is derived on request, the
    same every time, so an intake writes each message once and renders nothing.
    """

    id: int
    movement_id: int | None
    direction: str
    message_type: str
    message_identification: str
    party_eori: str
    created_at: datetime
    stored_data: dict | None
    stored_xml: str | None = None

    @cached_property
    def data(self) -> dict:
        if self.stored_data is not None:
            return self.stored_data
        parsed = messages.parse_message(self.stored_xml.encode("utf-8"))  # valid when received
        if isinstance(parsed, list):
            raise RuntimeError(f"stored message {self.id} no longer reads: {parsed[0].en}")
        return parsed.data

    @cached_property
    def xml(self) -> str:
        if self.stored_xml is not None:
            return self.stored_xml
        body = {k: v for k, v in self.stored_data.items() if k != "_errors"}
        return messages.render(self.message_type, body).decode("utf-8")


@dataclass(frozen=True)
class IntakeResult:
    """What an incoming message produced: the answers (first is the immediate one) and the movement."""

    answers: list[StoredMessage]
    mrn: str | None
    repeated: bool = False


# --- intake ------------------------------------------------------------------------------

def receive_xml(party: Party, body: bytes) -> IntakeResult:
    """An NCTS phase 5 XML message from a trader: parsed, validated, handled; answers in the outbox."""
    parsed = messages.parse_message(body)
    if isinstance(parsed, list):
        return _xml_error(party, parsed)
    return _receive(party, parsed.message_type, parsed.data, body.decode("utf-8"))


def receive_data(party: Party, message_type: str, data: dict) -> IntakeResult:
    """The same message as JSON data: checked against the same schema, then handled the same way."""
    if message_type not in INCOMING:
        return _xml_error(party, [problem("message.type", "/messageType",
                                          f"{message_type} is not a message traders send; use one of {INCOMING}",
                                          f"{message_type} er ikke en meddelelse, som virksomheder sender")])
    data = {**data, "messageType": message_type}
    found = messages.validate_data(message_type, data)
    if found:
        return _xml_error(party, found)
    return _receive(party, message_type, data, messages.render(message_type, data).decode("utf-8"))


def _xml_error(party: Party, problems: list[Problem]) -> IntakeResult:
    """CC917C: the message could not be read or broke the schema; nothing else happens."""
    now = clock.now()
    with _answering() as (conn, sent):
        sent.append(_send(conn, None, "CC917C", recipient(party), answers.cc917c(problems), None, now))
    return IntakeResult(sent, None)


def recipient(party: Party) -> str:
    """Whose outbox a party's answers go to: its EORI, or an officer's name."""
    return party.eori or party.name


@contextmanager
def _answering() -> Iterator[tuple[Connection, list]]:
    """A unit of work whose answers are announced to webhooks once it has committed."""
    sent: list[StoredMessage] = []
    with db.transaction() as conn:
        yield conn, sent
        pushes = webhooks.targets(conn, sent)
        if pushes:
            db.after_commit(lambda: webhooks.push(pushes))


def _functional_error(party: Party, data: dict, xml: str, problems: list[Problem]) -> IntakeResult:
    """CC906C: a well-formed message that cannot be handled, e.g. for an MRN that is not the sender's."""
    now = clock.now()
    operation = data.get("TransitOperation", {})
    header = {k: operation[k] for k in ("LRN", "MRN") if operation.get(k)}
    body = {"Header": header, "FunctionalError": answers.functional_errors(problems, _values_at(data, problems))}
    with _answering() as (conn, sent):
        _log_incoming(conn, None, data, xml, party, now)
        sent.append(_send(conn, None, "CC906C", recipient(party), body, data, now, problems=problems))
    return IntakeResult(sent, None)


class _DuplicateLrn(Exception):
    """The database's LRN constraint caught a second movement; the unit of work is undone."""


# An accessCode element from its name on: a pattern that starts with a literal is searched for
# quickly, where one that starts at "<" is tried at every tag of the message.
_ACCESS_CODE_FROM_NAME = re.compile(r"accessCode\b[^>]*>[^<]*</(?:\w+:)?accessCode>")
_TAG_OPENING = re.compile(r"<(?:\w+:)?")


def without_access_code_elements(xml: str) -> str:
    """The XML with every accessCode element cut out, as it may be kept (SPEC G)."""
    pieces, kept_to = [], 0
    for found in _ACCESS_CODE_FROM_NAME.finditer(xml):
        opening = xml.rfind("<", kept_to, found.start())
        if opening >= 0 and _TAG_OPENING.fullmatch(xml, opening, found.start()):
            pieces.append(xml[kept_to:opening])
            kept_to = found.end()
    pieces.append(xml[kept_to:])
    return "".join(pieces)


def without_secrets(data: dict) -> dict:
    """The message as it may be kept: access codes are used for the GMS check and then forgotten."""
    if "Guarantee" not in data:
        return data
    return {**data, "Guarantee": [answers.without_access_codes(g) for g in data["Guarantee"]]}


def _receive(party: Party, message_type: str, data: dict, xml: str) -> IntakeResult:
    # Neither the logged message nor the idempotency digest may hold an access code (SPEC G).
    xml = without_access_code_elements(xml)
    digest = jsontext.digest(without_secrets(data))
    key = data["messageIdentification"]
    handler = _HANDLERS[message_type]
    for _attempt in range(2):
        try:
            with _answering() as (conn, sent):
                result = handler(conn, party, data, xml)
                sent.extend(result.answers)
                # Written last: for a message identification seen before, this fails and undoes the rerun,
                # which is cheaper on the whole than looking the key up before every intake.
                _INTAKE_KEY.run(conn, {
                    "party_eori": recipient(party), "message_identification": key, "body_digest": digest,
                    "answer_ids": jsontext.dumps([a.id for a in result.answers]), "created_at": clock.now()})
                return result
        except _DuplicateLrn:
            # Another copy of this LRN won the race; answer as a rejection (or as that same message).
            handler = _declare_duplicate
        except NotFound as missing:
            return _functional_error(party, data, xml, missing.problems)
        except IntegrityError:
            # The message identification was seen before (or arrived twice at once): give its answer.
            with db.reading() as conn:
                repeated = _repeated(conn, party, key, digest)
            if repeated:
                return repeated
            raise
    raise RuntimeError("unreachable: a duplicate LRN is answered on the second attempt")


# Compiled once: intakes run these (_SEEN only for a repeated message), without SQLAlchemy's per-call
# compilation (see prepared.py).
_SEEN = Prepared(select(store.intake_keys.c.body_digest, store.intake_keys.c.answer_ids)
                 .where(store.intake_keys.c.party_eori == bindparam("party"),
                        store.intake_keys.c.message_identification == bindparam("key")))
_NEXT_SERIAL = Prepared(update(store.mrn_serials)
                        .where(store.mrn_serials.c.office == bindparam("for_office"),
                               store.mrn_serials.c.year == bindparam("yr"))
                        .values(last=store.mrn_serials.c.last + 1).returning(store.mrn_serials.c.last))
_INTAKE_KEY = insert_row(store.intake_keys)
_NEW_MOVEMENT = insert_row(store.movements, store.movements.c.id)
_NEW_MESSAGE = insert_row(store.messages)
_NEW_ANSWERS = RowsInsert(store.messages, store.messages.c.id, store.messages.c.message_identification)
_NEW_EVENT = insert_row(store.movement_events)


def _repeated(conn: Connection, party: Party, key: str, digest: str) -> IntakeResult | None:
    """Idempotency: a message identification seen before gets the same answer again."""
    row = _SEEN.run(conn, {"party": recipient(party), "key": key}).first()
    if row is None:
        return None
    if row.body_digest != digest:
        raise Conflict(problem("message.identification_reused", "/messageIdentification",
                               f"messageIdentification {key} was already used for a different message",
                               f"messageIdentification {key} er allerede brugt til en anden meddelelse"))
    ids = jsontext.loads(row.answer_ids)
    found = {m.id: m for m in _messages(conn, store.messages.c.id.in_(ids))}
    ordered = [found[i] for i in ids if i in found]
    mrn = _mrn_of(conn, ordered[0].movement_id) if ordered and ordered[0].movement_id else None
    return IntakeResult(ordered, mrn, repeated=True)


# --- CC015C declaration ------------------------------------------------------------------------

def _declare(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    now = clock.now()
    holder = data.get("HolderOfTheTransitProcedure", {}).get("identificationNumber", "")
    operation = data["TransitOperation"]
    decl = declaration_from_data(data)
    found = decl if isinstance(decl, list) else _acting_problems(party, data)
    if not found:
        ctx = context.for_declaration(conn, holder, operation["LRN"], now)
        found = check_declaration(decl, ctx)
    if found:
        _log_incoming(conn, None, data, xml, party, now)
        return _reject(conn, party, data, found, now)
    # Box D: the simplified procedure is the authorised consignor's, declared and held.
    simplified = ctx.holder_is_authorised_consignor and decl.by_authorised_consignor
    mrn = _allocate_mrn(conn, data["CustomsOfficeOfDeparture"]["referenceNumber"], operation.get("security"), now)
    state, events, outgoing = _guarantee_outcome(conn, data, mrn, simplified, now, accepted=now)
    try:
        movement_id = _NEW_MOVEMENT.run(conn, {
            "holder_eori": holder, "lrn": operation["LRN"], "mrn": mrn, "state": state,
            "declaration_type": operation["declarationType"],
            "office_of_departure": data["CustomsOfficeOfDeparture"]["referenceNumber"],
            "office_of_destination": data["CustomsOfficeOfDestinationDeclared"]["referenceNumber"],
            "trader_at_destination": None, "simplified": simplified, "fallback": decl.extensions.is_fallback,
            "declaration": jsontext.dumps(without_secrets(data)), "submitted_at": now,
            "updated_at": now}).scalar_one()
    except IntegrityError:
        raise _DuplicateLrn from None  # the LRN constraint is the final word; everything here is undone
    _log_incoming(conn, movement_id, data, xml, party, now)
    _events(conn, movement_id, party, now, [("declared", states.ACCEPTED, {"lrn": operation["LRN"], "mrn": mrn}),
                                            *events])
    acknowledged = [("CC928C", holder, answers.cc928c(data, mrn)), ("CC028C", holder, answers.cc028c(data, mrn, now))]
    return IntakeResult(_store_answers(conn, movement_id, data, now, acknowledged + outgoing), mrn)


def _declare_duplicate(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC056C for an LRN that another movement of the holder took meanwhile: the same rule, now known to apply."""
    now = clock.now()
    _log_incoming(conn, None, data, xml, party, now)
    holder = data["HolderOfTheTransitProcedure"]["identificationNumber"]
    ctx = replace(context.for_declaration(conn, holder, data["TransitOperation"]["LRN"], now), lrn_already_used=True)
    return _reject(conn, party, data, [lrn_unique_per_holder(declaration_from_data(data), ctx)], now)


def _acting_problems(party: Party, data: dict) -> list[Problem]:
    """A company declares for itself or as the holder's representative (seed 000: own data only)."""
    if party.is_officer:
        return []
    holder = data.get("HolderOfTheTransitProcedure", {}).get("identificationNumber")
    representative = data.get("Representative", {}).get("identificationNumber")
    if party.eori in (holder, representative):
        return []
    return [problem("holder.not_caller", "/CC015C/HolderOfTheTransitProcedure/identificationNumber",
                    f"you ({party.eori}) are neither the holder ({holder}) nor its representative",
                    f"du ({party.eori}) er hverken hovedforpligtet ({holder}) eller dennes repræsentant")]


def _reject(conn: Connection, party: Party, data: dict, found: list[Problem], now: datetime,
            movement_id: int | None = None, mrn: str | None = None) -> IntakeResult:
    """CC056C with a pointer to each offending element; nothing else changes."""
    values = _values_at(data, found)
    rejection_type = data.get("messageType", "CC015C")[2:5]
    body = answers.cc056c(data, found, now, mrn=mrn, rejection_type=rejection_type, values=values)
    answer = _send(conn, movement_id, "CC056C", recipient(party), body, data, now, problems=found)
    return IntakeResult([answer], mrn)


def _values_at(data: dict, found: list[Problem]) -> dict[str, str]:
    """The submitted value at each pointer, for originalAttributeValue."""
    out = {}
    for p in found:
        node: object = data
        for part in p.pointer.strip("/").split("/")[1:]:
            name, _, index = part.partition("[")
            node = node.get(name) if isinstance(node, dict) else None
            if isinstance(node, list):
                position = int(index.rstrip("]") or 1) - 1 if index else 0
                node = node[position] if 0 <= position < len(node) else None
        if isinstance(node, str) and not p.pointer.endswith("accessCode"):  # a secret is never echoed
            out[p.pointer] = node
    return out


def _allocate_mrn(conn: Connection, office: str, security: str | None, now: datetime) -> str:
    """Box 00: the next serial of the office of departure this year, atomically (seed 003)."""
    year = clock.local(now).year
    table = store.mrn_serials
    while True:
        row = _NEXT_SERIAL.run(conn, {"for_office": office, "yr": year}).first()
        if row is not None:
            return mrn_for(office, year, row.last, security)
        try:
            with conn.begin_nested():
                conn.execute(insert(table), {"office": office, "year": year, "last": 0})
        except IntegrityError:
            pass  # another transaction created the row first; update it on the next turn


def _guarantee_outcome(conn: Connection, data: dict, mrn: str, simplified: bool, now: datetime,
                       accepted: datetime) -> tuple[str, list[tuple[str, str, dict]], list[tuple[str, str, dict]]]:
    """GMS check-and-reserve, then release (authorised consignor) or wait for the office (standard procedure).

    Returns the new state, its events and the answers to send.
    """
    holder = data["HolderOfTheTransitProcedure"]["identificationNumber"]
    invalid = reserve_guarantees(conn, data, mrn)
    if invalid:
        detail = {"invalid": [{"grn": grn, "reasons": [p.en for p in ps]} for grn, ps in invalid]}
        return (states.GUARANTEE_INVALID, [("guarantee_not_valid", states.GUARANTEE_INVALID, detail)],
                [("CC055C", holder, answers.cc055c(data, mrn, accepted, invalid))])
    if not simplified:
        return states.AWAITING_RELEASE, [("guarantee_accepted", states.AWAITING_RELEASE, {})], []
    return (states.RELEASED, [("released", states.RELEASED, {"procedure": "authorised consignor"})],
            [("CC029C", holder, answers.cc029c(data, mrn, accepted, now))])


# --- CC013C amendment, CC014C invalidation -----------------------------------------------------

def _amend(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC013C: before release the holder amends the declaration (e.g. a new guarantee); checked again."""
    now = clock.now()
    movement = _movement_for_message(conn, party, data, "CC013C")
    _log_incoming(conn, movement.id, data, xml, party, now)
    declared = jsontext.loads(movement.declaration)
    if movement.state not in states.BEFORE_RELEASE:
        return _reject(conn, party, declared | {"messageType": "CC013C"},
                       [_wrong_state("CC013C", movement.state, "/CC013C/TransitOperation/MRN")], now,
                       movement.id, movement.mrn)
    if "Guarantee" not in data and movement.state == states.GUARANTEE_INVALID:
        return _reject(conn, party, declared | {"messageType": "CC013C"},
                       [problem("amendment.guarantee_required", "/CC013C/Guarantee",
                                "the guarantee was not valid: the amendment must carry a new Guarantee",
                                "sikkerhedsstillelsen var ikke gyldig: ændringen skal indeholde en ny Guarantee")],
                       now, movement.id, movement.mrn)
    amended = _amended_declaration(declared, data)
    decl = declaration_from_data(amended)
    found = decl if isinstance(decl, list) else check_declaration(
        decl, context.for_declaration(conn, movement.holder_eori, None, now))
    if found:
        return _reject(conn, party, amended | {"messageType": "CC013C"}, found, now, movement.id, movement.mrn)
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id)
                 .values(declaration=jsontext.dumps(without_secrets(amended)), updated_at=now))
    if "Guarantee" not in data:  # the guarantee stands as reserved; only the declaration changes
        _events(conn, movement.id, party, now, [("amended", movement.state, {"guarantee": "unchanged"})])
        return IntakeResult([], movement.mrn)
    free_guarantees(movement.mrn)
    state, events, outgoing = _guarantee_outcome(conn, amended, movement.mrn, movement.simplified, now,
                                                 accepted=movement.submitted_at)
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id).values(state=state, updated_at=now))
    _events(conn, movement.id, party, now,
            [("amended", movement.state, {"guarantees": len(amended.get("Guarantee", []))}), *events])
    return IntakeResult(_store_answers(conn, movement.id, data, now, outgoing), movement.mrn)


def _amended_declaration(declared: dict, amendment: dict) -> dict:
    """The declaration with the amendment's blocks replacing the declared ones; LRN and header kept."""
    amended = dict(declared)
    for key, value in amendment.items():
        if key in ("messageSender", "messageRecipient", "preparationDateAndTime", "messageIdentification",
                   "messageType", "correlationIdentifier"):
            continue
        if key == "TransitOperation":
            kept = {k: v for k, v in value.items() if k not in ("MRN", "amendmentTypeFlag")}
            amended["TransitOperation"] = {**declared["TransitOperation"], **kept,
                                           "LRN": declared["TransitOperation"]["LRN"]}
        else:
            amended[key] = value
    return amended


def _invalidate(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC014C → CC009C: accepted before release, refused after (SPEC T lifecycle)."""
    now = clock.now()
    movement = _movement_for_message(conn, party, data, "CC014C")
    _log_incoming(conn, movement.id, data, xml, party, now)
    declared = jsontext.loads(movement.declaration)
    requested = _parse_time(data.get("Invalidation", {}).get("requestDateAndTime")) or now
    justification = data.get("Invalidation", {}).get("justification")
    if movement.state not in states.BEFORE_RELEASE:
        body = answers.cc009c(declared, movement.mrn, requested, now, False, False,
                              f"Movement is {movement.state}; only a movement not yet released can be invalidated")
        _events(conn, movement.id, party, now, [("invalidation_refused", movement.state, {})])
    else:
        free_guarantees(movement.mrn)
        _set_state(conn, movement.id, states.INVALIDATED, "invalidated", party, {"justification": justification})
        body = answers.cc009c(declared, movement.mrn, requested, now, True, False, justification)
    return IntakeResult([_send(conn, movement.id, "CC009C", movement.holder_eori, body, data, now)], movement.mrn)


# --- CC007C arrival, CC044C unloading remarks ----------------------------------------------------

def _arrive(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC007C at the office of destination: arrival frees the guarantee amount for reuse (seed 003)."""
    now = clock.now()
    mrn = data["TransitOperation"]["MRN"]
    movement = _movement_by_mrn(conn, mrn, "/CC007C/TransitOperation/MRN")
    trader = data["TraderAtDestination"]["identificationNumber"]
    office = data["CustomsOfficeOfDestinationActual"]["referenceNumber"]
    _log_incoming(conn, movement.id, data, xml, party, now)
    found = context.arrival_problems(party, trader, office, movement.state)
    if found:
        return _reject(conn, party, data, found, now, movement.id, mrn)
    free_guarantees(mrn)
    conn.execute(update(store.movements).where(store.movements.c.id == movement.id)
                 .values(trader_at_destination=trader, office_of_destination=office))
    _set_state(conn, movement.id, states.ARRIVED, "arrived", party, {"office": office, "trader": trader})
    if data["TransitOperation"].get("simplifiedProcedure") != "1":
        return IntakeResult([], mrn)  # standard procedure: the office of destination records the control result
    declared = jsontext.loads(movement.declaration)
    _set_state(conn, movement.id, states.UNLOADING, "unloading_permitted", party, {})
    permission = answers.cc043c(declared, mrn, office, trader, movement.submitted_at)
    return IntakeResult([_send(conn, movement.id, "CC043C", trader, permission, data, now)], mrn)


def _unloading_remarks(conn: Connection, party: Party, data: dict, xml: str) -> IntakeResult:
    """CC044C: conform remarks close the movement; otherwise the office of destination decides."""
    now = clock.now()
    mrn = data["TransitOperation"]["MRN"]
    movement = _movement_by_mrn(conn, mrn, "/CC044C/TransitOperation/MRN")
    _log_incoming(conn, movement.id, data, xml, party, now)
    if party.eori != movement.trader_at_destination or movement.state != states.UNLOADING:
        return _reject(conn, party, data, [_wrong_state("CC044C", movement.state, "/CC044C/TransitOperation/MRN")],
                       now, movement.id, mrn)
    remark = data.get("UnloadingRemark", {})
    if remark.get("conform") == "1":
        return IntakeResult(_close(conn, movement, party, now, "unloading remarks conform"), mrn)
    _set_state(conn, movement.id, states.DISCREPANCIES, "unloading_remarks", party,
               {"remark": remark.get("unloadingRemark", ""), "stateOfSeals": remark.get("stateOfSeals")})
    return IntakeResult([], mrn)


def _close(conn: Connection, movement, party: Party, now: datetime, why: str) -> list[StoredMessage]:
    """Control result conform: goods released at destination, guarantee discharged, movement written off."""
    declared = jsontext.loads(movement.declaration)
    discharge_guarantees(movement.mrn)
    _set_state(conn, movement.id, states.CLOSED, "control_result_conform", party, {"why": why})
    out = []
    trader = movement.trader_at_destination
    if trader:
        out.append(_send(conn, movement.id, "CC025C", trader,
                         answers.cc025c(movement.mrn, movement.office_of_destination, trader, now), None, now))
    out.append(_send(conn, movement.id, "CC045C", movement.holder_eori,
                     answers.cc045c(declared, movement.mrn, now), None, now))
    return out


# --- the officer's decisions -------------------------------------------------------------------

def release(officer: Party, mrn: str) -> list[StoredMessage]:
    """The office of departure releases a movement in the standard procedure, or after its control."""
    now = clock.now()
    with _answering() as (conn, sent):
        movement = _movement_by_mrn(conn, mrn, "mrn", lock=True)
        _require_state(movement, {states.AWAITING_RELEASE, states.UNDER_CONTROL}, "release")
        declared = jsontext.loads(movement.declaration)
        _set_state(conn, movement.id, states.RELEASED, "released", officer, {})
        sent.append(_send(conn, movement.id, "CC029C", movement.holder_eori,
                      answers.cc029c(declared, mrn, movement.submitted_at, now), None, now))
        return sent


def decide_control(officer: Party, mrn: str, controls: list[str], text: str | None = None) -> list[StoredMessage]:
    """CC060C: the office decides to control before release."""
    now = clock.now()
    with _answering() as (conn, sent):
        movement = _movement_by_mrn(conn, mrn, "mrn", lock=True)
        _require_state(movement, {states.AWAITING_RELEASE}, "control")
        _set_state(conn, movement.id, states.UNDER_CONTROL, "control_decided", officer, {"controls": controls})
        sent.append(_send(conn, movement.id, "CC060C", movement.holder_eori,
                      answers.cc060c(jsontext.loads(movement.declaration), mrn, now, controls, text), None, now))
        return sent


def refuse_release(officer: Party, mrn: str, text: str, code: str = "01") -> list[StoredMessage]:
    """CC051C: the movement is not released (e.g. no valid guarantee); reservations are freed."""
    now = clock.now()
    with _answering() as (conn, sent):
        movement = _movement_by_mrn(conn, mrn, "mrn", lock=True)
        _require_state(movement, states.BEFORE_RELEASE, "refuse release of")
        free_guarantees(mrn)
        _set_state(conn, movement.id, states.NOT_RELEASED, "not_released", officer, {"text": text})
        sent.append(_send(conn, movement.id, "CC051C", movement.holder_eori,
                      answers.cc051c(jsontext.loads(movement.declaration), mrn, movement.submitted_at, code, text),
                      None, now))
        return sent


def record_control_result(officer: Party, mrn: str, conform: bool, text: str = "") -> list[StoredMessage]:
    """Control result at destination: conform closes the movement; otherwise discrepancies stay open."""
    now = clock.now()
    with _answering() as (conn, sent):
        movement = _movement_by_mrn(conn, mrn, "mrn", lock=True)
        _require_state(movement, {states.ARRIVED, states.UNLOADING, states.DISCREPANCIES}, "record a control result for")
        if conform:
            sent.extend(_close(conn, movement, officer, now, text or "control result conform"))
            return sent
        _set_state(conn, movement.id, states.DISCREPANCIES, "control_result_discrepancies", officer, {"text": text})
        return []


# --- reading -------------------------------------------------------------------------------------

def movement(party: Party, mrn: str) -> dict:
    """A movement as its holder, its trader at destination or an officer sees it."""
    with db.reading() as conn:
        row = _movement_by_mrn(conn, mrn, "mrn")
        _require_visible(party, row)
        return _movement_out(row)


def movement_declaration(party: Party, mrn: str) -> dict:
    """The declaration data as accepted (amended by CC013C), without access codes."""
    with db.reading() as conn:
        row = _movement_by_mrn(conn, mrn, "mrn")
        _require_visible(party, row)
        return jsontext.loads(row.declaration)  # stored without access codes


def list_movements(party: Party, *, updated_since: datetime | None = None, lrn: str | None = None,
                   mrn: str | None = None, holder: str | None = None, state: str | None = None,
                   page: int = 1, page_size: int = 50) -> dict:
    """Movements the party may see, newest change first, filtered and paged."""
    m = store.movements
    query = select(m)
    if not party.is_officer:
        query = query.where((m.c.holder_eori == party.eori) | (m.c.trader_at_destination == party.eori))
    for column, value in ((m.c.lrn, lrn), (m.c.mrn, mrn), (m.c.holder_eori, holder), (m.c.state, state)):
        if value:
            query = query.where(column == value)
    if updated_since:
        query = query.where(m.c.updated_at > updated_since)
    page_size = max(1, min(page_size, 500))
    with db.reading() as conn:
        rows = conn.execute(query.order_by(m.c.updated_at.desc(), m.c.id.desc())
                            .limit(page_size + 1).offset((max(page, 1) - 1) * page_size)).all()
    return {"page": max(page, 1), "page_size": page_size, "has_more": len(rows) > page_size,
            "movements": [_movement_out(r) for r in rows[:page_size]]}


def events(party: Party, mrn: str) -> list[dict]:
    """The movement's audit trail, oldest first."""
    with db.reading() as conn:
        row = _movement_by_mrn(conn, mrn, "mrn")
        _require_visible(party, row)
        e = store.movement_events
        return [{"at": r.at, "event": r.event, "state": r.state, "actor": r.actor, "detail": jsontext.loads(r.detail)}
                for r in conn.execute(select(e).where(e.c.movement_id == row.id).order_by(e.c.id))]


def movement_messages(party: Party, mrn: str) -> list[StoredMessage]:
    """The messages of a movement the party may see: all for officers, its own for a company."""
    with db.reading() as conn:
        row = _movement_by_mrn(conn, mrn, "mrn")
        _require_visible(party, row)
        condition = store.messages.c.movement_id == row.id
        if not party.is_officer:
            condition = condition & (store.messages.c.party_eori == party.eori)
        return _messages(conn, condition)


def outbox(party: Party, since: int = 0, limit: int = 100) -> list[StoredMessage]:
    """Answers for the party with an id above `since`, oldest first (fetch 'all since')."""
    with db.reading() as conn:
        return _messages(conn, (store.messages.c.direction == "out") & (store.messages.c.party_eori == recipient(party))
                         & (store.messages.c.id > since), limit=max(1, min(limit, 1000)))


def message(party: Party, message_id: int) -> StoredMessage:
    """One message, if it is the party's."""
    with db.reading() as conn:
        found = _messages(conn, store.messages.c.id == message_id)
    if not found or not (party.is_officer or found[0].party_eori == recipient(party)):
        raise NotFound(problem("message.unknown", "id", f"no message {message_id}", f"ingen meddelelse {message_id}"))
    return found[0]


# --- helpers -------------------------------------------------------------------------------------

def _messages(conn: Connection, condition, limit: int | None = None) -> list[StoredMessage]:
    query = select(store.messages).where(condition).order_by(store.messages.c.id)
    if limit:
        query = query.limit(limit)
    return [StoredMessage(r.id, r.movement_id, r.direction, r.message_type, r.message_identification, r.party_eori,
                          r.created_at, jsontext.loads(r.data) if r.data is not None else None, r.xml)
            for r in conn.execute(query)]


def _send(conn: Connection, movement_id: int | None, message_type: str, recipient: str, body: dict,
          request: dict | None, now: datetime, problems: list[Problem] | None = None) -> StoredMessage:
    """Render one answer and put it in the recipient's outbox."""
    return _store_answers(conn, movement_id, request, now, [(message_type, recipient, body)], problems)[0]


def _store_answers(conn: Connection, movement_id: int | None, request: dict | None, now: datetime,
                   outgoing: list[tuple[str, str, dict]], problems: list[Problem] | None = None) -> list[StoredMessage]:
    """Log answers in their recipients' outboxes in one statement; problems ride along in JSON."""
    if not outgoing:
        return []
    correlation = request.get("messageIdentification") if request else None
    rows = []
    for message_type, recipient, body in outgoing:
        data = answers.with_header(message_type, recipient, now, body, correlation)
        if problems:
            data["_errors"] = [p.as_dict() for p in problems]  # English and Danish texts for JSON clients
        rows.append({"movement_id": movement_id, "direction": "out", "message_type": message_type,
                     "message_identification": data["messageIdentification"], "correlation_identifier": correlation,
                     "party_eori": recipient, "created_at": now, "xml": None, "data": data})
    inserted = _NEW_ANSWERS.run(conn, [row | {"data": jsontext.dumps(row["data"])} for row in rows]).all()
    ids = {r.message_identification: r.id for r in inserted}  # RETURNING promises no order; identifications are unique
    return [StoredMessage(ids[r["message_identification"]], movement_id, "out", r["message_type"],
                          r["message_identification"], r["party_eori"], now, r["data"]) for r in rows]


def _log_incoming(conn: Connection, movement_id: int | None, data: dict, xml: str, party: Party, now: datetime) -> None:
    """The message as received, without access codes; its data is read from that XML when asked for."""
    _NEW_MESSAGE.run(conn, {
        "movement_id": movement_id, "direction": "in", "message_type": data["messageType"],
        "message_identification": data["messageIdentification"],
        "correlation_identifier": data.get("correlationIdentifier"), "party_eori": recipient(party),
        "created_at": now, "xml": xml, "data": None})


def _events(conn: Connection, movement_id: int, actor: Party, at: datetime,
            events: list[tuple[str, str, dict]]) -> None:
    """Append events (event, resulting state, detail) to the movement's audit trail."""
    who = f"{actor.kind}:{actor.eori or actor.name}"
    _NEW_EVENT.run_many(conn, [
        {"movement_id": movement_id, "at": at, "event": event, "state": state, "actor": who,
         "detail": jsontext.dumps(detail)} for event, state, detail in events])


def _set_state(conn: Connection, movement_id: int, state: str, event: str, actor: Party, detail: dict) -> None:
    """Every state change is an event in the audit trail (SPEC T)."""
    now = clock.now()
    conn.execute(update(store.movements).where(store.movements.c.id == movement_id).values(state=state, updated_at=now))
    _events(conn, movement_id, actor, now, [(event, state, detail)])


def _mrn_of(conn: Connection, movement_id: int) -> str | None:
    return conn.execute(select(store.movements.c.mrn).where(store.movements.c.id == movement_id)).scalar_one_or_none()


def _movement_by_mrn(conn: Connection, mrn: str, pointer: str, lock: bool = False):
    query = select(store.movements).where(store.movements.c.mrn == mrn)
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(problem("movement.unknown", pointer, f"no movement with MRN {mrn}",
                               f"ingen forsendelse med MRN {mrn}"))
    return row


def _movement_for_message(conn: Connection, party: Party, data: dict, message_type: str):
    mrn = data.get("TransitOperation", {}).get("MRN")
    lrn = data.get("TransitOperation", {}).get("LRN")
    m = store.movements
    query = select(m).where(m.c.mrn == mrn) if mrn else select(m).where(m.c.lrn == lrn, m.c.holder_eori == party.eori)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None or not (party.is_officer or row.holder_eori == party.eori):
        raise NotFound(problem("movement.unknown", f"/{message_type}/TransitOperation/{'MRN' if mrn else 'LRN'}",
                               f"no movement of yours with {'MRN ' + mrn if mrn else 'LRN ' + str(lrn)}",
                               "ingen forsendelse med det nummer"))
    return row


def _require_visible(party: Party, row) -> None:
    if not (party.is_officer or party.eori in (row.holder_eori, row.trader_at_destination)):
        raise NotFound(problem("movement.unknown", "mrn", f"no movement with MRN {row.mrn}",
                               f"ingen forsendelse med MRN {row.mrn}"))


def _require_state(movement, allowed: set[str] | frozenset[str], action: str) -> None:
    if movement.state not in allowed:
        raise Conflict(problem("movement.state", "mrn", f"cannot {action} a movement that is {movement.state}",
                               f"kan ikke udføre handlingen på en forsendelse med status {movement.state}"))


def _wrong_state(message_type: str, state: str, pointer: str) -> Problem:
    return problem("movement.state_not_allowed", pointer, f"{message_type} is not allowed while the movement is {state}",
                   f"{message_type} er ikke tilladt, når forsendelsen har status {state}")


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=clock.COPENHAGEN)


def _movement_out(row) -> dict:
    return {"id": row.id, "mrn": row.mrn, "lrn": row.lrn, "state": row.state, "holder_eori": row.holder_eori,
            "declaration_type": row.declaration_type, "office_of_departure": row.office_of_departure,
            "office_of_destination": row.office_of_destination, "trader_at_destination": row.trader_at_destination,
            "simplified": row.simplified, "fallback": row.fallback, "submitted_at": row.submitted_at,
            "updated_at": row.updated_at}


_HANDLERS = {"CC015C": _declare, "CC013C": _amend, "CC014C": _invalidate, "CC007C": _arrive,
             "CC044C": _unloading_remarks}

__all__ = ["receive_xml", "receive_data", "release", "decide_control", "refuse_release", "record_control_result",
           "recipient", "movement", "list_movements", "events", "movement_messages", "outbox", "message"]
