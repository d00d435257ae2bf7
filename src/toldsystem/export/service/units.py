"""What every export use case shares: the stored declaration, a step through `next_status` with its event
and its notifications, and the outbox rows. One unit of work per call (db.transaction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.core.errors import Conflict, Problem
from toldsystem.export import authorisation, store
from toldsystem.export.rules import Event, Status, next_status

# The time column each state stamps when it is reached.
STAMPED = {Status.ACCEPTED: "accepted_at", Status.RELEASED: "released_at", Status.PRESENTED_AT_EXIT: "presented_at",
           Status.ARRIVED_AT_EXIT: "arrived_at_exit_at", Status.EXITED: "exited_at"}


@dataclass(frozen=True, slots=True)
class Notification:
    """An answer in a party's outbox: a DMS notification as data (render it with messages.render)."""

    id: int
    party: str
    event_type: str
    data: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a use case produced: the declaration's MRN and state (None when refused) and the notifications;
    `repeated` for an idempotent replay; `problems` when refused."""

    mrn: str | None
    status: str | None
    notifications: list[Notification] = field(default_factory=list)
    problems: tuple[Problem, ...] = ()
    repeated: bool = False

    def for_party(self, party: Party) -> list[Notification]:
        """The notifications addressed to this party (officers see all)."""
        return [n for n in self.notifications if party.is_officer or n.party == recipient(party)]


def recipient(party: Party) -> str:
    """Whose outbox a party's answers go to: its EORI, or an officer's name."""
    return party.eori or party.name


def actor(party: Party) -> str:
    """Who acted, as the audit trail keeps it."""
    return f"{party.kind}:{party.eori or party.name}" + (f"@{party.office}" if party.office else "")


def locked(conn: Connection, mrn: str, party: Party, allowed: Callable[[Party, Any], bool]):
    """The declaration with this MRN, locked for the unit of work, when the party may act on it; else 404."""
    query = select(store.declarations).where(store.declarations.c.mrn == mrn)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None or not allowed(party, row):
        raise authorisation.unknown(mrn)
    return row


def step(conn: Connection, row, event: Event, party: Party, at: datetime, detail: dict[str, Any],
         changes: dict[str, Any] | None = None) -> Status:
    """Move the declaration through `next_status` (409 when the transition is not allowed), stamp the time,
    append the event."""
    found = next_status(Status(row.state), event)
    if isinstance(found, Problem):
        raise Conflict(found)
    values = {"state": found.value, "updated_at": at, **(changes or {})}
    column = STAMPED.get(found)
    if column and found.value != row.state:
        values[column] = at
    conn.execute(update(store.declarations).where(store.declarations.c.id == row.id).values(**values))
    add_event(conn, row.id, event.value, found.value, party, at, detail)
    return found


def add_event(conn: Connection, declaration_id: int, event: str, state: str, party: Party, at: datetime,
              detail: dict[str, Any]) -> None:
    """Append one event to the declaration's audit trail (never updated, never deleted)."""
    conn.execute(insert(store.events).values(declaration_id=declaration_id, at=at, event=event, state=state,
                                             actor=actor(party), detail=jsontext.dumps(detail)))


def notify(conn: Connection, declaration_id: int | None, parties: list[str], event_type: str, data: dict[str, Any],
           at: datetime, lrn: str | None) -> list[Notification]:
    """Put the notification in each party's outbox (once per party)."""
    sent = []
    for party in dict.fromkeys(p for p in parties if p):
        new_id = conn.execute(insert(store.messages).values(
            declaration_id=declaration_id, direction="out", kind=event_type, party=party, lrn=lrn, created_at=at,
            data=jsontext.dumps(data)).returning(store.messages.c.id)).scalar_one()
        sent.append(Notification(new_id, party, event_type, data, at))
    return sent


def log_incoming(conn: Connection, declaration_id: int | None, kind: str, party: Party, data: dict[str, Any],
                 at: datetime, lrn: str | None) -> None:
    """Keep an incoming message in the log (its data; a declaration's XML is kept on the declaration)."""
    conn.execute(insert(store.messages).values(declaration_id=declaration_id, direction="in", kind=kind,
                                               party=recipient(party), lrn=lrn, created_at=at,
                                               data=jsontext.dumps(data)))


def parties_of(row) -> list[str]:
    """Who gets a declaration's notifications: its declarant and its representative."""
    return [row.declarant_eori, row.representative_eori]


def data_of(row) -> dict[str, Any]:
    return jsontext.loads(row.data)
