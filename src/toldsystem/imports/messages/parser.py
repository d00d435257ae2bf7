"""Hardened reading of incoming DMS Import XML: refuse what is unsafe or malformed, then check the schema.

The reading and the schema errors as our pointers are DEC-DMS's (toldsystem.dms.parser, on top of the checks
shared with transit in toldsystem.core.xml_input); what is DMS Import's own is the root it receives and
telling the kind of declaration from its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.core.xml_input import Bounds
from toldsystem.dms import parser as dms
from toldsystem.imports.messages.convert import to_data
from toldsystem.imports.messages.schemas import DEC_NS, DECLARATION_KINDS, KINDS, compiled_schema, content_model

__all__ = ["Bounds", "ParsedDeclaration", "kind_of", "parse_declaration", "schema_problems"]


@dataclass(frozen=True, slots=True)
class ParsedDeclaration:
    """A declaration that passed every check: its kind (declaration, amendment, invalidation), data, bytes."""

    kind: str
    data: dict[str, Any]
    raw: bytes
    tree: etree._ElementTree


def parse_declaration(data: bytes, *, kind: str | None = None,
                      bounds: Bounds | None = None) -> ParsedDeclaration | list[Problem]:
    """Read and validate one incoming DEC-DMS message; never raises on bad input, returns problems instead.

    `kind` is what the sender says it sends (e.g. from the endpoint); without it the kind is told from
    the content: an Amendment block with goods is an amendment, one without an invalidation."""
    bounds = bounds or Bounds()
    try:
        return _parse(data, kind, bounds)
    except Exception as error:  # noqa: BLE001 - a hostile file must never take the server down
        return dms.unreadable(error)


def _parse(data: Any, kind: str | None, bounds: Bounds) -> ParsedDeclaration | list[Problem]:
    if kind is not None and kind not in DECLARATION_KINDS:
        return [problem("message.unknown_type", "/", f"{kind!r} is not a kind of declaration this system receives.",
                        f"{kind!r} er ikke en slags angivelse, som systemet modtager.")]
    tree = dms.read_received(data, bounds, _refuse_other_root)
    if isinstance(tree, list):
        return tree
    root = tree.getroot()
    kind = kind or kind_of(root)
    found = schema_problems(kind, tree, received=True, max_problems=bounds.max_problems)
    if found:
        return found
    return ParsedDeclaration(kind=kind, data=to_data(root, kind), raw=bytes(data), tree=tree)


def kind_of(root: etree._Element) -> str:
    """The kind of a DEC-DMS Declaration, told from its content."""
    names = {etree.QName(child).localname for child in root if isinstance(child.tag, str)}
    if "Amendment" not in names:
        return "declaration"
    return "amendment" if "GoodsShipment" in names else "invalidation"


def _refuse_other_root(root: etree._Element) -> list[Problem]:
    qname = etree.QName(root)
    line = root.sourceline or 0
    if qname.namespace != DEC_NS:
        found = qname.namespace or "no namespace"
        return [problem("xml.wrong_namespace", f"/{qname.localname}",
                        f"The root element must be in the namespace {DEC_NS}, not {found}.",
                        f"Rodelementet skal være i navnerummet {DEC_NS}, ikke {found}.", line)]
    if qname.localname != "Declaration":
        return [problem("xml.unknown_message", f"/{qname.localname}",
                        f"{qname.localname} is not a message DMS Import receives (Declaration is).",
                        f"{qname.localname} er ikke en meddelelse, som DMS Import modtager (Declaration er).", line)]
    return []


def schema_problems(kind: str, tree: etree._ElementTree, *, received: bool = False,
                    max_problems: int = Bounds().max_problems) -> list[Problem]:
    """Validate against the kind's XSD; each error becomes a Problem pointing at its element (and, in a
    message as `received`, at its line and column: a tree built from data has none)."""
    if kind not in KINDS:
        raise KeyError(f"no schema for message kind {kind!r}")
    return dms.schema_problems(content_model(kind), compiled_schema(kind), tree, received=received,
                               max_problems=max_problems)


def pointer_of(kind: str, element: etree._Element) -> str:
    """Our pointer style: local names, with a 1-based index on elements that may repeat."""
    return dms.pointer_of(content_model(kind), element)
