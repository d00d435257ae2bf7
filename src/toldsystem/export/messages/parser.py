"""Hardened reading of incoming DMS Export XML: refuse what is unsafe or malformed, then check the schema.

The reading and the schema errors as our pointers are DEC-DMS's (toldsystem.dms, on top of the checks
shared with transit in toldsystem.core.xml_input). What is export's own: the kinds it receives and telling
them from the content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.core.xml_input import Bounds
from toldsystem.dms.model import DEC_NS
from toldsystem.dms.parser import pointer_of  # export's pointer_of takes a model, as it always has
from toldsystem.export.messages.schemas import ECS_NS, KINDS, MESSAGES, RECEIVED_KINDS

__all__ = ["Bounds", "Parsed", "kind_of", "parse_export", "pointer_of", "schema_problems"]


@dataclass(frozen=True, slots=True)
class Parsed:
    """An export message that passed every check: its kind, its data, the bytes received and the tree."""

    kind: str
    data: dict[str, Any]
    raw: bytes
    tree: etree._ElementTree


def parse_export(data: bytes, kind: str | None = None, *, bounds: Bounds | None = None) -> Parsed | list[Problem]:
    """Read and validate one incoming DMS Export message; never raises on bad input, returns problems.

    `kind` is what the sender says it sends (one of RECEIVED_KINDS); without it the kind is told from the
    content (kind_of)."""
    if kind is not None and kind not in RECEIVED_KINDS:
        return [problem("message.unknown_type", "/", f"{kind!r} is not a kind of message DMS Export receives.",
                        f"{kind!r} er ikke en slags meddelelse, som DMS Eksport modtager.")]
    found = MESSAGES.receive(data, kind, bounds or Bounds(), _refuse_other_root, kind_of)
    return found if isinstance(found, list) else Parsed(*found)


def kind_of(root: etree._Element) -> str:
    """The kind of an export message, told from its content: a CC507C is an arrival at exit; goods with an MRN
    (ID) or an Amendment are an amendment, an MRN without goods an invalidation, a C1 a simplified declaration,
    anything else a (B1) declaration."""
    if root.tag == KINDS["arrival_at_exit"][1]:
        return "arrival_at_exit"
    names = {etree.QName(child).localname for child in root if isinstance(child.tag, str)}
    if "GoodsShipment" not in names:
        return "invalidation" if "ID" in names else "declaration"
    if "ID" in names or "Amendment" in names:
        return "amendment"
    category = next((child.text for child in root if etree.QName(child).localname == "ProcedureCategory"), None)
    return "simplified" if (category or "").strip() == "C1" else "declaration"


_RECEIVED_ROOTS = {KINDS[kind][1] for kind in RECEIVED_KINDS}


def _refuse_other_root(root: etree._Element) -> list[Problem]:
    qname = etree.QName(root)
    line = root.sourceline or 0
    if root.tag in _RECEIVED_ROOTS:
        return []
    if qname.namespace not in (DEC_NS, ECS_NS):
        found = qname.namespace or "no namespace"
        return [problem("xml.wrong_namespace", f"/{qname.localname}",
                        f"The root element must be in the namespace {DEC_NS} (or {ECS_NS}), not {found}.",
                        f"Rodelementet skal være i navnerummet {DEC_NS} (eller {ECS_NS}), ikke {found}.", line)]
    return [problem("xml.unknown_message", f"/{qname.localname}",
                    f"{qname.localname} is not a message DMS Export receives (Declaration and CC507C are).",
                    f"{qname.localname} er ikke en meddelelse, som DMS Eksport modtager (Declaration og CC507C er).",
                    line)]


schema_problems = MESSAGES.schema_problems  # (kind, tree, *, received=False, max_problems=...) -> list[Problem]
