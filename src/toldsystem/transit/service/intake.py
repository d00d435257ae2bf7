"""Intake of NCTS messages: read, refuse what cannot be handled, dispatch, answer once per message.

Intake has two steps. Reading (`read_xml`, `read_data`) parses and schema-checks the message and
touches no store; it is bounded in bytes, nesting, elements and attributes, and runs wherever the
caller likes — the API runs it in a pool of its own, so a huge or hostile message never holds up
the one thread SQLite's writes go through. Receiving (`receive`) is the unit of work: the message,
the movement's change, its audit events, the GMS ledger entries and every answer are committed
together or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.exc import IntegrityError

from toldsystem import config, db
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Conflict, Forbidden, NotFound, Problem, at_most, problem
from toldsystem.prepared import Prepared, insert_row
from toldsystem.transit import answers, authorisation, messages, store
from toldsystem.transit.messages.parser import Bounds
from toldsystem.transit.service import departure, destination, prelodged
from toldsystem.transit.service.log import (IntakeResult, answering, log_incoming, messages_where, recipient, reject,
                                            send, values_at, without_secrets)
from toldsystem.transit.service.movements import Refused, mrn_of


@dataclass(frozen=True, slots=True)
class Reading:
    """A message as read, before any store is touched: its data, the XML it may be kept as (access codes
    cut out) and its idempotency digest — or the problems that make it a CC917C, with what could be
    made out of whose message it was (for finding the refusal later)."""

    message_type: str
    data: dict | None
    xml: str
    digest: str
    problems: tuple[Problem, ...] = ()
    identification: str | None = None
    lrn: str | None = None


def read_xml(body: bytes) -> Reading:
    """An NCTS phase 5 XML message as received: parsed and schema-checked, within the configured bounds."""
    limits = config.settings().limits
    parsed = messages.parse_message(body, bounds=Bounds.of(limits))
    if isinstance(parsed, list):
        return _unreadable(parsed, *_identity_in(body))
    return _readable(parsed.message_type, parsed.data, body.decode("utf-8"))


def read_data(message_type: str, data: dict) -> Reading:
    """The same message as JSON data: checked against the same schema, rendered as the XML it is kept as."""
    identity = _identity_of(data)
    if message_type not in messages.MESSAGE_TYPES:
        return _unreadable([problem("message.type", "/messageType",
                                    f"{message_type} is not a phase 5 transit message; use one of {INCOMING}",
                                    f"{message_type} er ikke en fase 5-forsendelsesmeddelelse; brug en af "
                                    f"{INCOMING}")], *identity)
    limits = config.settings().limits
    if _nodes(data) > limits.max_xml_elements:
        return _unreadable([problem("data.too_many_elements", f"/{message_type}",
                                    f"The message has more than {limits.max_xml_elements} elements.",
                                    f"Meddelelsen har mere end {limits.max_xml_elements} elementer.")], *identity)
    data = {**data, "messageType": message_type}
    found = messages.validate_data(message_type, data)
    if found:
        return _unreadable(at_most(found, limits.max_problems), *identity)
    return _readable(message_type, data, messages.render(message_type, data).decode("utf-8"))


def _readable(message_type: str, data: dict, xml: str) -> Reading:
    # Neither the logged message nor the idempotency digest may hold an access code (SPEC G).
    return Reading(message_type, data, without_access_code_elements(xml), jsontext.digest(without_secrets(data)))


def _unreadable(problems: list[Problem], identification: str | None, lrn: str | None) -> Reading:
    return Reading("", None, "", "", tuple(problems), identification, lrn)


def receive(party: Party, reading: Reading) -> IntakeResult:
    """Handle a message read before: CC917C for one that could not be read, else its use case, in one unit of work."""
    _require_company(party)
    if reading.problems:
        return _xml_error(party, list(reading.problems), reading.identification, reading.lrn)
    return _receive(party, reading)


def receive_xml(party: Party, body: bytes) -> IntakeResult:
    """An NCTS phase 5 XML message from a trader: read, then handled; answers in the outbox."""
    return receive(party, read_xml(body))


def receive_data(party: Party, message_type: str, data: dict) -> IntakeResult:
    """The same message as JSON data, read and handled the same way."""
    return receive(party, read_data(message_type, data))


def _require_company(party: Party) -> None:
    """Trader messages come from companies; officers act through the office's operations (transit/authorisation.py)."""
    if party.is_officer:
        raise Forbidden(problem("auth.company_only", "Authorization",
                                "NCTS messages are sent by companies; officers decide through the movement's operations",
                                "NCTS-meddelelser sendes af virksomheder; toldmedarbejdere træffer afgørelser via "
                                "forsendelsens handlinger"))


def _sender_problem(party: Party, data: dict) -> None:
    """messageSender is the caller or its registered representative; refused before anything is looked up."""
    sender = data.get("messageSender")
    company = authorisation.sender_company(sender)
    represents = (company != party.eori and bool(company) and bool(companies.power_scopes(party.eori or "", company)))
    found = authorisation.sender_problem(party, data["messageType"], sender, represents)
    if found:
        raise Forbidden(found)


def _refused(party: Party, data: dict, xml: str, refused: Refused) -> IntakeResult:
    """A message the party may not send about a movement it may see, rejected by the office it is for
    (CC057C at destination, CC056C at departure); only the message is logged."""
    now = clock.now()
    with answering() as (conn, sent):
        log_incoming(conn, refused.movement_id, data, xml, party, now)
        if data["messageType"] in destination.MESSAGES:
            answer = destination.reject_at_destination(
                conn, party, data, refused.problems, now, refused.movement_id, refused.mrn,
                data["CustomsOfficeOfDestinationActual"]["referenceNumber"],
                data["TraderAtDestination"]["identificationNumber"])
        else:
            answer = reject(conn, party, data, refused.problems, now, refused.movement_id, refused.mrn)
        sent.extend(answer.answers)
    return IntakeResult(sent, refused.mrn)


def _xml_error(party: Party, problems: list[Problem], identification: str | None = None,
               lrn: str | None = None) -> IntakeResult:
    """CC917C: the message could not be read or broke the schema; nothing else happens.

    It answers the sender's messageIdentification and names the LRN when they could be made out."""
    now = clock.now()
    request = {"messageIdentification": identification, "TransitOperation": {"LRN": lrn}} if identification else None
    with answering() as (conn, sent):
        sent.append(send(conn, None, "CC917C", recipient(party), answers.cc917c(problems, lrn), request, now))
    return IntakeResult(sent, None)


def _functional_error(party: Party, data: dict, xml: str, problems: list[Problem]) -> IntakeResult:
    """CC906C: a well-formed message that cannot be handled, e.g. for an MRN that is not the sender's."""
    now = clock.now()
    problems = at_most(problems, config.settings().limits.max_problems)
    operation = data.get("TransitOperation", {})
    header = {k: operation[k] for k in ("LRN", "MRN") if operation.get(k)}
    body = {"Header": header, "FunctionalError": answers.functional_errors(problems, values_at(data, problems))}
    with answering() as (conn, sent):
        log_incoming(conn, None, data, xml, party, now)
        sent.append(send(conn, None, "CC906C", recipient(party), body, data, now, problems=problems))
    return IntakeResult(sent, None)


# What a message that could not be read says about itself, if it says it plainly: the values are used
# only to let the sender find the refusal (and, in CC917C, as the header's correlation and LRN).
_IDENTIFICATION = re.compile(rb"<messageIdentification>\s*([^<&\s][^<&]{0,34}?)\s*</messageIdentification>")
_LRN = re.compile(rb"<LRN>\s*([A-Za-z0-9]{1,22})\s*</LRN>")


def _identity_in(body: bytes) -> tuple[str | None, str | None]:
    found = _IDENTIFICATION.search(body[:4096])  # the header comes first
    lrn = _LRN.search(body[:16384])
    return _plain(found.group(1)) if found else None, _plain(lrn.group(1)) if lrn else None


def _identity_of(data: dict) -> tuple[str | None, str | None]:
    identification = data.get("messageIdentification")
    operation = data.get("TransitOperation")
    lrn = operation.get("LRN") if isinstance(operation, dict) else None
    identification = identification.strip() if isinstance(identification, str) else ""
    lrn = lrn.strip() if isinstance(lrn, str) else ""
    return (identification if 0 < len(identification) <= 35 and " " not in identification else None,
            lrn if re.fullmatch(r"[A-Za-z0-9]{1,22}", lrn) else None)


def _plain(value: bytes) -> str | None:
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if " " not in text and "\t" not in text and "\n" not in text else None


def _nodes(data: dict) -> int:
    """How many elements the data would make: every key's value, and each entry of a list (no recursion)."""
    count, stack = 0, [data]
    while stack:
        node = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            count += 1
            if isinstance(child, (dict, list)):
                stack.append(child)
    return count


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


def _receive(party: Party, reading: Reading) -> IntakeResult:
    data, xml, digest = reading.data, reading.xml, reading.digest
    handler = _HANDLERS.get(reading.message_type)
    if handler is None:  # a customs message names customs as its sender: say what it is first
        return _functional_error(party, data, xml, [_not_handled(reading.message_type)])
    _sender_problem(party, data)
    key = data["messageIdentification"]
    for _attempt in range(2):
        try:
            with answering() as (conn, sent):
                result = handler(conn, party, data, xml)
                sent.extend(result.answers)
                # Written last: for a message identification seen before, this fails and undoes the rerun,
                # which is cheaper on the whole than looking the key up before every intake.
                _INTAKE_KEY.run(conn, {
                    "party_eori": recipient(party), "message_identification": key, "body_digest": digest,
                    "answer_ids": jsontext.dumps([a.id for a in result.answers]), "created_at": clock.now()})
                return result
        except departure.DuplicateLrn:
            # Another copy of this LRN won the race; answer as a rejection (or as that same message).
            handler = departure.declare_duplicate
        except NotFound as missing:
            return _functional_error(party, data, xml, missing.problems)
        except Refused as refused:
            return _refused(party, data, xml, refused)
        except IntegrityError:
            # The message identification was seen before (or arrived twice at once): give its answer.
            with db.reading() as conn:
                repeated = _repeated(conn, party, key, digest)
            if repeated:
                return repeated
            raise
    raise RuntimeError("unreachable: a duplicate LRN is answered on the second attempt")


def _not_handled(message_type: str) -> Problem:
    """A phase 5 message this system reads but does not take from traders: one customs sends
    (every type outside INCOMING is; tests/transit/test_message_set_documented.py holds it so)."""
    return problem("message.type_not_allowed", f"/{message_type}",
                   f"{message_type} is a message customs sends; traders cannot send it",
                   f"{message_type} er en meddelelse, som toldmyndigheden sender; virksomheder kan ikke sende den")


# Compiled once: intakes run these (_SEEN only for a repeated message) without SQLAlchemy's per-call
# compilation (see prepared.py).
_SEEN = Prepared(select(store.intake_keys.c.body_digest, store.intake_keys.c.answer_ids)
                 .where(store.intake_keys.c.party_eori == bindparam("party"),
                        store.intake_keys.c.message_identification == bindparam("key")))
_INTAKE_KEY = insert_row(store.intake_keys)


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
    found = {m.id: m for m in messages_where(conn, store.messages.c.id.in_(ids))}
    ordered = [found[i] for i in ids if i in found]
    mrn = mrn_of(conn, ordered[0].movement_id) if ordered and ordered[0].movement_id else None
    return IntakeResult(ordered, mrn, repeated=True)


_HANDLERS = {"CC015C": departure.declare, "CC013C": departure.amend, "CC014C": departure.invalidate,
             "CC170C": prelodged.present, "CC007C": destination.arrive, "CC044C": destination.unloading_remarks}
INCOMING = tuple(_HANDLERS)  # the messages traders send that a flow handles
