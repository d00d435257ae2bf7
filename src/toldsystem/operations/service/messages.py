"""Writing and reading the board's messages: create, update, extend, end, withdraw (officers, asked of
operations/authorisation.py), each one transaction that writes the message as it now stands, appends its
version to the history (never changing an earlier one), moves the board's revision on, so that every
process builds its availability snapshot again (board.py), and queues the change for the board's
subscribers (subscriptions.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import Connection, func, insert, select
from sqlalchemy import update as sql_update

from toldsystem import db
from toldsystem.access.rules import OPERATOR, Party, permitted, refusal
from toldsystem.access.service import audit
from toldsystem.core import clock, jsontext
from toldsystem.core.errors import NotFound, Problems, Rejected, problem
from toldsystem.operations import periods, rules, store, systems, views
from toldsystem.operations.authorisation import RULES, roles_towards_board
from toldsystem.operations.rules import CONTENT_FIELDS, WITHDRAWN, Effect, Message
from toldsystem.operations.service import subscriptions
from toldsystem.operations.windows import to_utc

_NULLABLE = ("window_start", "window_end", "recurrence", "fallback")
_EDITABLE = ("systems", "environments", "kind", "title", "body", "work_order", "window_start", "window_end",
             "recurrence", "effects", "fallback")


def _require(rule_name: str, by: Party) -> None:
    refused = refusal(RULES[rule_name], roles_towards_board(by), frozenset(), True, _unknown(0))
    if refused is not None:
        raise refused


def _unknown(message_id: int) -> NotFound:
    return NotFound(problem("ops.message_unknown", "message_id", f"there is no operational message {message_id}",
                            f"der er ingen driftsmeddelelse {message_id}"))


def instant(at: datetime | None, pointer: str = "at") -> datetime | None:
    """An officer's time: with an offset as given, without one as Danish wall-clock time; stored in UTC."""
    if at is None:
        return None
    found = Problems()
    found.add(rules.check_instant(at.replace(tzinfo=None), pointer))
    found.raise_if_any()
    return to_utc(at) if at.tzinfo is None else at.astimezone(timezone.utc)


def system_codes(names) -> tuple[str, ...]:
    """Systems by code or by the page's name ("DMS Forsendelse (NCTS)"); an unknown one is kept, to be refused."""
    return tuple((systems.system(n).code if systems.system(n) else n) for n in names)


def _effects(given) -> tuple[Effect, ...]:
    return tuple(e if isinstance(e, Effect) else Effect(e["channel"], e["state"], system_codes(e.get("systems") or ()))
                 for e in given)


# --- rows ------------------------------------------------------------------------------------------------------

def _effects_json(effects: tuple[Effect, ...]) -> str:
    return jsontext.dumps([views.effect_out(e) for e in effects])


def message_of(row) -> Message:
    effects = tuple(Effect(e["channel"], e["state"], tuple(e.get("systems") or ())) for e in jsontext.loads(row.effects))
    return Message(systems=tuple(row.systems.split(";")), environments=tuple(row.environments.split(";")),
                   kind=row.kind, title=row.title, body=row.body, created=row.created_at, updated=row.updated_at,
                   work_order=row.work_order, window_start=row.window_start, window_end=row.window_end,
                   recurrence=row.recurrence, effects=effects, fallback=row.fallback, status=row.status,
                   ended_at=row.ended_at, id=row.id, version=row.version, source_key=row.source_key)


def _row(message: Message) -> dict:
    return {"systems": ";".join(message.systems), "environments": ";".join(message.environments),
            "kind": message.kind, "status": message.status, "title": message.title, "body": message.body,
            "work_order": message.work_order, "window_start": message.window_start, "window_end": message.window_end,
            "recurrence": message.recurrence, "effects": _effects_json(message.effects), "fallback": message.fallback,
            "created_at": message.created, "updated_at": message.updated, "ended_at": message.ended_at,
            "version": message.version, "source_key": message.source_key}


def bump_revision(conn: Connection) -> None:
    """Move the board's revision on (every process's snapshot is then built again); the local one at once."""
    table = store.revision
    now = clock.now()
    if conn.execute(sql_update(table).where(table.c.id == 1).values(revision=table.c.revision + 1,
                                                                 changed_at=now)).rowcount == 0:
        conn.execute(insert(table).values(id=1, revision=1, changed_at=now))
    from toldsystem.operations.service import board  # the snapshot lives there; imported late (it reads us)

    db.after_commit(board.forget)


def _actor(conn: Connection, by: str | Party, action: str, message: Message) -> str:
    """Who acted, for the history; a party's change also goes to the audit log (access/service/audit)."""
    if isinstance(by, str):
        return by
    audit.record(conn, by, f"board.{action}", str(message.id), version=message.version, title=message.title)
    return by.name


def store_new(conn: Connection, message: Message, action: str, by: str | Party, note: str = "",
              at: datetime | None = None) -> Message:
    """Insert a message and its first history entry."""
    message = replace(message, version=1)
    message_id = conn.execute(insert(store.messages).values(**_row(message))).inserted_primary_key[0]
    message = replace(message, id=message_id)
    _append_version(conn, message, action, _actor(conn, by, action, message), note, CONTENT_FIELDS,
                    at or message.updated)
    bump_revision(conn)
    subscriptions.announce(conn, message, action)
    return message


def store_change(conn: Connection, before: Message, after: Message, action: str, by: str | Party, note: str = "",
                 at: datetime | None = None) -> Message:
    """Write a message's new version and append it to its history."""
    after = replace(after, id=before.id, version=before.version + 1)
    conn.execute(sql_update(store.messages).where(store.messages.c.id == before.id).values(**_row(after)))
    _append_version(conn, after, action, _actor(conn, by, action, after), note, rules.changed_fields(before, after),
                    at or after.updated)
    bump_revision(conn)
    subscriptions.announce(conn, after, action)
    return after


def _append_version(conn: Connection, message: Message, action: str, by: str, note: str,
                    changed: tuple[str, ...], at: datetime) -> None:
    conn.execute(insert(store.versions).values(
        message_id=message.id, version=message.version, action=action, at=at, actor=by[:200], note=note,
        changed=";".join(changed), content=jsontext.dumps(views.content(message))))


def _locked(conn: Connection, message_id: int) -> Message:
    query = select(store.messages).where(store.messages.c.id == message_id)
    if not db.is_sqlite(conn):
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise _unknown(message_id)
    return message_of(row)


def _checked(message: Message) -> Message:
    found = Problems()
    found.add(rules.check_message(message))
    found.raise_if_any()
    return message


# --- the officer's acts -------------------------------------------------------------------------------------

def draft(*, systems, environments=("PRD",), kind: str, title: str, body: str = "", work_order: str = "",
          window_start: datetime | None = None, window_end: datetime | None = None, recurrence: str | None = None,
          effects=(), fallback: str | None = None) -> Message:
    """A new message as it would be published, checked and not stored (the editor's preview; create's)."""
    now = clock.now()
    return _checked(Message(
        systems=system_codes(systems), environments=tuple(environments), kind=kind, title=title.strip(),
        body=body.strip(), created=now, updated=now, work_order=work_order.strip(),
        window_start=instant(window_start, "window_start"), window_end=instant(window_end, "window_end"),
        recurrence=recurrence or None, effects=_effects(effects), fallback=fallback, id=0))


def create(*, note: str = "", by: Party = OPERATOR, **fields) -> Message:
    """Publish a message on the board (the fields of `draft`)."""
    _require("operations.publish", by)
    message = draft(**fields)
    with db.transaction() as conn:
        return store_new(conn, replace(message, id=None), "created", by, note)


def _normalised(changes: dict) -> dict:
    """An update's changes as a message holds them; refused when a field cannot be changed or emptied."""
    unknown = sorted(set(changes) - set(_EDITABLE))
    if unknown:
        raise Rejected([problem("ops.not_editable", name, f"{name} cannot be changed by an update",
                                f"{name} kan ikke ændres") for name in unknown])
    blank = [name for name, value in changes.items() if value is None and name not in _NULLABLE]
    if blank:
        raise Rejected([problem("ops.required", name, f"{name} cannot be emptied; leave it out to keep it",
                                f"{name} kan ikke tømmes; udelad feltet for at beholde det") for name in blank])
    changes = dict(changes)
    for name in ("window_start", "window_end"):
        if name in changes:
            changes[name] = instant(changes[name], name)
    if "systems" in changes:
        changes["systems"] = system_codes(changes["systems"])
    if "environments" in changes:
        changes["environments"] = tuple(changes["environments"])
    if "effects" in changes:
        changes["effects"] = _effects(changes["effects"])
    if changes.get("recurrence") == "":
        changes["recurrence"] = None
    return changes


def draft_change(message_id: int, **changes) -> Message:
    """A message as an update would leave it, checked and not stored (the editor's preview)."""
    return _checked(replace(get(message_id), **_normalised(changes), updated=clock.now()))


def update(message_id: int, *, note: str = "", by: Party = OPERATOR, **changes) -> Message:
    """Change a message's content; a window that has passed only with a note. The earlier version stays in the
    history."""
    _require("operations.change", by)
    changes = _normalised(changes)
    now = clock.now()
    with db.transaction() as conn:
        before = _locked(conn, message_id)
        _past_needs_note(before, note, now)
        after = _checked(replace(before, **changes, updated=now))
        if rules.changed_fields(before, after) == ():
            return before
        return store_change(conn, before, after, "updated", by, note)


def extend(message_id: int, until: datetime, *, note: str = "", by: Party = OPERATOR) -> Message:
    """Move a window's end later."""
    _require("operations.change", by)
    until, now = instant(until, "until"), clock.now()
    with db.transaction() as conn:
        before = _locked(conn, message_id)
        _past_needs_note(before, note, now)
        found = Problems()
        found.add(rules.check_extension(before, until))
        found.raise_if_any()
        after = replace(before, window_end=until, updated=now)
        return store_change(conn, before, after, "extended", by, note)


def end(message_id: int, at: datetime | None = None, *, note: str = "", by: Party = OPERATOR) -> Message:
    """End a window or a disruption (now, or at the instant given): a disruption is back to normal."""
    _require("operations.change", by)
    now = clock.now()
    at = instant(at) or now
    with db.transaction() as conn:
        before = _locked(conn, message_id)
        _past_needs_note(before, note, now)
        found = Problems()
        found.add(rules.check_end(before, at))
        found.raise_if_any()
        after = replace(rules.ended(before, at), updated=now)
        return store_change(conn, before, after, "ended", by, note)


def withdraw(message_id: int, *, note: str = "", by: Party = OPERATOR) -> Message:
    """Withdraw a message (a cancelled window): it no longer governs anything; it stays in the history."""
    _require("operations.change", by)
    now = clock.now()
    with db.transaction() as conn:
        before = _locked(conn, message_id)
        if before.status == WITHDRAWN:
            return before
        _past_needs_note(before, note, now)
        return store_change(conn, before, replace(before, status=WITHDRAWN, updated=now), "withdrawn", by, note)


def _past_needs_note(message: Message, note: str, now: datetime) -> None:
    found = Problems()
    found.add(rules.check_note_for_past_window(message, periods.last_end(message) if message.has_window else None,
                                               note, now))
    found.raise_if_any()


# --- reading ---------------------------------------------------------------------------------------------------

def get(message_id: int) -> Message:
    """A message by id, or NotFound."""
    with db.reading() as conn:
        row = conn.execute(select(store.messages).where(store.messages.c.id == message_id)).first()
    if row is None:
        raise _unknown(message_id)
    return message_of(row)


def all_messages() -> list[Message]:
    """Every message, newest update first."""
    with db.reading() as conn:
        rows = conn.execute(select(store.messages).order_by(store.messages.c.updated_at.desc(),
                                                            store.messages.c.id.desc()))
        return [message_of(r) for r in rows]


def history(message_id: int) -> list[dict]:
    """A message's versions, oldest first: what was done, when, by whom, why, what changed, and its content then."""
    get(message_id)
    with db.reading() as conn:
        rows = conn.execute(select(store.versions).where(store.versions.c.message_id == message_id)
                            .order_by(store.versions.c.version))
        return [{"version": r.version, "action": r.action, "at": views.iso(r.at), "by": r.actor, "note": r.note,
                 "changed": [c for c in r.changed.split(";") if c], "content": jsontext.loads(r.content)}
                for r in rows]


def histories(message_ids) -> dict[int, list[dict]]:
    """The versions of several messages at once (one query), oldest first, as `history` gives each; for the
    status page, which shows every message with its updates."""
    ids = sorted(set(message_ids))
    found: dict[int, list[dict]] = {i: [] for i in ids}
    if not ids:
        return found
    with db.reading() as conn:
        rows = conn.execute(select(store.versions.c.message_id, store.versions.c.version, store.versions.c.action,
                                   store.versions.c.at, store.versions.c.actor, store.versions.c.note,
                                   store.versions.c.changed)
                            .where(store.versions.c.message_id.in_(ids))
                            .order_by(store.versions.c.message_id, store.versions.c.version))
        for r in rows:
            found[r.message_id].append({"version": r.version, "action": r.action, "at": r.at, "by": r.actor,
                                        "note": r.note, "changed": [c for c in r.changed.split(";") if c]})
    return found


def count() -> int:
    with db.reading() as conn:
        return conn.execute(select(func.count()).select_from(store.messages)).scalar_one()


def permitted_to_write(party: Party) -> bool:
    """Whether the party may write the board (for pages that offer the officer's forms)."""
    return permitted(RULES["operations.change"], roles_towards_board(party))
