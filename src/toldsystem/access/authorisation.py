"""The whole authorisation model: every room's table of who may act, and which rule governs each HTTP
operation and each incoming NCTS message (written out in docs/security.md; checked by tests/access).

Each rule may also name the system role the acting user needs (Rule.system: seed 000's import, export, transit,
Manifest, ICS, or GMS for guarantees, or the administrator role): every HTTP operation checks it before the room
does (access/api.py), so a transit-only user cannot touch a guarantee. A token acts with its user's roles.

A company's token stops working the moment the token is revoked, its user disabled or the company's EORI
registration withdrawn (access/service.authenticate).
"""

from __future__ import annotations

from functools import lru_cache

from toldsystem.access import authorisation_users as access
from toldsystem.access.rules import ADMIN, REPRESENTATIVE, ROLE_TEXTS, SYSTEMS, Rule, rule
from toldsystem.companies import authorisation as companies
from toldsystem.core.api import unversioned
from toldsystem.export import authorisation as export
from toldsystem.guarantees import authorisation as guarantees
from toldsystem.imports import authorisation as imports
from toldsystem.operations import authorisation as operations
from toldsystem.reference import authorisation as reference
from toldsystem.signatures import authorisation as signatures
from toldsystem.transit import authorisation as transit

# Operations that need no token at all.
PUBLIC: dict[str, Rule] = {
    "system.health": rule(set(), "the server's liveness", refusal="never refused; no token needed"),
}
PUBLIC_ROUTES: dict[tuple[str, str], str] = {("GET", "/health"): "system.health"}

ROOMS: dict[str, tuple[dict[str, Rule], dict[tuple[str, str], str]]] = {
    "transit": (transit.RULES, transit.ROUTES),
    "imports": (imports.RULES, imports.ROUTES),
    "export": (export.RULES, export.ROUTES),
    "guarantees": (guarantees.RULES, guarantees.ROUTES),
    "companies": (companies.RULES, companies.ROUTES),
    "reference": (reference.RULES, reference.ROUTES),
    "operations": (operations.RULES, operations.ROUTES),
    "access": (access.RULES, access.ROUTES),
    "signatures": (signatures.RULES, signatures.ROUTES),
    "system": (PUBLIC, PUBLIC_ROUTES),
}

MESSAGES: dict[str, Rule] = transit.MESSAGES


@lru_cache(maxsize=1024)  # asked on every request, with the route's path template: a bounded set
def rule_of(method: str, path: str) -> tuple[str, str, Rule] | None:
    """The room, rule name and rule that govern an HTTP operation (under /api/v1 or its alias), or None."""
    path = unversioned(path)
    for room, (rules, routes) in ROOMS.items():
        name = routes.get((method.upper(), path))
        if name is not None:
            return room, name, rules[name]
    return None


def _who(entry: Rule) -> str:
    if not entry.actors:
        return "anyone, without a token"
    texts = []
    for role in sorted(entry.actors, key=list(ROLE_TEXTS).index):
        text = ROLE_TEXTS[role][0]
        if role == REPRESENTATIVE:
            text += f" with a valid power (`{entry.scope}`)" if entry.scope else " (a valid power, or named for it)"
        texts.append(text)
    return "; ".join(texts)


def _role(entry: Rule) -> str:
    if entry.system is None:
        return "–"
    return "administrator" if entry.system == ADMIN else f"`{entry.system}` ({SYSTEMS[entry.system][0]})"


def markdown() -> str:
    """The model as docs/security.md shows it: per room, each operation and message with its rule."""
    out = []
    for room, (rules, routes) in ROOMS.items():
        out += [f"#### {room}", "", "| operation | rule | who may act | role needed | on what | when | a refusal is |",
                "|---|---|---|---|---|---|---|"]
        rows = [(f"`{method} {path}`", name) for (method, path), name in routes.items()]
        if room == "transit":
            rows += [(f"message `{message_type}`", message_type) for message_type in MESSAGES]
        for operation, name in rows:
            entry = MESSAGES[name] if name in MESSAGES else rules[name]
            out.append(f"| {operation} | `{name}` | {_who(entry)} | {_role(entry)} | {entry.object} | {entry.when} "
                       f"| {entry.refusal} |")
        out.append("")
    return "\n".join(out)
