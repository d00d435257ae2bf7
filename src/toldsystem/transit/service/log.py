"""The message log and the audit trail: what every transit use case writes, and how answers are sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import Connection, select, update

from toldsystem import config, db
from toldsystem.access.rules import Party
from toldsystem.access.service import audit
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Problem, at_most
from toldsystem.prepared import RowsInsert, insert_row
from toldsystem.transit import answers, messages, store, webhooks

_NEW_MESSAGE = insert_row(store.messages)
_NEW_ANSWERS = RowsInsert(store.messages, store.messages.c.id, store.messages.c.message_identification)
_NEW_EVENT = insert_row(store.movement_events)

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


def recipient(party: Party) -> str:
    """Whose outbox a party's answers go to: its EORI, or an officer's name."""
    return party.eori or party.name


@contextmanager
def answering() -> Iterator[tuple[Connection, list]]:
    """A unit of work whose answers are queued for their webhooks with them, and posted once it has committed."""
    sent: list[StoredMessage] = []
    with db.transaction() as conn:
        yield conn, sent
        queued = webhooks.enqueue(conn, sent)
        if queued:
            db.after_commit(lambda: webhooks.push(queued))


def reject(conn: Connection, party: Party, data: dict, found: list[Problem], now: datetime,
            movement_id: int | None = None, mrn: str | None = None) -> IntakeResult:
    """CC056C with a pointer to each offending element (the first of them, if very many); nothing else changes."""
    found = at_most(found, config.settings().limits.max_problems)
    values = values_at(data, found)
    rejection_type = data.get("messageType", "CC015C")[2:5]
    body = answers.cc056c(data, found, now, mrn=mrn, rejection_type=rejection_type, values=values)
    answer = send(conn, movement_id, "CC056C", recipient(party), body, data, now, problems=found)
    return IntakeResult([answer], mrn)


def values_at(data: dict, found: list[Problem]) -> dict[str, str]:
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


# --- helpers -------------------------------------------------------------------------------------

def messages_where(conn: Connection, condition, limit: int | None = None, offset: int = 0) -> list[StoredMessage]:
    query = select(store.messages).where(condition).order_by(store.messages.c.id)
    if limit:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return [StoredMessage(r.id, r.movement_id, r.direction, r.message_type, r.message_identification, r.party_eori,
                          r.created_at, jsontext.loads(r.data) if r.data is not None else None, r.xml)
            for r in conn.execute(query)]


def send(conn: Connection, movement_id: int | None, message_type: str, recipient: str, body: dict,
          request: dict | None, now: datetime, problems: list[Problem] | None = None) -> StoredMessage:
    """Render one answer and put it in the recipient's outbox."""
    return store_answers(conn, movement_id, request, now, [(message_type, recipient, body)], problems)[0]


def to_holder_side(holder: str, representative: str | None,
                   answers_: list[tuple[str, dict]]) -> list[tuple[str, str, dict]]:
    """Answers about the holder's movement go to the holder and, beside it, to the representative named for the
    movement: each is messageRecipient of its own copy, in its own outbox (SPEC T)."""
    recipients = (holder,) if representative in (None, holder) else (holder, representative)
    return [(message_type, recipient, body) for message_type, body in answers_ for recipient in recipients]


def send_to_holder_side(conn: Connection, movement, message_type: str, body: dict, request: dict | None,
                        now: datetime, problems: list[Problem] | None = None) -> list[StoredMessage]:
    """One answer for the movement's holder (and its representative)."""
    return store_answers(conn, movement.id, request, now,
                         to_holder_side(movement.holder_eori, movement.representative_eori, [(message_type, body)]),
                         problems)


def store_answers(conn: Connection, movement_id: int | None, request: dict | None, now: datetime,
                   outgoing: list[tuple[str, str, dict]], problems: list[Problem] | None = None) -> list[StoredMessage]:
    """Log answers in their recipients' outboxes in one statement; problems ride along in JSON."""
    if not outgoing:
        return []
    correlation = request.get("messageIdentification") if request else None
    lrn = lrn_of(request) if request else None
    rows = []
    for message_type, recipient, body in outgoing:
        data = answers.with_header(message_type, recipient, now, body, correlation)
        if problems:
            data["_errors"] = [p.as_dict() for p in problems]  # English and Danish texts for JSON clients
        rows.append({"movement_id": movement_id, "direction": "out", "message_type": message_type,
                     "message_identification": data["messageIdentification"], "correlation_identifier": correlation,
                     "party_eori": recipient, "created_at": now, "xml": None, "data": data, "lrn": lrn})
    inserted = _NEW_ANSWERS.run(conn, [row | {"data": jsontext.dumps(row["data"])} for row in rows]).all()
    ids = {r.message_identification: r.id for r in inserted}  # RETURNING promises no order; identifications are unique
    return [StoredMessage(ids[r["message_identification"]], movement_id, "out", r["message_type"],
                          r["message_identification"], r["party_eori"], now, r["data"]) for r in rows]


def log_incoming(conn: Connection, movement_id: int | None, data: dict, xml: str, party: Party, now: datetime) -> None:
    """The message as received, without access codes; its data is read from that XML when asked for."""
    _NEW_MESSAGE.run(conn, {
        "movement_id": movement_id, "direction": "in", "message_type": data["messageType"],
        "message_identification": data["messageIdentification"],
        "correlation_identifier": data.get("correlationIdentifier"), "party_eori": recipient(party),
        "created_at": now, "xml": xml, "data": None, "lrn": lrn_of(data)})
    audit.record(conn, party, "transit.message", data["messageIdentification"], message_type=data["messageType"],
                 lrn=lrn_of(data), movement_id=movement_id)


def lrn_of(data: dict) -> str | None:
    """The LRN a message names (TransitOperation/LRN), if it names one that fits the column."""
    operation = data.get("TransitOperation")
    lrn = operation.get("LRN") if isinstance(operation, dict) else None
    return lrn if isinstance(lrn, str) and 0 < len(lrn) <= 22 else None


def append_events(conn: Connection, movement_id: int, actor: Party, at: datetime,
            events: list[tuple[str, str, dict]]) -> None:
    """Append events (event, resulting state, detail) to the movement's audit trail."""
    who = f"{actor.kind}:{actor.eori or actor.name}"
    _NEW_EVENT.run_many(conn, [
        {"movement_id": movement_id, "at": at, "event": event, "state": state, "actor": who,
         "detail": jsontext.dumps(detail)} for event, state, detail in events])


def set_state(conn: Connection, movement_id: int, state: str, event: str, actor: Party, detail: dict) -> None:
    """Every state change is an event in the audit trail (SPEC T)."""
    now = clock.now()
    conn.execute(update(store.movements).where(store.movements.c.id == movement_id).values(state=state, updated_at=now))
    append_events(conn, movement_id, actor, now, [(event, state, detail)])


def without_secrets(data: dict) -> dict:
    """The message as it may be kept: access codes are used for the GMS check and then forgotten."""
    if "Guarantee" not in data:
        return data
    return {**data, "Guarantee": [answers.without_access_codes(g) for g in data["Guarantee"]]}
