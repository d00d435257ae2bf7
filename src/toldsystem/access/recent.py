"""Parties authenticated in the last second, by token digest: every request asks, few need the store.

A revocation or a change of a company's registration in this process forgets them at once (after
its commit); one made by another process (the CLI, another server) takes effect within
SECONDS. Refusals are never kept, so a guessed token costs its own lookup each time.
"""

from __future__ import annotations

import time

from toldsystem.access.rules import Party

SECONDS = 1.0
_MOST = 10_000  # distinct tokens kept at once; past it the cache starts over

_recent: dict[str, tuple[float, Party]] = {}


def get(digest: str) -> Party | None:
    """The party behind this token digest if it authenticated within SECONDS."""
    found = _recent.get(digest)
    if found is None or time.monotonic() - found[0] > SECONDS:
        return None
    return found[1]


def keep(digest: str, party: Party) -> None:
    if len(_recent) >= _MOST:
        _recent.clear()
    _recent[digest] = (time.monotonic(), party)


def forget() -> None:
    """Every party is looked up again (a token was revoked, a registration changed)."""
    _recent.clear()
