"""The layout's navigation: each room adds its entries (in its web.py); the layout shows those the visitor's
roles allow. What a visitor may not use is not offered (its page would answer "unknown" anyway)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from toldsystem.access.rules import Party


@dataclass(frozen=True, slots=True)
class Entry:
    order: int  # place in the menu, smaller first
    path: str
    label: str  # the English text, a msgid of the room's catalogue
    shown: Callable[[Party], bool]


ENTRIES: list[Entry] = []


def add(order: int, path: str, label: str, *, system: str | None = None, officers: bool | None = None) -> None:
    """A menu entry for visitors holding `system`'s role; officers only (True), companies only (False), or both."""
    def shown(party: Party) -> bool:
        return party.may_use(system) and (officers is None or party.is_officer == officers)

    if all(entry.path != path for entry in ENTRIES):  # a module imported twice adds nothing twice
        ENTRIES.append(Entry(order, path, label, shown))
        ENTRIES.sort(key=lambda entry: entry.order)


def for_party(party: Party | None) -> list[Entry]:
    return [] if party is None else [entry for entry in ENTRIES if entry.shown(party)]
