"""Reading an export message before any store is touched: XML (`read_xml`) or JSON data (`read_data`) reach
the same checks, within the configured bounds (export/messages: size, nesting, elements, schema)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from toldsystem import config
from toldsystem.core import jsontext
from toldsystem.core.errors import Problem, at_most, problem
from toldsystem.core.xml_input import Bounds
from toldsystem.export import messages


@dataclass(frozen=True, slots=True)
class Reading:
    """A message as read: its kind, data, the XML it is kept as and its digest — or the problems refusing it
    (with the LRN when it could be made out, so the refusal can be found again)."""

    kind: str
    data: dict[str, Any] | None
    xml: str
    digest: str
    problems: tuple[Problem, ...] = ()
    lrn: str | None = None


def read_xml(body: bytes, kind: str | None = None) -> Reading:
    """A DEC-DMS export declaration (B1, C1, amendment, invalidation) or a CC507C, as XML bytes."""
    parsed = messages.parse_export(body, kind, bounds=Bounds.of(config.settings().limits))
    if isinstance(parsed, list):
        return Reading(kind or "", None, "", "", tuple(parsed))
    return Reading(parsed.kind, parsed.data, parsed.raw.decode("utf-8"), jsontext.digest(parsed.data))


def read_data(data: Any, kind: str | None = None) -> Reading:
    """The same message as JSON data (element names as keys), checked against the same schema."""
    if not isinstance(data, dict):
        return _refused(problem("message.json", "body", "The body must be a JSON object.",
                                "Indholdet skal være et JSON-objekt."))
    limits = config.settings().limits
    lrn = data.get("FunctionalReferenceID") if isinstance(data.get("FunctionalReferenceID"), str) else None
    kind = kind or _kind_of(data)
    if kind not in messages.RECEIVED_KINDS:
        return _refused(problem("message.kind", "/kind", f"{kind} is not an export message kind; use one of "
                                f"{', '.join(messages.RECEIVED_KINDS)}.",
                                f"{kind} er ikke en eksportmeddelelse; brug en af "
                                f"{', '.join(messages.RECEIVED_KINDS)}."),
                        lrn)
    if _nodes(data) > limits.max_xml_elements:
        return _refused(problem("data.too_many_elements", "/", f"The message has more than "
                                f"{limits.max_xml_elements} elements.",
                                f"Meddelelsen har mere end {limits.max_xml_elements} elementer."), lrn)
    found = messages.validate_data(kind, data)
    if found:
        return Reading(kind, None, "", "", tuple(at_most(found, limits.max_problems)), lrn)
    return Reading(kind, data, messages.render(kind, data).decode("utf-8"), jsontext.digest(data))


def _refused(found: Problem, lrn: str | None = None) -> Reading:
    return Reading("", None, "", "", (found,), lrn)


def _kind_of(data: dict[str, Any]) -> str:
    """The kind as the XML reader tells it (docs/export-messages.md): CC507C, amendment, invalidation, C1, B1."""
    if "ExportOperation" in data:
        return "arrival_at_exit"
    goods = data.get("GoodsShipment") is not None
    if data.get("Amendment") or (goods and data.get("ID")):
        return "amendment"
    if data.get("ID") and not goods:
        return "invalidation"
    return "simplified" if data.get("ProcedureCategory") == "C1" else "declaration"


def _nodes(data: dict) -> int:
    """How many elements the data would make, counted without recursion (deep input cannot exhaust the stack)."""
    count, stack = 0, [data]
    while stack:
        node = stack.pop()
        for child in (node.values() if isinstance(node, dict) else node):
            count += 1
            if isinstance(child, (dict, list)):
                stack.append(child)
    return count
