"""The audit log (issue 11 part 6): who did what, when, from where, through which channel — for every change.

Every room calls `record` inside its own unit of work, so an entry is written exactly when the change is
committed, and never for a change rolled back. An entry never holds a secret: details are plain values under
names that are not secrets' names (passwords, tokens, access codes, keys are refused), and nothing else is
written but the party's name, the channel, the client's address, the action and the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, or_, select

from toldsystem import db
from toldsystem.access import store
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.prepared import insert_row

_SECRET_NAME = re.compile(r"password|passwd|token|secret|access_?code|private|session|csrf", re.IGNORECASE)
_PLAIN = (str, int, float, bool, type(None))
# Every NCTS message received writes an entry: compiled once (prepared.py), not at every call.
_NEW_ENTRY = insert_row(store.audit_log)


def record(conn: Connection, by: Party, action: str, target: str, *, subject: str | None = None,
           **detail: str | int | float | bool | list | None) -> None:
    """Write one entry in the caller's unit of work: `by` did `action` on `target` (whose data: `subject`, the
    company that may read the entry besides the actor's own company; officers read every entry)."""
    for name, value in detail.items():
        if _SECRET_NAME.search(name):
            raise ValueError(f"audit.record: {name!r} names a secret; the audit log never holds one")
        if not (isinstance(value, _PLAIN) or (isinstance(value, list) and all(isinstance(v, _PLAIN) for v in value))):
            raise TypeError(f"audit.record: {name!r} must be a plain value, not {type(value).__name__}")
    _NEW_ENTRY.run(conn, {
        "at": clock.now(), "actor": (by.user or by.name)[:200], "actor_eori": None if by.is_officer else by.eori,
        "channel": by.channel, "client": (by.client or None) and by.client[:100], "action": action,
        "target": str(target)[:200], "subject_eori": subject, "detail": jsontext.dumps(detail)})


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    at: datetime
    actor: str
    actor_eori: str | None
    channel: str
    client: str | None
    action: str
    target: str
    subject_eori: str | None
    detail: dict


@dataclass(frozen=True, slots=True)
class EntryPage:
    entries: list[Entry]
    total: int
    page: int
    page_size: int


def read(party: Party, page: int = 1, page_size: int = 50, action: str | None = None) -> EntryPage:
    """The entries the party may read, newest first: an officer every entry; a company those it made or that
    concern it (rule audit.read)."""
    log = store.audit_log
    where = []
    if not party.is_officer:
        where.append(or_(log.c.subject_eori == party.eori, log.c.actor_eori == party.eori))
    if action:
        where.append(log.c.action == action)
    with db.reading() as conn:
        total = conn.execute(select(func.count()).select_from(log).where(*where)).scalar_one()
        rows = conn.execute(select(log).where(*where).order_by(log.c.id.desc())
                            .limit(page_size).offset((page - 1) * page_size)).all()
    entries = [Entry(r.id, r.at, r.actor, r.actor_eori, r.channel, r.client, r.action, r.target, r.subject_eori,
                     jsontext.loads(r.detail)) for r in rows]
    return EntryPage(entries, total, page, page_size)
