"""What the declarants' pages read: a movement with its trail, messages and follow-ups in one reading, and a
company's newest messages — each bounded and served by an index (pages answer in 100 ms at 10,000 movements)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.transit import follow_ups, store
from toldsystem.transit.service.log import StoredMessage, messages_where, recipient
from toldsystem.transit.service.movements import by_mrn, movement_out, require_visible, roles_of

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
        e = store.movement_events
        trail = [{"at": r.at, "event": r.event, "state": r.state, "actor": r.actor, "detail": jsontext.loads(r.detail)}
                 for r in conn.execute(select(e).where(e.c.movement_id == row.id).order_by(e.c.id))]
        condition = store.messages.c.movement_id == row.id
        if not party.is_officer:
            condition = condition & (store.messages.c.party_eori == party.eori)
        found = messages_where(conn, condition, limit=MOST_MESSAGES)
        return MovementPage(movement_out(row), jsontext.loads(row.declaration), trail, found,
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
