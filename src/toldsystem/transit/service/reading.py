"""Reading movements and messages as transit/authorisation.py lets each party: the holder, its representative
and the trader at destination their movements (a company only its own messages); officers their offices'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, true

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.companies import service as companies
from toldsystem.companies.rules import TRANSIT_SCOPES
from toldsystem.core import jsontext
from toldsystem.core.errors import NotFound, problem
from toldsystem.transit import store
from toldsystem.transit.service.log import StoredMessage, messages_where, recipient
from toldsystem.transit.service.movements import by_mrn, may_read, movement_out, require_visible


@dataclass(frozen=True)
class MessageQuery:
    """Which messages of a list, and which page of them: by type, by time (created_at from `since`,
    before `until`), `page` from 1."""

    message_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1
    page_size: int = 100


@dataclass(frozen=True)
class MessagePage:
    messages: list[StoredMessage]
    page: int
    page_size: int
    has_more: bool


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
        return trail_of(conn, row.id)


def trail_of(conn, movement_id: int) -> list[dict]:
    """A movement's events, oldest first (read once its party may see it)."""
    e = store.movement_events
    return [{"at": r.at, "event": r.event, "state": r.state, "actor": r.actor, "detail": jsontext.loads(r.detail)}
            for r in conn.execute(select(e).where(e.c.movement_id == movement_id).order_by(e.c.id))]


def movement_messages(party: Party, mrn: str) -> list[StoredMessage]:
    """The messages of a movement the party may see: all for officers, its own for a company."""
    with db.reading() as conn:
        return messages_where(conn, _of_movement(conn, party, mrn))


def movement_messages_page(party: Party, mrn: str, query: MessageQuery) -> MessagePage:
    """One page of the movement's messages the party may see, filtered by type and time."""
    with db.reading() as conn:
        return _page(conn, _of_movement(conn, party, mrn), query)


def _of_movement(conn, party: Party, mrn: str):
    row = by_mrn(conn, mrn, "mrn")
    require_visible(party, row)
    condition = store.messages.c.movement_id == row.id
    if not party.is_officer:
        condition = condition & (store.messages.c.party_eori == party.eori)
    return condition


def find_messages(party: Party, query: MessageQuery, *, lrn: str | None = None,
                  message_identification: str | None = None) -> MessagePage:
    """The party's messages, in and out (an office's officer: those of its movements; a national officer:
    everyone's), oldest first.

    By `lrn`: those naming it — a refused declaration, which has no movement, with its CC056C or
    CC917C — and every message of the movement with that LRN. By `message_identification`: the
    message with it and the answers to it (their correlationIdentifier)."""
    m, movements = store.messages, store.movements
    condition = true()
    if not party.is_officer:
        condition = m.c.party_eori == recipient(party)
    elif party.office is not None:  # an office's officer: the messages of the movements at its office
        at_office = select(movements.c.id).where((movements.c.office_of_departure == party.office)
                                                 | (movements.c.office_of_destination == party.office))
        condition = m.c.movement_id.in_(at_office.scalar_subquery())
    if lrn:
        with_lrn = select(movements.c.id).where(movements.c.lrn == lrn)
        condition = condition & ((m.c.lrn == lrn) | m.c.movement_id.in_(with_lrn.scalar_subquery()))
    if message_identification:
        condition = condition & ((m.c.message_identification == message_identification)
                                 | (m.c.correlation_identifier == message_identification))
    with db.reading() as conn:
        return _page(conn, condition, query)


def _page(conn, condition, query: MessageQuery) -> MessagePage:
    m = store.messages
    if query.message_type:
        condition = condition & (m.c.message_type == query.message_type)
    if query.since is not None:
        condition = condition & (m.c.created_at >= query.since)
    if query.until is not None:
        condition = condition & (m.c.created_at < query.until)
    found = messages_where(conn, condition, limit=query.page_size + 1, offset=(query.page - 1) * query.page_size)
    return MessagePage(found[:query.page_size], query.page, query.page_size, len(found) > query.page_size)


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
