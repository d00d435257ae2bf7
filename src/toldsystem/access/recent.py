"""Parties authenticated in the last second, by token digest: every request asks, few need the store.

A revocation or a change of a company's registration in this process forgets them at once (after
its commit); one made by another process (the CLI, another server) takes effect within
SECONDS. Refusals are never kept, so a guessed token costs its own lookup each time.
"""

from __future__ import annotations

from toldsystem.access.rules import Party
from toldsystem.core.recent import Recent

SECONDS = 1.0

_recent: Recent[Party] = Recent(SECONDS)


def get(digest: str) -> Party | None:
    """The party behind this token digest if it authenticated within SECONDS."""
    return _recent.get(digest)


def keep(digest: str, party: Party) -> None:
    _recent.keep(digest, party)


def forget() -> None:
    """Every party is looked up again (a token was revoked, a registration changed)."""
    _recent.forget()
