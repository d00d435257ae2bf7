"""What a party may read of the export room: a declaration (the same 404 for another's as for an unknown MRN),
its audit trail, its notifications, and the party's outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.core.errors import NotFound, problem
from toldsystem.export import authorisation, store
from toldsystem.export.service.units import Notification, recipient

TIMES = ("lodged_at", "accepted_at", "released_at", "presented_at", "arrived_at_exit_at", "exited_at", "updated_at")


@dataclass(frozen=True, slots=True)
class DeclarationView:
    """A stored export declaration as its parties and officers read it."""

    mrn: str
    lrn: str
    kind: str
    type_code: str
    status: str
    declarant: str
    representative: str | None
    exporter: str | None
    office_of_export: str
    office_of_exit: str
    fallback: bool
    times: dict[str, datetime | None]
    data: dict[str, Any]
    xml: str


@dataclass(frozen=True, slots=True)
class EventView:
    at: datetime
    event: str
    status: str
    actor: str
    detail: dict[str, Any]


def declaration(party: Party, mrn: str) -> DeclarationView:
    """The declaration with this MRN, when the party may read it; else 404 as unknown."""
    with db.reading() as conn:
        row = conn.execute(select(store.declarations).where(store.declarations.c.mrn == mrn)).first()
    if row is None or not authorisation.may_read(party, row):
        raise authorisation.unknown(mrn)
    return DeclarationView(row.mrn, row.lrn, row.kind, row.type_code, row.state, row.declarant_eori,
                           row.representative_eori, row.exporter_eori, row.office_of_export, row.office_of_exit,
                           row.fallback, {name: getattr(row, name) for name in TIMES}, jsontext.loads(row.data),
                           row.xml)


def events(party: Party, mrn: str) -> list[EventView]:
    """The declaration's audit trail, oldest first."""
    declaration(party, mrn)
    with db.reading() as conn:
        rows = conn.execute(select(store.events).join(store.declarations).where(store.declarations.c.mrn == mrn)
                            .order_by(store.events.c.id)).all()
    return [EventView(r.at, r.event, r.state, r.actor, jsontext.loads(r.detail)) for r in rows]


def notifications(party: Party, mrn: str) -> list[Notification]:
    """The notifications of a declaration the party may read (a company: those addressed to it)."""
    declaration(party, mrn)
    query = (select(store.messages).join(store.declarations).where(store.declarations.c.mrn == mrn,
                                                                   store.messages.c.direction == "out"))
    if not party.is_officer:
        query = query.where(store.messages.c.party == recipient(party))
    with db.reading() as conn:
        rows = conn.execute(query.order_by(store.messages.c.id)).all()
    return [_notification(r) for r in rows]


def outbox(party: Party, *, after: int = 0, limit: int = 100) -> list[Notification]:
    """The party's notifications after id `after`, oldest first (refusals too, found by their LRN)."""
    with db.reading() as conn:
        rows = conn.execute(select(store.messages).where(
            store.messages.c.party == recipient(party), store.messages.c.direction == "out",
            store.messages.c.id > after).order_by(store.messages.c.id).limit(min(max(limit, 1), 500))).all()
    return [_notification(r) for r in rows]


def notification(party: Party, notification_id: int) -> Notification:
    """One notification of the party's outbox; another party's reads as unknown."""
    with db.reading() as conn:
        row = conn.execute(select(store.messages).where(store.messages.c.id == notification_id,
                                                        store.messages.c.direction == "out")).first()
    if row is None or (row.party != recipient(party) and not party.is_officer):
        raise NotFound(problem("export.notification.unknown", "/id", f"No notification {notification_id}.",
                               f"Ingen meddelelse {notification_id}."))
    return _notification(row)


def _notification(row) -> Notification:
    return Notification(row.id, row.party, row.kind, jsontext.loads(row.data), row.created_at)
