"""The agency's message page as text, taken apart into message blocks (seed 001; the format of ../shared/ops/).

Each message on the page is

    <categories><title><updated: DD-MM-YYYY kl. HH:MM>       ← one line, run together
    <body lines …, the work-order number (WO…/INC…) among them>
    <created: DD-MM-YYYY HH:MM:SS>

The categories are the page's names joined by ", " ("DMS eksport, DMS Import"); the title follows the last
one without a separator, so "DMS eksportDMS eksport, Information - …" is the category "DMS eksport" and the
title "DMS eksport, Information - …". A category the page has and this board does not know is taken up to
where the title visibly begins (a small letter or ")" running into a capital) and reported. The created time
may run into the next message's header, or a work-order number into the created time; both are taken apart.
Text outside any message is reported, never dropped silently. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from toldsystem.core.errors import Problem, problem
from toldsystem.operations.systems import PAGE_NAMES, by_page_name
from toldsystem.operations.windows import to_utc

UPDATED = re.compile(r"(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4}) kl\. ?(?P<H>\d{2})[:.](?P<M>\d{2})")
CREATED = re.compile(r"(?P<d>\d{2})-(?P<m>\d{2})-(?P<y>\d{4}) (?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})")
_NAMES = re.compile("|".join(re.escape(n) for n in PAGE_NAMES), re.IGNORECASE)
_TITLE_BEGINS = re.compile(r"(?<=[a-zæøå)\]])(?=[A-ZÆØÅ])")


@dataclass
class Block:
    """One message as the page shows it: its parts, taken apart, and the line it starts on."""

    line: int
    categories: list[str]  # system codes, in the page's order
    title: str
    updated: datetime
    body: list[str] = field(default_factory=list)
    created: datetime | None = None
    unknown_categories: list[str] = field(default_factory=list)


def _instant(match: re.Match) -> datetime | None:
    g = match.groupdict()
    try:
        local = datetime(int(g["y"]), int(g["m"]), int(g["d"]), int(g["H"]), int(g["M"]), int(g.get("S") or 0))
    except ValueError:
        return None
    return to_utc(local)


def split_categories(text: str) -> tuple[list[str], list[str], str]:
    """The categories at the start of a header (codes), those not known (names), and the title after them."""
    codes: list[str] = []
    unknown: list[str] = []
    position = 0
    while True:
        known = _NAMES.match(text, position)
        if known:
            codes.append(by_page_name(known.group(0)).code)
            position = known.end()
        else:
            # Not a name this board knows, where a category must stand (first, or after ", "): up to the next
            # ", " or to where the title visibly begins.
            boundary = _TITLE_BEGINS.search(text, position)
            following = text.find(", ", position)
            if following != -1 and (boundary is None or following < boundary.start()):
                end = following
            elif boundary is not None:
                end = boundary.start()
            else:
                return codes, unknown, text[position:].strip()
            unknown.append(text[position:end].strip())
            position = end
        if text.startswith(", ", position) and position + 2 < len(text):
            position += 2
            continue
        return codes, unknown, text[position:].strip()


def _header(text: str, line: int) -> tuple[Block, str] | None:
    """A header line taken apart, and what runs on after its updated time (the body's first line), if it is one."""
    found = None
    for found in UPDATED.finditer(text):
        pass
    if found is None:
        return None
    updated = _instant(found)
    if updated is None:
        return None
    codes, unknown, title = split_categories(text[:found.start()])
    return Block(line, codes, title, updated, unknown_categories=unknown), text[found.end():].strip()


def _starts_with_category(text: str) -> bool:
    return _NAMES.match(text) is not None


@dataclass
class Page:
    blocks: list[Block]
    problems: list[Problem]


def read(text: str) -> Page:
    """The page's message blocks in the order it shows them, and what could not be placed."""
    blocks: list[Block] = []
    problems: list[Problem] = []
    current: Block | None = None
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.replace("\xa0", " ").rstrip()
        if current is None:
            header = _header(line, number) if UPDATED.search(line) else None
            if header is None:
                if line.strip():
                    problems.append(problem("import.outside_message", f"line {number}", "text outside any message, "
                                            f"not imported: {line.strip()[:80]!r}", "tekst uden for en meddelelse, "
                                            "ikke indlæst", line=number))
                continue
            current, rest = header
            if rest:
                current.body.append(rest)
            continue
        created = CREATED.search(line)
        after = line[created.end():].strip() if created else ""
        if created and (not after or _header(after, number)):
            before = line[:created.start()].strip()
            if before:
                current.body.append(before)
            current.created = _instant(created)
            blocks.append(current)
            current = None
            if after:
                header = _header(after, number)
                if header:
                    current, rest = header
                    if rest:
                        current.body.append(rest)
            continue
        if _starts_with_category(line) and UPDATED.search(line) and (header := _header(line, number)):
            problems.append(problem("import.no_created_time", f"line {current.line}", f"the message {current.title!r} "
                                    "has no created time before the next message begins; not imported",
                                    "meddelelsen har intet oprettelsestidspunkt; ikke indlæst", line=current.line))
            current, rest = header
            if rest:
                current.body.append(rest)
            continue
        current.body.append(line)
    if current is not None:
        problems.append(problem("import.no_created_time", f"line {current.line}", f"the message {current.title!r} "
                                "ends without its created time (the text stops); not imported",
                                "meddelelsen slutter uden oprettelsestidspunkt; ikke indlæst", line=current.line))
    return Page(blocks, problems)
