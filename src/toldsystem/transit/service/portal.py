"""What the declarants' pages read and send: a movement with its trail, messages and follow-ups in one reading, a
company's newest messages — each bounded and served by an index (pages answer in 100 ms at 10,000 movements) —
and `send`, the API's intake for a message a page built."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from toldsystem import batching, db
from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.core.errors import Problem
from toldsystem.operations.availability import REJECTED
from toldsystem.transit import follow_ups, store
from toldsystem.transit.service.gate import Closed, Queued, admit, gate
from toldsystem.transit.service.intake import read_data
from toldsystem.transit.service.log import StoredMessage, messages_where, recipient
from toldsystem.transit.service.movements import by_mrn, movement_out, require_visible, roles_of
from toldsystem.transit.service.reading import trail_of

MOST_MESSAGES = 200  # a movement's messages on its page; more are on the API's pages


@dataclass(frozen=True)
class MovementPage:
    """A movement as its page shows it: the movement, its trail, the party's messages of it, what it may do next."""

    movement: dict
    declaration: dict
    events: list[dict]
    messages: list[StoredMessage]
    follow_ups: tuple[str, ...]


def movement_page(party: Party, mrn: str) -> MovementPage:
    """The movement page's data, as transit/authorisation.py lets the party see it (else unknown, 404)."""
    with db.reading() as conn:
        row = by_mrn(conn, mrn, "mrn")
        require_visible(party, row)
        roles, scopes = roles_of(party, row)
        condition = store.messages.c.movement_id == row.id
        if not party.is_officer:
            condition = condition & (store.messages.c.party_eori == party.eori)
        found = messages_where(conn, condition, limit=MOST_MESSAGES)
        return MovementPage(movement_out(row), jsontext.loads(row.declaration), trail_of(conn, row.id), found,
                            follow_ups.allowed(row.state, roles, scopes))


def recent_messages(party: Party, limit: int = 10) -> list[StoredMessage]:
    """The party's newest messages, in and out, newest first: each direction read backwards along its index
    (ix_transit_messages_party), so the cost does not grow with the company's history."""
    m = store.messages
    rows = []
    with db.reading() as conn:
        for direction in ("in", "out"):
            ids = select(m.c.id).where(m.c.party_eori == recipient(party), m.c.direction == direction)
            rows += conn.execute(ids.order_by(m.c.id.desc()).limit(limit)).scalars().all()
        newest = sorted(rows, reverse=True)[:limit]
        found = messages_where(conn, m.c.id.in_(newest)) if newest else []
    return sorted(found, key=lambda message: message.id, reverse=True)


REFUSING = frozenset({"CC056C", "CC057C", "CC906C", "CC917C"})  # answers that refuse what was sent


@dataclass(frozen=True)
class Sent:
    """What a message sent from a page came to: the answers for the sender (the immediate one first), the MRN,
    the problems of a refusal (each with its pointer into the message), and whether a service window holds it."""

    answers: list[StoredMessage]
    mrn: str | None
    problems: list[Problem]
    held: bool = False

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def send(party: Party, message_type: str, data: dict) -> Sent:
    """A message a page built, taken exactly as the API takes it (transit/api.py send_message): the board first,
    then read against the schema, then admitted in the writer — the same intake, the same answers and outbox."""
    availability = gate()
    if availability.state == REJECTED:
        return Sent([], None, Closed(availability).problems)
    reading = read_data(message_type, data)
    taken = batching.submit(admit, party, reading, data, availability).result()
    if isinstance(taken, Queued):
        return Sent([], None, [], held=True)
    mine = [a for a in taken.answers if a.party_eori == recipient(party)]
    first = mine[0] if mine else None
    problems: list[Problem] = []
    if first is not None and first.message_type in REFUSING:
        problems = [Problem(p["code"], p["pointer"], p["message"], p["message_da"])
                    for p in first.data.get("_errors", [])] or list(reading.problems)
    return Sent(mine, taken.mrn, problems)
