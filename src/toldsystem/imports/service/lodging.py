"""Lodging a DMS Import declaration (A/D full express, C/F simplified express, Y supplementary; standard, periodic
and letter post as the rules model them), its amendment and its invalidation.

Two steps, as transit's intake: reading (`read_xml`, `read_data`) parses and schema-checks and touches no store;
`lodge` is the unit of work. Idempotent by the declaration's LRN (FunctionalReferenceID) per sender and kind: the
same message again gets the same notifications back and makes no second declaration; the database's constraint on
(declarant, LRN) settles two copies arriving at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from toldsystem import config, db
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Forbidden, NotFound, Problem, at_most, problem
from toldsystem.core.xml_input import Bounds
from toldsystem.imports import authorisation, reading, states, store
from toldsystem.imports.messages import notifications as dms
from toldsystem.imports.messages import parse_declaration, render, validate_data
from toldsystem.imports.service import decision
from toldsystem.imports.service.log import Notification, Outcome, notifications_where, notify, recipient, record

@dataclass(frozen=True, slots=True)
class Reading:
    """A message as read, before any store is touched: its kind, data, the XML it is kept as, its digest — or
    the problems that refuse it, with its LRN when that could be made out."""

    kind: str
    data: dict | None
    xml: str | None
    digest: str
    problems: tuple[Problem, ...] = ()
    lrn: str | None = None


def _bounds() -> Bounds:
    return Bounds.of(config.settings().limits)


def read_xml(body: bytes) -> Reading:
    """A DEC-DMS XML declaration, amendment or invalidation as received: bounded, parsed, schema-checked."""
    parsed = parse_declaration(body, bounds=_bounds())
    if isinstance(parsed, list):
        return Reading("", None, None, "", tuple(parsed))
    text = body.decode("utf-8")
    return Reading(parsed.kind, parsed.data, text, jsontext.digest(parsed.data), (), reading.lrn_of(parsed.data))


def kind_of_data(data: dict) -> str:
    """As the parser tells the kind: an Amendment block with goods is an amendment, without them an invalidation."""
    if "Amendment" in data:
        return "amendment" if "GoodsShipment" in data else "invalidation"
    return "declaration"


def read_data(data: dict, kind: str | None = None) -> Reading:
    """The same declaration as JSON data (docs/imports-messages.md): the same checks as XML."""
    if not isinstance(data, dict):
        return Reading("", None, None, "", (problem("data.not_object", "/", "The message must be an object.",
                                                    "Meddelelsen skal være et objekt."),))
    kind = kind or kind_of_data(data)
    limits = config.settings().limits
    lrn = data.get("FunctionalReferenceID") if isinstance(data.get("FunctionalReferenceID"), str) else None
    if _nodes(data) > limits.max_xml_elements:
        return Reading(kind, None, None, "", (problem("data.too_many_elements", "/Declaration",
                                                      f"The message has more than {limits.max_xml_elements} elements.",
                                                      f"Meddelelsen har mere end {limits.max_xml_elements} "
                                                      "elementer."),), lrn)
    found = validate_data(kind, data)
    if found:
        return Reading(kind, None, None, "", tuple(at_most(found, limits.max_problems)), lrn)
    return Reading(kind, data, None, jsontext.digest(data), (), reading.lrn_of(data))


def _nodes(data: dict) -> int:
    count, stack = 0, [data]
    while stack:
        node = stack.pop()
        for child in (node.values() if isinstance(node, dict) else node):
            count += 1
            if isinstance(child, (dict, list)):
                stack.append(child)
    return count


def lodge(party: Party, read: Reading) -> Outcome:
    """Handle a message read before, in one unit of work: REJECTED with every problem, or the declaration accepted
    (ACCEPTED with its MRN, then RELEASED or CONTROL, or SUPPLEMENTARY_DUE), amended or invalidated."""
    authorisation.require_company(party)
    if read.problems:
        return _refuse(party, None, list(read.problems), read.lrn)
    _sender_is_named(party, read.data)
    key = {"party": recipient(party), "kind": read.kind, "lrn": read.lrn or "", "body_digest": read.digest}
    with db.reading() as conn:
        repeated = _repeated(conn, key)
    if repeated:
        return repeated
    for attempt in range(2):
        try:
            with db.transaction() as conn:
                outcome = _HANDLERS[read.kind](conn, party, read)
                conn.execute(insert(store.intake_keys).values(
                    **key, answer_ids=jsontext.dumps([n.id for n in outcome.notifications]), created_at=clock.now()))
                return outcome
        except IntegrityError:
            # The same message arrived twice at once (its key), or another declaration took the LRN first.
            with db.reading() as conn:
                repeated = _repeated(conn, key)
            if repeated:
                return repeated
            if attempt:
                raise
    raise RuntimeError("unreachable")


def lodge_xml(party: Party, body: bytes) -> Outcome:
    return lodge(party, read_xml(body))


def lodge_data(party: Party, data: dict, kind: str | None = None) -> Outcome:
    return lodge(party, read_data(data, kind))


def _sender_is_named(party: Party, data: dict) -> None:
    """The sender is the Declarant, the Agent or (an invalidation names no Declarant) the Submitter."""
    if party.eori not in (reading.declarant_of(data), reading.agent_of(data), reading.submitter_of(data)):
        raise Forbidden(problem("import.sender", "/Declaration/Declarant/ID",
                                "the declaration must name you as its Declarant or its Agent (representative)",
                                "angivelsen skal angive dig som klarerer (Declarant) eller repræsentant (Agent)"))


def _repeated(conn: Connection, key: dict) -> Outcome | None:
    k = store.intake_keys.c
    row = conn.execute(select(k.answer_ids).where(k.party == key["party"], k.kind == key["kind"],
                                                  k.lrn == key["lrn"], k.body_digest == key["body_digest"])).first()
    if row is None:
        return None
    ids = jsontext.loads(row.answer_ids)
    found = {n.id: n for n in notifications_where(conn, store.notifications.c.id.in_(ids))}
    ordered = [found[i] for i in ids if i in found]
    mrn = decision.mrn_of(conn, ordered[0].declaration_id) if ordered and ordered[0].declaration_id else None
    return Outcome(ordered, mrn, repeated=True)


def _refuse(party: Party, data: dict | None, problems: list[Problem], lrn: str | None,
            declaration_id: int | None = None) -> Outcome:
    """REJECTED to the sender, each problem with its pointer; nothing else changes."""
    now = clock.now()
    body = dms.rejected(data or {"FunctionalReferenceID": lrn}, at_most(problems, config.settings().limits.max_problems),
                        now)
    with db.transaction() as conn:
        sent = notify(conn, declaration_id, recipient(party), body, lrn, now)
    return Outcome([sent], None)


def _rejected(conn: Connection, party: Party, data: dict, problems: list[Problem]) -> Outcome:
    now = clock.now()
    body = dms.rejected(data, at_most(decision.dms_pointers(problems), config.settings().limits.max_problems), now)
    return Outcome([notify(conn, None, recipient(party), body, reading.lrn_of(data), now)], None)


def _declare(conn: Connection, party: Party, read: Reading) -> Outcome:
    data, now = read.data, clock.now()
    declarant, lrn = reading.declarant_of(data), reading.lrn_of(data)
    existing = conn.execute(select(store.declarations.c.id).where(store.declarations.c.declarant_eori == declarant,
                                                                  store.declarations.c.lrn == lrn)).first()
    if existing is not None:
        return _rejected(conn, party, data, [problem(
            "import.lrn.used", "/Declaration/FunctionalReferenceID",
            f"LRN {lrn} is already used by another declaration of {declarant}",
            f"LRN {lrn} er allerede brugt til en anden angivelse fra {declarant}")])
    checked = decision.check_new(conn, data, now)
    if isinstance(checked, list):
        return _rejected(conn, party, data, checked)
    return decision.accept(conn, party, data, read.xml, checked, now)


def _declaration_named(conn: Connection, party: Party, data: dict):
    """The declaration an amendment or invalidation names by MRN (ID), if the sender may act on it."""
    mrn = reading._text(data.get("ID")).upper()
    row = conn.execute(select(store.declarations).where(store.declarations.c.mrn == mrn)).first() if mrn else None
    if row is None:
        return None, mrn
    parties = decision.parties_of(row)
    if not ({"holder", "representative"} & authorisation.roles_towards(party, parties)):
        return None, mrn
    return row, mrn


def _unknown(conn: Connection, party: Party, data: dict, mrn: str) -> Outcome:
    return _rejected(conn, party, data, [problem("import.declaration.unknown", "/Declaration/ID",
                                                 f"no import declaration {mrn} of yours",
                                                 f"ingen importangivelse {mrn} fra dig")])


def _invalidate(conn: Connection, party: Party, read: Reading) -> Outcome:
    data, now = read.data, clock.now()
    row, mrn = _declaration_named(conn, party, data)
    if row is None:
        return _unknown(conn, party, data, mrn)
    if row.state not in states.BEFORE_RELEASE:
        return _rejected(conn, party, data, [decision.wrong_state(row, "invalidated")])
    conn.execute(update(store.declarations).where(store.declarations.c.id == row.id)
                 .values(state=states.INVALIDATED, updated_at=now, supplementary_state=None))  # off the due list
    reasons = [a for a in reading._list(data.get("Amendment")) if isinstance(a, dict)]
    record(conn, row.id, party, now, "invalidated", states.INVALIDATED,
           {"reason": reading._text(reasons[0].get("ChangeReasonText")) if reasons else ""})
    stored = jsontext.loads(row.data)
    return Outcome(decision.send_to_parties(conn, row, party, dms.invalidated(stored, row.mrn, now), now), row.mrn)


def _amend(conn: Connection, party: Party, read: Reading) -> Outcome:
    data, now = read.data, clock.now()
    row, mrn = _declaration_named(conn, party, data)
    if row is None:
        return _unknown(conn, party, data, mrn)
    if row.state not in states.BEFORE_RELEASE:
        return _rejected(conn, party, data, [decision.wrong_state(row, "amended")])
    amended = {k: v for k, v in data.items() if k not in ("ID", "Amendment")}
    if reading.declarant_of(amended) != row.declarant_eori or reading.lrn_of(amended) != row.lrn:
        return _rejected(conn, party, data, [problem("import.amendment.identity", "/Declaration/Declarant/ID",
                                                     "an amendment keeps the declaration's Declarant and LRN",
                                                     "en ændring bevarer angivelsens klarerer og LRN")])
    checked = decision.check_new(conn, amended, row.lodged_at, presented=row.presented_at)
    if isinstance(checked, list):
        return _rejected(conn, party, data, checked)
    if checked.additional_type != row.additional_type:
        return _rejected(conn, party, data, [problem("import.amendment.type", "/Declaration/TypeCode",
                                                     "an amendment keeps the additional declaration type",
                                                     "en ændring bevarer den supplerende angivelsestype")])
    conn.execute(update(store.declarations).where(store.declarations.c.id == row.id)
                 .values(data=jsontext.dumps(amended), xml=render("declaration", amended).decode("utf-8"),
                         consignee_id=reading.consignee_of(amended), updated_at=now))
    record(conn, row.id, party, now, "amended", row.state, {"amendment": data.get("Amendment")})
    return Outcome(decision.send_to_parties(conn, row, party, dms.accepted(amended, row.mrn, now), now), row.mrn)


_HANDLERS = {"declaration": _declare, "amendment": _amend, "invalidation": _invalidate}


def notification(party: Party, notification_id: int) -> Notification:
    """One notification of the caller's outbox (officers: any); another's answers as unknown."""
    with db.reading() as conn:
        found = notifications_where(conn, store.notifications.c.id == notification_id)
    if not found or not (party.is_officer or found[0].party == recipient(party)):
        raise NotFound(problem("import.notification.unknown", "/notification_id",
                               f"no notification {notification_id}", f"ingen meddelelse {notification_id}"))
    return found[0]


def outbox(party: Party, since: int = 0, limit: int = 100) -> list[Notification]:
    """The caller's notifications after `since`, oldest first."""
    n = store.notifications.c
    with db.reading() as conn:
        return notifications_where(conn, (n.party == recipient(party)) & (n.id > since), limit)
