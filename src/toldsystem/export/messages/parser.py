"""Hardened reading of incoming DMS Export XML: refuse what is unsafe or malformed, then check the schema.

The reading and the schema errors as our pointers are DEC-DMS's (toldsystem.dms.parser, on top of the checks
shared with transit in toldsystem.core.xml_input). What is export's own: the kinds it receives and telling
them from the content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.core.xml_input import Bounds
from toldsystem.dms import parser as dms
from toldsystem.dms.model import DEC_NS
from toldsystem.dms.parser import pointer_of  # export's pointer_of takes a model, as it always has
from toldsystem.export.messages.convert import to_data
from toldsystem.export.messages.schemas import ECS_NS, KINDS, RECEIVED_KINDS, compiled_schema, content_model

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
    bounds = bounds or Bounds()
    try:
        return _parse(data, kind, bounds)
    except Exception as error:  # noqa: BLE001 - a hostile file must never take the server down
        return dms.unreadable(error)


def _parse(data: Any, kind: str | None, bounds: Bounds) -> Parsed | list[Problem]:
    if kind is not None and kind not in RECEIVED_KINDS:
        return [problem("message.unknown_type", "/", f"{kind!r} is not a kind of message DMS Export receives.",
                        f"{kind!r} er ikke en slags meddelelse, som DMS Eksport modtager.")]
    tree = dms.read_received(data, bounds, _refuse_other_root)
    if isinstance(tree, list):
        return tree
    root = tree.getroot()
    kind = kind or kind_of(root)
    found = schema_problems(kind, tree, received=True, max_problems=bounds.max_problems)
    if found:
        return found
    return Parsed(kind=kind, data=to_data(root, kind), raw=bytes(data), tree=tree)


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


def schema_problems(kind: str, tree: etree._ElementTree, *, received: bool = False,
                    max_problems: int = Bounds().max_problems) -> list[Problem]:
    """Validate against the kind's XSD; each error becomes a Problem at its element (with line and column
    when the tree was `received`: a tree built from data has none)."""
    if kind not in KINDS:
        raise KeyError(f"no schema for export message kind {kind!r}")
    return dms.schema_problems(content_model(kind), compiled_schema(kind), tree, received=received,
                               max_problems=max_problems)

