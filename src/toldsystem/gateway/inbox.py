"""Files put into inbox/: kept durably before the upload is acknowledged, then processed exactly once, in
arrival order, through the same transit intake as the API — as submissions of the shared intake queue.

An upload is one unit of work: the file's row in the gateway (what the company sees) and its row in the
intake queue (ARCHITECTURE "Durable intake queue", handler `gateway.file`) are committed together before
the client is told the file arrived. The queue drains it while the board leaves DMS Forsendelse's file
channel open — at once, or after a queued window — and `_process` settles the file in the unit of work
that marks the queue's row: the transit answers, the file moving to archive/ (or its explanation) and the
queue's mark commit together or not at all, so a crash at any point leaves the file processed once.
A window that rejects the channel refuses the upload itself, naming the window.
"""

from __future__ import annotations

import hashlib
import threading

from sqlalchemy import bindparam, select, update

from toldsystem import batching, config, db
from toldsystem.access.rules import Party
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import Problem, ToldError, problem
from toldsystem.gateway import rules, store
from toldsystem.gateway.rules import INBOX, PENDING, PROCESSED, REJECTED, Location
from toldsystem.intake import service as intake
from toldsystem.operations.availability import REJECTED as CLOSED
from toldsystem.prepared import Prepared, insert_row
from toldsystem.transit import service as transit
from toldsystem.transit.service.gate import CHANNEL, ENVIRONMENT, SYSTEM

HANDLER = "gateway.file"
QUEUE = (SYSTEM, ENVIRONMENT, CHANNEL)  # transit's file channel: files wait behind the API's held messages
_f = store.files

# Each file runs these once at upload and once when processed: compiled once (prepared.py), not at every call.
_REPLACE_REFUSED = Prepared(update(_f).where(_f.c.party_eori == bindparam("eori"), _f.c.name == bindparam("file_name"),
                                             _f.c.state == REJECTED, _f.c.deleted_at.is_(None))
                            .values(deleted_at=bindparam("at"), explanation_deleted_at=bindparam("at")))
_NEW_FILE = insert_row(_f, _f.c.id)
_PENDING_FILE = Prepared(select(_f).where(_f.c.id == bindparam("file_id"), _f.c.state == PENDING))
_ARCHIVED_AS = Prepared(select(_f.c.id).where(_f.c.party_eori == bindparam("eori"), _f.c.state == PROCESSED,
                                              _f.c.archive_name == bindparam("file_name"), _f.c.deleted_at.is_(None))
                        .limit(1))
_FIRST_SAME = Prepared(select(_f.c.name, _f.c.received_at).where(
    _f.c.party_eori == bindparam("eori"), _f.c.sha256 == bindparam("digest"), _f.c.id < bindparam("file_id"),
    _f.c.state != PENDING).order_by(_f.c.id).limit(1))
_SETTLE = Prepared(update(_f).where(_f.c.id == bindparam("file_id")).values(
    state=bindparam("new_state"), processed_at=bindparam("at"), answer_ids=bindparam("answers"),
    explanation=bindparam("why"), archive_name=bindparam("archived_as")))


def open_problem(party: Party, location: Location) -> rules.Refused | None:
    """Whether an upload may begin here now: into inbox/, under a plain name, by a user with the transit role,
    while the board lets files in."""
    return rules.upload_problem(location) or rules.role_problem(party, location) or _closed(location)


def _closed(location: Location) -> rules.Refused | None:
    """A window or disruption that rejects DMS Forsendelse's file channel refuses the file, naming it (SPEC O)."""
    availability = transit.gate()
    if availability.state != CLOSED:
        return None
    return rules.Refused("failed", transit.Closed(availability).problems[0])


def store_upload(party: Party, name: str, content: bytes, channel: str) -> int:
    """Keep an uploaded file in inbox/ and queue it for processing, committed durably before this returns (the
    upload's acknowledgement). A refused file of the same name still shown in inbox/ is replaced by it."""
    location = Location(INBOX, name)
    refusal = open_problem(party, location)
    if refusal:
        raise refusal
    limit = config.settings().limits.max_body_bytes
    if len(content) > limit:
        raise rules.too_large(location.path, limit)
    row = {"party_eori": party.eori, "channel": channel, "name": name, "size": len(content),
           "sha256": hashlib.sha256(content).hexdigest(), "content": content, "received_at": clock.now(),
           "state": PENDING}
    reading = _read(content)  # here, in the uploader's thread: the one writer only receives it
    file_id = batching.submit(_keep, party, row).result()
    _readings.keep(file_id, reading)
    for listener in _listeners:
        listener()
    return file_id


class _Readings:
    """Files read at upload, waiting to be processed: the queue's handler takes the reading instead of parsing the
    file again inside the unit of work. Bounded; a file not found here (after a restart) is read there."""

    MOST = 512

    def __init__(self) -> None:
        self._found: dict[int, transit.Reading | Problem] = {}
        self._lock = threading.Lock()

    def keep(self, file_id: int, reading) -> None:
        with self._lock:
            if len(self._found) >= self.MOST:
                self._found.pop(next(iter(self._found)))
            self._found[file_id] = reading

    def take(self, file_id: int, content: bytes):
        with self._lock:
            found = self._found.pop(file_id, None)
        return found if found is not None else _read(content)


_readings = _Readings()


def _keep(party: Party, row: dict) -> int:
    with db.transaction() as conn:
        _REPLACE_REFUSED.run(conn, {"eori": row["party_eori"], "file_name": row["name"], "at": row["received_at"]})
        file_id = _NEW_FILE.run(conn, _NEW_FILE_DEFAULTS | row).scalar_one()
        # The content is the file's row's (read there by _process): the queue's row holds only its size.
        intake.hold(system=SYSTEM, environment=ENVIRONMENT, channel=CHANNEL, handler=HANDLER, party=party,
                    payload=None, size=row["size"], digest=row["sha256"],
                    summary={"file": file_id, "name": row["name"]})
        return file_id


_NEW_FILE_DEFAULTS = {"processed_at": None, "archive_name": None, "answer_ids": None, "explanation": None,
                      "deleted_at": None, "explanation_deleted_at": None}
_listeners: list = []


def on_upload(listener) -> None:
    """Call `listener()` after each upload is stored (the gateway's nudge drains the queue at once)."""
    _listeners.append(listener)


def off_upload(listener) -> None:
    _listeners.remove(listener)


# --- processing (the intake queue's handler) -------------------------------------------------------

def _process(held: intake.Held) -> dict:
    """A file's whole processing, inside the queue's unit of work; never refuses (a refusal is the file's outcome,
    shown beside it), so the queue marks it processed together with the file."""
    file_id = held.summary["file"]
    with db.transaction() as conn:
        row = _PENDING_FILE.run(conn, {"file_id": file_id}).first()
        if row is None:
            return {"file": file_id, "state": "settled before"}
        problems, answer_ids, refusing = _outcome(conn, held.party, row)
        values = {"file_id": file_id, "at": clock.now(), "answers": jsontext.dumps(answer_ids), "why": None,
                  "archived_as": None}
        if refusing is not None:
            values |= {"new_state": REJECTED,
                       "why": rules.explanation(row.name, row.received_at, problems, refusing)}
        else:
            taken = _ARCHIVED_AS.run(conn, {"eori": row.party_eori, "file_name": row.name}).first()
            values |= {"new_state": PROCESSED,
                       "archived_as": rules.archive_name(row.name, row.id, taken is not None)}
        _SETTLE.run(conn, values)
    return {"file": file_id, "state": values["new_state"], "answers": answer_ids}


intake.register(HANDLER, _process)


def _outcome(conn, party: Party, row) -> tuple[list[Problem], list[int], str | None]:
    """What processing the file gave: the problems, the answers' ids, and — when it was refused — the refusing
    answer's file name ("" when there is none); None when the message was taken."""
    first = _FIRST_SAME.run(conn, {"eori": row.party_eori, "digest": row.sha256, "file_id": row.id}).first()
    if first is not None:
        return [rules.duplicate_problem(row.name, first.name, first.received_at)], [], ""
    reading = _readings.take(row.id, row.content)
    if isinstance(reading, Problem):
        return [reading], [], ""
    try:
        result = transit.receive(party, reading)
    except ToldError as refused:
        return refused.problems, [], ""
    ids = [a.id for a in result.answers]
    if result.repeated:
        return [rules.repeated_problem(row.name)], ids, ""
    mine = [a for a in result.answers if a.party_eori == transit.recipient(party)]
    if mine and mine[0].message_type in rules.REFUSING_ANSWERS:
        answer = mine[0]
        found = [_problem(p) for p in answer.data.get("_errors", [])] or list(reading.problems)
        return found, ids, rules.answer_name(answer.id, answer.message_type)
    return [], ids, None


def _read(content: bytes) -> transit.Reading | Problem:
    try:
        return transit.read_xml(content)
    except ToldError as refused:
        return refused.problems[0]
    except (UnicodeError, ValueError) as unreadable:
        return problem("gateway.unreadable", "/", f"the file could not be read as NCTS XML: {unreadable}"[:300],
                       f"filen kunne ikke læses som NCTS XML: {unreadable}"[:300])


def _problem(stored: dict) -> Problem:
    return Problem(stored["code"], stored["pointer"], stored["message"], stored["message_da"],
                   stored.get("line", 0), stored.get("column", 0))
