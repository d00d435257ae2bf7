"""The whole authorisation model: every room's table of who may act, and which rule governs each HTTP
operation and each incoming NCTS message (written out in docs/security.md; checked by tests/access).

Tokens themselves are issued and revoked at the terminal only (`told access`), by whoever runs the
server: there is no HTTP operation for them. A company's token stops working the moment the token
is revoked or the company's EORI registration is withdrawn (access/service.authenticate).
"""

from __future__ import annotations

from toldsystem.access.rules import REPRESENTATIVE, ROLE_TEXTS, Rule, rule
from toldsystem.companies import authorisation as companies
from toldsystem.core.api import unversioned
from toldsystem.guarantees import authorisation as guarantees
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
    "guarantees": (guarantees.RULES, guarantees.ROUTES),
    "companies": (companies.RULES, companies.ROUTES),
    "reference": (reference.RULES, reference.ROUTES),
    "operations": (operations.RULES, operations.ROUTES),
    "signatures": (signatures.RULES, signatures.ROUTES),
    "system": (PUBLIC, PUBLIC_ROUTES),
}

MESSAGES: dict[str, Rule] = transit.MESSAGES


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


def markdown() -> str:
    """The model as docs/security.md shows it: per room, each operation and message with its rule."""
    out = []
    for room, (rules, routes) in ROOMS.items():
        out += [f"#### {room}", "", "| operation | rule | who may act | on what | when | a refusal is |",
                "|---|---|---|---|---|---|"]
        rows = [(f"`{method} {path}`", name) for (method, path), name in routes.items()]
        if room == "transit":
            rows += [(f"message `{message_type}`", message_type) for message_type in MESSAGES]
        for operation, name in rows:
            entry = MESSAGES[name] if name in MESSAGES else rules[name]
            out.append(f"| {operation} | `{name}` | {_who(entry)} | {entry.object} | {entry.when} | {entry.refusal} |")
        out.append("")
    return "\n".join(out)
