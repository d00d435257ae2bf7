"""Hardened reading of incoming DMS Import XML: refuse what is unsafe or malformed, then check the schema.

The reading and the schema errors as our pointers are DEC-DMS's (toldsystem.dms, on top of the checks
shared with transit in toldsystem.core.xml_input); what is DMS Import's own is the root it receives and
telling the kind of declaration from its content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.core.xml_input import Bounds
from toldsystem.imports.messages.schemas import DEC_NS, DECLARATION_KINDS, MESSAGES

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
    if kind is not None and kind not in DECLARATION_KINDS:
        return [problem("message.unknown_type", "/", f"{kind!r} is not a kind of declaration this system receives.",
                        f"{kind!r} er ikke en slags angivelse, som systemet modtager.")]
    found = MESSAGES.receive(data, kind, bounds or Bounds(), _refuse_other_root, kind_of)
    return found if isinstance(found, list) else ParsedDeclaration(*found)


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


schema_problems = MESSAGES.schema_problems  # (kind, tree, *, received=False, max_problems=...) -> list[Problem]
pointer_of = MESSAGES.pointer_of  # (kind, element) -> our pointer
