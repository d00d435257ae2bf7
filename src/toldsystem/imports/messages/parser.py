"""Hardened reading of incoming DMS Import XML: refuse what is unsafe or malformed, then check the schema.

The byte and tree checks are shared with transit (size, UTF-8, no DTD or entities, bounds on nesting, elements and
attributes), in toldsystem.core.xml_input; what is DMS's own is the namespace, telling
the kind of declaration from its content, and turning schema errors into our pointers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, at_most, problem
from toldsystem.imports.messages.convert import to_data
from toldsystem.imports.messages.schemas import DEC_NS, DECLARATION_KINDS, KINDS, compiled_schema, content_model
from toldsystem.core.xml_input import (ELEMENT_PREFIX, FACET_CODES, Bounds, element_at, expected_names, read_tree,
                                       refuse_unsafe, too_deep_in)

_NAMESPACE = re.compile(r"\{[^}]*\}")

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
        return [problem("xml.unreadable", "/", f"The message could not be read ({type(error).__name__}).",
                        f"Meddelelsen kunne ikke læses ({type(error).__name__}).")]


def _parse(data: Any, kind: str | None, bounds: Bounds) -> ParsedDeclaration | list[Problem]:
    if kind is not None and kind not in DECLARATION_KINDS:
        return [problem("message.unknown_type", "/", f"{kind!r} is not a kind of declaration this system receives.",
                        f"{kind!r} er ikke en slags angivelse, som systemet modtager.")]
    if not isinstance(data, (bytes, bytearray)):
        return [problem("xml.not_bytes", "/", "The message must be sent as bytes.",
                        "Meddelelsen skal sendes som bytes.")]
    data = bytes(data)
    found = refuse_unsafe(data, bounds.max_bytes)
    if found:
        return found
    tree = read_tree(data, bounds)
    if isinstance(tree, list):
        return tree
    root = tree.getroot()
    found = too_deep_in(root, bounds.max_depth) or _refuse_other_root(root)
    if found:
        return found
    kind = kind or kind_of(root)
    found = schema_problems(kind, tree, received=True, max_problems=bounds.max_problems)
    if found:
        return found
    return ParsedDeclaration(kind=kind, data=to_data(root, kind), raw=data, tree=tree)


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
    schema = compiled_schema(kind)
    if schema.validate(tree):
        return []
    errors = schema.error_log
    problems: list[Problem] = []
    seen: set[str] = set()
    for error in errors:
        if len(problems) == max_problems:
            break
        found = _schema_problem(kind, tree, error)
        if found.pointer in seen:
            continue  # one value breaking two facets (say length and pattern) is one problem
        seen.add(found.pointer)
        problems.append(replace(found, line=error.line, column=error.column) if received else found)
    return at_most(problems, max_problems, total=len(errors))


def _schema_problem(kind: str, tree: etree._ElementTree, error: Any) -> Problem:
    detail = ELEMENT_PREFIX.sub("", error.message or "").strip()
    expected = expected_names(detail)  # read before the namespaces are taken out of the text
    detail = _NAMESPACE.sub("", detail)  # names as in our pointers, without their namespaces
    element = element_at(tree, error.path)
    pointer = pointer_of(kind, element) if element is not None else "/" + content_model(kind).root.name
    if detail.startswith("Missing child element"):
        name = _first_required_absent(kind, element, expected)
        if name:
            return problem("xml.schema.missing", f"{pointer}/{name}", f"{name} is required here.",
                           f"{name} skal angives her.")
    if "This element is not expected" in detail and element is not None:
        parent = element.getparent()
        name = _first_required_absent(kind, parent, expected) if parent is not None else None
        if name:  # libxml reports a missing element as the next one being unexpected
            return problem("xml.schema.missing", f"{pointer.rpartition('/')[0]}/{name}", f"{name} is required here.",
                           f"{name} skal angives her.")
        if _repeated_too_often(kind, element):
            return problem("xml.schema.too_many", pointer,
                           f"This element is repeated more often than allowed. {detail}",
                           f"Elementet gentages flere gange end tilladt. {detail}")
        return problem("xml.schema.unexpected", pointer, f"This element is not allowed here. {detail}",
                       f"Elementet er ikke tilladt her. {detail}")
    return problem(FACET_CODES.get(error.type_name, "xml.schema.invalid"), pointer,
                   f"The value breaks the schema: {detail}", f"Værdien overholder ikke skemaet: {detail}")


def _type_key_of(kind: str, element: etree._Element) -> str | None:
    """The complex type of an element of the message, found by walking down from the root."""
    model = content_model(kind)
    type_key: str | None = model.root.type_key
    for node in [*reversed(list(element.iterancestors())), element][1:]:
        decl = model.child(type_key, etree.QName(node).localname)
        type_key = decl.type_key if decl is not None else None
    return type_key


def _first_required_absent(kind: str, parent: etree._Element | None, expected: list[str]) -> str | None:
    """Of the elements libxml expects under `parent`, the first that must be there and is not."""
    type_key = _type_key_of(kind, parent) if parent is not None else None
    if type_key is None:
        return expected[0] if len(expected) == 1 else None
    model = content_model(kind)
    count: dict[str, int] = {}
    for child in parent:
        if isinstance(child.tag, str):
            count[etree.QName(child).localname] = count.get(etree.QName(child).localname, 0) + 1
    for name in expected:
        decl = model.child(type_key, name)
        if decl is not None and count.get(name, 0) < decl.min_occurs:
            return name
    return next((d.name for d in model.children(type_key) if count.get(d.name, 0) < d.min_occurs), None)


def _repeated_too_often(kind: str, element: etree._Element) -> bool:
    parent = element.getparent()
    decl = content_model(kind).child(_type_key_of(kind, parent), etree.QName(element).localname) \
        if parent is not None else None
    if decl is None or decl.max_occurs is None:
        return False
    return sum(1 for sibling in parent if sibling.tag == element.tag) > decl.max_occurs


def pointer_of(kind: str, element: etree._Element) -> str:
    """Our pointer style: local names, with a 1-based index on elements that may repeat."""
    chain = [element, *element.iterancestors()][::-1]
    model = content_model(kind)
    steps = [etree.QName(chain[0]).localname]
    type_key: str | None = model.root.type_key
    for parent, node in zip(chain, chain[1:]):
        name = etree.QName(node).localname
        decl = model.child(type_key, name)
        same = [sibling for sibling in parent if sibling.tag == node.tag]
        steps.append(f"{name}[{same.index(node) + 1}]" if (decl is not None and decl.repeats) or len(same) > 1
                     else name)
        type_key = decl.type_key if decl is not None else None
    return "/" + "/".join(steps)
