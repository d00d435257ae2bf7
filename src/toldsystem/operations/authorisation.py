"""Who may act on the operational-messages board (SPEC O): the board is public — anyone, without a token, reads
its messages, their history, the systems' status, the availability answers and the availability history, the status page with its feeds and calendar —
and customs officers write it (create, update, extend, end, withdraw). A company that tries to write is told
403: there is nothing about a public message to hide."""

from __future__ import annotations

from toldsystem.access.rules import OFFICER, Party, Rule, officer_roles, rule

_WRITE = "403 to a company; nothing changes"

RULES: dict[str, Rule] = {
    "operations.read": rule(set(), "the board: messages with their history, systems and their status, availability, "
                            "the availability history; the status page, its feeds and calendar",
                            refusal="never refused; no token needed"),
    "operations.publish": rule({OFFICER}, "a new operational message or service window", refusal=_WRITE),
    "operations.change": rule({OFFICER}, "an operational message (update, extend, end, withdraw; a past window only "
                              "with a note)", refusal=_WRITE),
}

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/api/operations/messages"): "operations.read",
    ("GET", "/api/operations/messages/{message_id}"): "operations.read",
    ("GET", "/api/operations/board"): "operations.read",
    ("GET", "/api/operations/systems"): "operations.read",
    ("GET", "/api/operations/status"): "operations.read",
    ("GET", "/api/operations/availability"): "operations.read",
    ("GET", "/api/operations/report"): "operations.read",
    # the public status page and its feeds, outside the API (pages.py)
    ("GET", "/status"): "operations.read",
    ("GET", "/status/feed.rss"): "operations.read",
    ("GET", "/status/feed.atom"): "operations.read",
    ("GET", "/status/calendar.ics"): "operations.read",
    ("POST", "/api/operations/messages"): "operations.publish",
    ("PATCH", "/api/operations/messages/{message_id}"): "operations.change",
    ("POST", "/api/operations/messages/{message_id}/extend"): "operations.change",
    ("POST", "/api/operations/messages/{message_id}/end"): "operations.change",
    ("POST", "/api/operations/messages/{message_id}/withdraw"): "operations.change",
}


def roles_towards_board(party: Party) -> frozenset[str]:
    """An officer is an officer towards the board (it is national: every officer may write it)."""
    return officer_roles(party)
