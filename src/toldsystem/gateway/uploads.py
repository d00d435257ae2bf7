"""A file uploaded through the portal (issue 12 part 2): kept in the company's inbox/ and processed as every file
of the gateway is (inbox.py: the durable intake queue, the same transit intake), then read back with its outcome."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from toldsystem import batching, db
from toldsystem.access.rules import Party
from toldsystem.core import jsontext
from toldsystem.core.errors import NotFound, problem
from toldsystem.gateway import inbox, store
from toldsystem.gateway.rules import PENDING
from toldsystem.intake import rules as queue_rules
from toldsystem.intake import service as intake
from toldsystem.operations import service as operations

CHANNEL = "web"  # the column's channel: sftp | ftps | web
_f = store.files
_UNPLAIN = re.compile(r"[^A-Za-z0-9._+-]")


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file as its sender sees it: its name, state, why it was refused, and the answers it produced."""

    id: int
    name: str
    state: str
    received_at: datetime
    processed_at: datetime | None
    explanation: str | None
    answer_ids: tuple[int, ...]

    @property
    def pending(self) -> bool:
        return self.state == PENDING


def plain_name(filename: str | None) -> str:
    """The name a browser's file is kept under in inbox/: its last part, in the characters the gateway allows."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    plain = _UNPLAIN.sub("_", base)
    if not plain:
        return "upload.xml"
    return (plain if plain[0].isalnum() else f"upload-{plain}")[:128]  # a name starts with a letter or digit


MOST_AHEAD = 64  # submissions processed ahead of this one, in arrival order, before the page stops waiting


def upload(party: Party, filename: str | None, content: bytes) -> int:
    """Keep the file in the company's inbox/ and queue it, as an SFTP or FTPS upload is (refused the same ways),
    then have the queue process it now, in arrival order, as the gateway's nudge does (gateway/worker.py) — unless
    the board holds the channel, when it waits as every file does."""
    file_id = inbox.store_upload(party, plain_name(filename), content, CHANNEL)
    for _ahead in range(MOST_AHEAD):
        if not queue_rules.channel_open(operations.availability(*inbox.QUEUE).state) or not _pending(file_id):
            break
        if batching.submit(intake.process_next, *inbox.QUEUE).result() in (None, queue_rules.HELD):
            break
    return file_id


def _pending(file_id: int) -> bool:
    with db.reading() as conn:
        return conn.execute(select(_f.c.state).where(_f.c.id == file_id)).scalar_one() == PENDING


def outcome(party: Party, file_id: int, wait_seconds: float = 0.0) -> Upload:
    """The company's uploaded file and what came of it, waiting up to `wait_seconds` for it to be processed;
    another company's file is unknown."""
    deadline = time.monotonic() + wait_seconds
    while True:
        with db.reading() as conn:
            row = conn.execute(select(_f.c.id, _f.c.name, _f.c.state, _f.c.received_at, _f.c.processed_at,
                                      _f.c.explanation, _f.c.answer_ids)
                               .where(_f.c.id == file_id, _f.c.party_eori == party.eori)).first()
        if row is None:
            raise NotFound(problem("gateway.no_such_file", "file", f"no uploaded file {file_id}",
                                   f"ingen indsendt fil {file_id}"))
        if row.state != PENDING or time.monotonic() >= deadline:
            return Upload(row.id, row.name, row.state, row.received_at, row.processed_at, row.explanation,
                          tuple(jsontext.loads(row.answer_ids)) if row.answer_ids else ())
        time.sleep(0.05)
