"""The importer of the agency's published message page (`told ops import FILE`; SPEC O, seed 001). Pure: the
text in, the messages it holds and what could not be read out; the service stores them (service/imports.py).

A message the page shows under several categories appears several times: it is one message, known by its
created time and title (`identity`), carrying every category it appears under. The same message in two
versions (the page's updated time differs) gives both, oldest first, so the newer becomes an update.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from toldsystem.core.errors import Problem, problem
from toldsystem.operations.importer import page as pages
from toldsystem.operations.importer.reading import STALE_AFTER, Read, read_block
from toldsystem.operations.rules import Message
from toldsystem.operations.windows import wall_clock

__all__ = ["STALE_AFTER", "Imported", "Parsed", "identity", "parse"]


def identity(created: datetime, title: str) -> str:
    """A page message's identity: its created time (Danish, to the second) and its title."""
    return f"{wall_clock(created):%Y-%m-%dT%H:%M:%S}|{title.strip()}"[:360]


@dataclass
class Imported:
    """One message of the page: its identity and its versions, oldest first."""

    key: str
    versions: list[Message]
    lines: list[int]  # where it appears on the page
    notes: set[tuple[str, str]] = field(default_factory=set)


@dataclass
class Parsed:
    messages: list[Imported]
    problems: list[Problem] = field(default_factory=list)
    blocks: int = 0


def _content(message: Message) -> tuple:
    return (message.title, message.body, message.updated, message.work_order, message.kind, message.window_start,
            message.window_end, message.effects, message.fallback, message.status)


def parse(text: str, now: datetime) -> Parsed:
    """The page's messages and the problems met reading it (each with its line)."""
    read = pages.read(text)
    problems = list(read.problems)
    grouped: dict[str, Imported] = {}
    for block in read.blocks:
        if not block.categories:
            problems.append(problem("import.no_category", f"line {block.line}", f"{block.title!r}: none of its "
                                    f"categories ({', '.join(block.unknown_categories)}) is a system the board knows; "
                                    "not imported", "ingen af meddelelsens kategorier er kendt; ikke indlæst",
                                    line=block.line))
            continue
        found: Read = read_block(block, now)
        key = identity(found.message.created, found.message.title)
        entry = grouped.setdefault(key, Imported(key, [], []))
        entry.lines.append(block.line)
        for code, notes in (("import.not_read", found.notes), ("import.assumed", found.assumed)):
            for note in notes:
                if (code, note) not in entry.notes:  # a message shown under several categories is told of once
                    entry.notes.add((code, note))
                    problems.append(problem(code, f"line {block.line}", f"{block.title!r}: {note}",
                                            f"{block.title!r}: {note}", line=block.line))
        same = next((i for i, v in enumerate(entry.versions) if _content(v) == _content(found.message)), None)
        if same is None:
            entry.versions.append(found.message)
            continue
        known = entry.versions[same]
        extra = tuple(s for s in found.message.systems if s not in known.systems)
        if extra:
            entry.versions[same] = replace(known, systems=known.systems + extra)
    for entry in grouped.values():
        entry.versions.sort(key=lambda m: m.updated)
        for older, newer in zip(entry.versions, entry.versions[1:]):
            if older.updated == newer.updated:
                problems.append(problem("import.two_versions", f"line {entry.lines[0]}", f"{newer.title!r} appears "
                                        "in two different versions with the same updated time; the later on the page "
                                        "is kept", "meddelelsen findes i to udgaver med samme opdateringstidspunkt",
                                        line=entry.lines[0]))
    return Parsed(list(grouped.values()), problems, len(read.blocks))
