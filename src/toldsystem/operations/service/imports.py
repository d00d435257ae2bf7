"""Importing the agency's page text into the board (`told ops import FILE`): each message of the page is found
again by its identity (its created time and title; or, when the agency retitled it, its created time and work
order); a new one is created, a changed one gets a new version in its history, an unchanged one is left
alone — so importing the same text twice changes nothing. A page text older than what the board holds (an
officer has changed the message since) does not undo it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select

from toldsystem import db
from toldsystem.access.rules import OPERATOR, Party
from toldsystem.core import clock
from toldsystem.core.errors import Problem, problem
from toldsystem.operations import importer, rules, store
from toldsystem.operations.service.messages import _require, message_of, store_change, store_new

ACTOR = "import of the agency's page"


@dataclass
class ImportResult:
    """What an import did: blocks read, messages found, created, updated and unchanged, and the problems."""

    blocks: int = 0
    messages: int = 0
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"blocks": self.blocks, "messages": self.messages, "created": len(self.created),
                "updated": len(self.updated), "unchanged": self.unchanged,
                "problems": [p.as_dict() for p in self.problems]}


def _stored(conn, imported: importer.Imported):
    table = store.messages
    row = conn.execute(select(table).where(table.c.source_key == imported.key)).first()
    if row is None:
        first = imported.versions[0]
        if first.work_order:
            row = conn.execute(select(table).where(table.c.created_at == first.created,
                                                   table.c.work_order == first.work_order,
                                                   table.c.source_key.is_not(None))).first()
    return None if row is None else message_of(row)


def import_text(text: str, *, by: Party = OPERATOR) -> ImportResult:
    """Import a page text (see the module's docstring); one transaction."""
    _require("operations.publish", by)
    parsed = importer.parse(text, clock.now())
    result = ImportResult(parsed.blocks, len(parsed.messages), problems=list(parsed.problems))
    with db.transaction() as conn:
        for imported in parsed.messages:
            current = _stored(conn, imported)
            touched = False
            for version in imported.versions:
                version = replace(version, source_key=imported.key)
                invalid = rules.check_message(version)
                if invalid:
                    result.problems += [problem("import.invalid", f"line {imported.lines[0]}",
                                                f"{version.title!r}: {p.pointer}: {p.en}; not imported",
                                                f"{version.title!r}: {p.pointer}: {p.da}", line=imported.lines[0])
                                        for p in invalid]
                    break
                if current is None:
                    current = store_new(conn, version, "imported", by.name if by is not OPERATOR else ACTOR,
                                        at=version.updated)
                    result.created.append(current.id)
                    touched = True
                elif version.updated >= current.updated and rules.changed_fields(current, version):
                    current = store_change(conn, current, replace(version, created=current.created), "reimported",
                                           by.name if by is not OPERATOR else ACTOR,
                                           "the page's text of this updated time", at=version.updated)
                    if current.id not in result.created and current.id not in result.updated:
                        result.updated.append(current.id)
                    touched = True
            if not touched:
                result.unchanged += 1
    return result
