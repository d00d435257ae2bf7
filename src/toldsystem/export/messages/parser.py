"""Hardened reading of incoming DMS Export XML: refuse what is unsafe or malformed, then check the schema.

The byte and tree checks are the shared ones (toldsystem.core.xml_input: size, UTF-8, no DTD or entities,
bounds on nesting, elements and attributes). What is export's own: the kinds it receives, telling them
from the content, and schema errors as our pointers against our content model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, at_most, problem
from toldsystem.core.xml_input import (ELEMENT_PREFIX, FACET_CODES, Bounds, element_at, expected_names, read_tree,
                                       refuse_unsafe, too_deep_in)
from toldsystem.export.messages.convert import to_data
from toldsystem.export.messages.schemas import ECS_NS, KINDS, RECEIVED_KINDS, compiled_schema, content_model
from toldsystem.imports.messages.schemas import DEC_NS, ContentModel

_NAMESPACE = re.compile(r"\{[^}]*\}")

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
        return [problem("xml.unreadable", "/", f"The message could not be read ({type(error).__name__}).",
                        f"Meddelelsen kunne ikke læses ({type(error).__name__}).")]


def _parse(data: Any, kind: str | None, bounds: Bounds) -> Parsed | list[Problem]:
    if kind is not None and kind not in RECEIVED_KINDS:
        return [problem("message.unknown_type", "/", f"{kind!r} is not a kind of message DMS Export receives.",
                        f"{kind!r} er ikke en slags meddelelse, som DMS Eksport modtager.")]
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
    return Parsed(kind=kind, data=to_data(root, kind), raw=data, tree=tree)


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
    schema = compiled_schema(kind)
    if schema.validate(tree):
        return []
    model = content_model(kind)
    problems: list[Problem] = []
    seen: set[str] = set()
    for error in schema.error_log:
        if len(problems) == max_problems:
            break
        found = _schema_problem(model, tree, error)
        if found.pointer in seen:
            continue  # one value breaking two facets (say length and pattern) is one problem
        seen.add(found.pointer)
        problems.append(replace(found, line=error.line, column=error.column) if received else found)
    return at_most(problems, max_problems, total=len(schema.error_log))


def _schema_problem(model: ContentModel, tree: etree._ElementTree, error: Any) -> Problem:
    detail = ELEMENT_PREFIX.sub("", error.message or "").strip()
    expected = expected_names(detail)
    detail = _NAMESPACE.sub("", detail)
    element = element_at(tree, error.path)
    pointer = pointer_of(model, element) if element is not None else "/" + model.root.name
    missing = None
    if detail.startswith("Missing child element"):
        missing = (pointer, _first_required_absent(model, element, expected))
    elif "This element is not expected" in detail and element is not None and element.getparent() is not None:
        # libxml reports a missing element as the next one being unexpected
        missing = (pointer.rpartition("/")[0], _first_required_absent(model, element.getparent(), expected))
    if missing and missing[1]:
        return problem("xml.schema.missing", f"{missing[0]}/{missing[1]}", f"{missing[1]} is required here.",
                       f"{missing[1]} skal angives her.")
    if "This element is not expected" in detail:
        if element is not None and _repeated_too_often(model, element):
            return problem("xml.schema.too_many", pointer,
                           f"This element is repeated more often than allowed. {detail}",
                           f"Elementet gentages flere gange end tilladt. {detail}")
        return problem("xml.schema.unexpected", pointer, f"This element is not allowed here. {detail}",
                       f"Elementet er ikke tilladt her. {detail}")
    return problem(FACET_CODES.get(error.type_name, "xml.schema.invalid"), pointer,
                   f"The value breaks the schema: {detail}", f"Værdien overholder ikke skemaet: {detail}")


def _type_key_of(model: ContentModel, element: etree._Element) -> str | None:
    type_key: str | None = model.root.type_key
    for node in [*reversed(list(element.iterancestors())), element][1:]:
        decl = model.child(type_key, etree.QName(node).localname)
        type_key = decl.type_key if decl is not None else None
    return type_key


def _first_required_absent(model: ContentModel, parent: etree._Element | None, expected: list[str]) -> str | None:
    """Of the elements libxml expects under `parent`, the first that must be there and is not."""
    type_key = _type_key_of(model, parent) if parent is not None else None
    if type_key is None:
        return expected[0] if len(expected) == 1 else None
    count: dict[str, int] = {}
    for child in parent:
        if isinstance(child.tag, str):
            name = etree.QName(child).localname
            count[name] = count.get(name, 0) + 1
    for name in expected:
        decl = model.child(type_key, name)
        if decl is not None and count.get(name, 0) < decl.min_occurs:
            return name
    return next((d.name for d in model.children(type_key) if count.get(d.name, 0) < d.min_occurs), None)


def _repeated_too_often(model: ContentModel, element: etree._Element) -> bool:
    parent = element.getparent()
    if parent is None:
        return False
    decl = model.child(_type_key_of(model, parent), etree.QName(element).localname)
    if decl is None or decl.max_occurs is None:
        return False
    return sum(1 for sibling in parent if sibling.tag == element.tag) > decl.max_occurs


def pointer_of(model: ContentModel, element: etree._Element) -> str:
    """Our pointer style: local names, with a 1-based index on elements that may repeat."""
    chain = [element, *element.iterancestors()][::-1]
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
