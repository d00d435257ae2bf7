"""What every import use case writes: notifications into a party's outbox, events into the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import Connection, insert, select

from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.imports import store
from toldsystem.imports.messages import render


@dataclass(frozen=True)
class Notification:
    """A DMS notification in a party's outbox: its data (the notification schema's), XML on request."""

    id: int
    declaration_id: int | None
    party: str
    event_type: str
    lrn: str | None
    created_at: datetime
    data: dict

    @cached_property
    def xml(self) -> bytes:
        return render("notification", self.data)


@dataclass(frozen=True)
class Outcome:
    """What a lodging (or an operation) produced: its notifications, first the one answering the caller."""

    notifications: list[Notification]
    mrn: str | None
    repeated: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return bool(self.notifications) and self.notifications[0].event_type != "REJECTED"


def recipient(party: Party) -> str:
    """Whose outbox a party's answers go to: its EORI, or an officer's name."""
    return party.eori or party.name


def notify(conn: Connection, declaration_id: int | None, party: str, data: dict, lrn: str | None,
           at: datetime) -> Notification:
    """Put a notification into the party's outbox."""
    event = data["NotificationEventType"]
    new_id = conn.execute(insert(store.notifications).values(
        declaration_id=declaration_id, party=party, event_type=event, lrn=lrn, created_at=at,
        data=jsontext.dumps(data))).inserted_primary_key[0]
    return Notification(new_id, declaration_id, party, event, lrn, at, data)


def record(conn: Connection, declaration_id: int, actor: Party | str, at: datetime, event: str, state: str,
           detail: dict | None = None) -> None:
    """Append an event to the declaration's audit trail (never updated, never deleted)."""
    name = actor if isinstance(actor, str) else recipient(actor)
    conn.execute(insert(store.events).values(declaration_id=declaration_id, at=at, event=event, state=state,
                                             actor=name, detail=jsontext.dumps(detail or {})))


def notification_of(row) -> Notification:
    return Notification(row.id, row.declaration_id, row.party, row.event_type, row.lrn, row.created_at,
                        jsontext.loads(row.data))


def notifications_where(conn: Connection, condition, limit: int | None = None) -> list[Notification]:
    query = select(store.notifications).where(condition).order_by(store.notifications.c.id)
    if limit:
        query = query.limit(limit)
    return [notification_of(r) for r in conn.execute(query)]
