"""Reading movements and messages as transit/authorisation.py lets each party: the holder, its representative
and the trader at destination their movements (a company only its own messages); officers their offices'."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.companies.rules import TRANSIT_SCOPES
from toldsystem.core import jsontext
from toldsystem.core.errors import NotFound, problem
from toldsystem.transit import store
from toldsystem.transit.service.log import StoredMessage, messages_where, recipient
from toldsystem.transit.service.movements import by_mrn, may_read, movement_out, require_visible

# --- reading -------------------------------------------------------------------------------------

def movement(party: Party, mrn: str) -> dict:
    """A movement as its holder, representative, trader at destination or an officer of its offices sees it."""
    with db.reading() as conn:
        row = by_mrn(conn, mrn, "mrn")
        require_visible(party, row)
        return movement_out(row)


def movement_declaration(party: Party, mrn: str) -> dict:
    """The declaration data as accepted (amended by CC013C), without access codes."""
    with db.reading() as conn:
        row = by_mrn(conn, mrn, "mrn")
        require_visible(party, row)
        return jsontext.loads(row.declaration)  # stored without access codes


def list_movements(party: Party, *, updated_since: datetime | None = None, lrn: str | None = None,
                   mrn: str | None = None, holder: str | None = None, state: str | None = None,
                   page: int = 1, page_size: int = 50) -> dict:
    """Movements the party may see, newest change first, filtered and paged."""
    m = store.movements
    query = select(m)
    if not party.is_officer:
        represented = companies.represented_holders(party.eori or "", TRANSIT_SCOPES)
        query = query.where((m.c.holder_eori == party.eori) | (m.c.trader_at_destination == party.eori)
                            | (m.c.representative_eori == party.eori) | m.c.holder_eori.in_(sorted(represented)))
    elif party.office is not None:
        query = query.where((m.c.office_of_departure == party.office) | (m.c.office_of_destination == party.office))
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
            "movements": [movement_out(r) for r in rows[:page_size]]}


def events(party: Party, mrn: str) -> list[dict]:
    """The movement's audit trail, oldest first."""
    with db.reading() as conn:
        row = by_mrn(conn, mrn, "mrn")
        require_visible(party, row)
        e = store.movement_events
        return [{"at": r.at, "event": r.event, "state": r.state, "actor": r.actor, "detail": jsontext.loads(r.detail)}
                for r in conn.execute(select(e).where(e.c.movement_id == row.id).order_by(e.c.id))]


def movement_messages(party: Party, mrn: str) -> list[StoredMessage]:
    """The messages of a movement the party may see: all for officers, its own for a company."""
    with db.reading() as conn:
        row = by_mrn(conn, mrn, "mrn")
        require_visible(party, row)
        condition = store.messages.c.movement_id == row.id
        if not party.is_officer:
            condition = condition & (store.messages.c.party_eori == party.eori)
        return messages_where(conn, condition)


def outbox(party: Party, since: int = 0, limit: int = 100) -> list[StoredMessage]:
    """Answers for the party with an id above `since`, oldest first (fetch 'all since')."""
    with db.reading() as conn:
        return messages_where(conn, (store.messages.c.direction == "out") & (store.messages.c.party_eori == recipient(party))
                         & (store.messages.c.id > since), limit=max(1, min(limit, 1000)))


def message(party: Party, message_id: int) -> StoredMessage:
    """One message: its party's (sender or recipient); officers of its movement's offices (national: all)."""
    with db.reading() as conn:
        found = messages_where(conn, store.messages.c.id == message_id)
        visible = bool(found) and (found[0].party_eori == recipient(party) if not party.is_officer
                                   else party.office is None or _officer_sees(conn, party, found[0]))
    if not visible:
        raise NotFound(problem("message.unknown", "id", f"no message {message_id}", f"ingen meddelelse {message_id}"))
    return found[0]


def _officer_sees(conn, party: Party, found: StoredMessage) -> bool:
    """An officer of an office sees the messages of movements at its office; a message of no movement is national."""
    if found.movement_id is None:
        return False
    row = conn.execute(select(store.movements).where(store.movements.c.id == found.movement_id)).first()
    return row is not None and may_read(party, row)
