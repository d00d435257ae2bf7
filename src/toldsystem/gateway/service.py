"""The file gateway's view, the one service both protocol front ends (SFTP, FTPS) read it through.

A company sees three folders of its own: `inbox/` where it puts files (those waiting, and those refused
with an explanation beside them), `outbox/` where the answers for it appear (the transit outbox, one
file per answer, until it deletes them) and `archive/` where processed files go. Uploads and their
processing are gateway/inbox.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from toldsystem import db
from toldsystem.access.rules import Party
from toldsystem.core import clock
from toldsystem.core.errors import NotFound
from toldsystem.gateway import rules, store
from toldsystem.gateway.rules import ARCHIVE, INBOX, OUTBOX, PENDING, PROCESSED, REJECTED, Location
from toldsystem.transit import service as transit

_f = store.files


@dataclass(frozen=True, slots=True)
class Entry:
    """A name in a company's view: a folder, or a file with its size and time."""

    name: str
    size: int = 0
    modified: datetime | None = None
    is_folder: bool = False


# --- reading the view -----------------------------------------------------------------------------

def listing(party: Party, location: Location) -> list[Entry]:
    """The entries of the root (the three folders) or of one folder, oldest first, at most LISTING_LIMIT."""
    if location.name is not None:
        return [entry(party, location)]
    if location.folder is None:
        return [Entry(folder, is_folder=True) for folder in rules.FOLDERS]
    if not _may_see(party):
        return []
    if location.folder == OUTBOX:
        return [Entry(rules.answer_name(m.id, m.message_type), len(m.xml.encode("utf-8")), m.created_at)
                for m in _answers(party)]
    with db.reading() as conn:  # every column but the files themselves
        rows = conn.execute(_visible(party, location.folder, *_LISTED).order_by(_f.c.id)
                            .limit(rules.LISTING_LIMIT)).all()
    if location.folder == ARCHIVE:
        return [Entry(r.archive_name, r.size, r.processed_at) for r in rows]
    found = []
    for r in rows:
        if r.deleted_at is None:
            found.append(Entry(r.name, r.size, r.received_at))
        if r.explanation is not None and r.explanation_deleted_at is None:
            found.append(Entry(r.name + rules.EXPLANATION_SUFFIX, len(r.explanation.encode("utf-8")), r.processed_at))
    return found


def entry(party: Party, location: Location) -> Entry:
    """One name: the root, a folder or a file; a name not in the company's own view does not exist."""
    if location.name is None:
        return Entry(location.folder or "/", is_folder=True)
    if not _may_see(party):
        raise rules.missing(location.path)
    if location.folder == OUTBOX:
        found = _answer(party, location)
        return Entry(location.name, len(found.xml.encode("utf-8")), found.created_at)
    row, explanation = _file(party, location)
    if explanation:
        return Entry(location.name, len(row.explanation.encode("utf-8")), row.processed_at)
    return Entry(location.name, row.size, row.processed_at if location.folder == ARCHIVE else row.received_at)


def read(party: Party, location: Location) -> bytes:
    """A file's content: an answer as NCTS XML, a file as uploaded, or an explanation beside a refused one."""
    if location.name is None:
        raise rules.denied(location.path, "a folder cannot be read as a file", "en mappe kan ikke læses som en fil")
    if not _may_see(party):
        raise rules.missing(location.path)
    if location.folder == OUTBOX:
        return _answer(party, location).xml.encode("utf-8")
    row, explanation = _file(party, location)
    return row.explanation.encode("utf-8") if explanation else row.content


def _may_see(party: Party) -> bool:
    """The folders hold transit messages and answers (NCTS now): a user without the transit role sees them empty,
    as the API's transit routes refuse it (issue 11)."""
    return party.may_use("transit")


def _answers(party: Party) -> list:
    """The answers in the company's outbox it has not deleted, oldest first."""
    found, since = [], 0
    for _page in range(20):  # bounded: twenty pages of the transit outbox
        page = transit.outbox(party, since, 1000)
        if not page:
            break
        with db.reading() as conn:
            gone = set(conn.execute(select(store.fetched.c.message_id).where(
                store.fetched.c.party_eori == party.eori,
                store.fetched.c.message_id.between(page[0].id, page[-1].id))).scalars())
        found += [m for m in page if m.id not in gone]
        if len(found) >= rules.LISTING_LIMIT:
            return found[:rules.LISTING_LIMIT]
        since = page[-1].id
    return found


def _answer(party: Party, location: Location):
    message_id = rules.answer_id(location.name)
    if message_id is None:
        raise rules.missing(location.path)
    try:
        found = transit.message(party, message_id)
    except NotFound:
        raise rules.missing(location.path) from None
    if (found.direction != "out" or found.party_eori != transit.recipient(party)
            or rules.answer_name(found.id, found.message_type) != location.name):
        raise rules.missing(location.path)
    with db.reading() as conn:
        if conn.execute(select(store.fetched.c.message_id).where(
                store.fetched.c.party_eori == party.eori, store.fetched.c.message_id == message_id)).first():
            raise rules.missing(location.path)
    return found


_LISTED = [c for c in _f.c if c.name != "content"]


def _visible(party: Party, folder: str, *columns):
    """The company's own files shown in `folder`: inbox/ holds those waiting and those refused, archive/ the rest."""
    mine = _f.c.party_eori == party.eori
    query = select(*(columns or [_f]))
    if folder == ARCHIVE:
        return query.where(mine, _f.c.state == PROCESSED, _f.c.deleted_at.is_(None))
    shown = _f.c.deleted_at.is_(None) | (_f.c.explanation.is_not(None) & _f.c.explanation_deleted_at.is_(None))
    return query.where(mine, _f.c.state.in_((PENDING, REJECTED)), shown)


def _file(party: Party, location: Location):
    """The row behind a name in inbox/ or archive/, and whether the name is its explanation."""
    name, explanation = location.name, False
    if location.folder == INBOX and name.endswith(rules.EXPLANATION_SUFFIX):
        name, explanation = name[:-len(rules.EXPLANATION_SUFFIX)], True
    column = _f.c.archive_name if location.folder == ARCHIVE else _f.c.name
    with db.reading() as conn:
        row = conn.execute(_visible(party, location.folder).where(column == name)
                           .order_by(_f.c.id.desc()).limit(1)).first()
    if row is None or (explanation and (row.explanation is None or row.explanation_deleted_at is not None)) \
            or (not explanation and row.deleted_at is not None):
        raise rules.missing(location.path)
    return row, explanation


# --- changing the view ----------------------------------------------------------------------------

def delete(party: Party, location: Location) -> None:
    """Remove a fetched answer from outbox/, a file from archive/, or a refused file (or its explanation) from
    inbox/; a file still waiting to be processed stays."""
    if location.name is None:
        raise rules.not_changeable(location.path)
    if not _may_see(party):
        raise rules.missing(location.path)
    now = clock.now()
    if location.folder == OUTBOX:
        found = _answer(party, location)
        with db.transaction() as conn:
            conn.execute(insert(store.fetched).values(party_eori=party.eori, message_id=found.id, deleted_at=now))
        return
    row, explanation = _file(party, location)
    if row.state == PENDING:
        raise rules.denied(location.path, "the file is being processed; its answers will appear in outbox/",
                           "filen er under behandling; svarene kommer i outbox/")
    column = "explanation_deleted_at" if explanation else "deleted_at"
    with db.transaction() as conn:
        conn.execute(update(_f).where(_f.c.id == row.id).values({column: now}))
