"""Hardened reading of incoming NCTS XML: refuse what is unsafe or malformed, then check the schema."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, at_most, problem
from toldsystem.core.xml_input import (DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_PROBLEMS, ELEMENT_PREFIX,
                                       FACET_CODES, Bounds, element_at, expected_names, read_tree, refuse_unsafe,
                                       too_deep_in)
from toldsystem.transit.messages.convert import to_data
from toldsystem.transit.messages.schemas import MESSAGE_TYPES, NCTS_NS, compiled_schema, content_model

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_MAX_DEPTH", "Bounds", "ParsedMessage", "parse_message", "schema_problems"]


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """A message that passed every check: its type (e.g. CC015C), its data, and the bytes received."""

    message_type: str
    data: dict[str, Any]
    raw: bytes
    tree: etree._ElementTree


def parse_message(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH,
                  bounds: Bounds | None = None) -> ParsedMessage | list[Problem]:
    """Read and validate one incoming message; never raises on bad input, returns problems instead.

    The work is bounded before the schema is checked: bytes, nesting, elements and attributes; and
    at most `max_problems` schema errors are turned into problems (the last saying how many more)."""
    bounds = bounds or Bounds(max_bytes=max_bytes, max_depth=max_depth)
    try:
        return _parse(data, bounds)
    except Exception as error:  # noqa: BLE001 — a hostile file must never take the server down
        return [problem("xml.unreadable", "/", f"The message could not be read ({type(error).__name__}).",
                        f"Meddelelsen kunne ikke læses ({type(error).__name__}).")]


def _parse(data: bytes, bounds: Bounds) -> ParsedMessage | list[Problem]:
    if not isinstance(data, (bytes, bytearray)):
        return [problem("xml.not_bytes", "/", "The message must be sent as bytes.",
                        "Meddelelsen skal sendes som bytes.")]
    data = bytes(data)
    found = refuse_unsafe(data, bounds.max_bytes)
    if found:
        return found
    tree_or_problems = read_tree(data, bounds)
    if isinstance(tree_or_problems, list):
        return tree_or_problems
    tree = tree_or_problems
    root = tree.getroot()
    # The depth bound is checked only where it can decide anything: before a refusal (so that a
    # document nested too deep is refused as that), and for a message type whose schema admits
    # elements deeper than the bound. A message valid against a shallower schema is within it.
    found = _refuse_unknown_root(root)
    if found:
        return too_deep_in(root, bounds.max_depth) or found
    message_type = etree.QName(root).localname
    found = (schema_problems(message_type, tree, received=True, max_problems=bounds.max_problems)
             or _refuse_other_message_type(root, message_type))
    if found:
        return too_deep_in(root, bounds.max_depth) or found
    depth, unbounded = content_model(message_type).depth
    if depth > bounds.max_depth or any(root.find(name) is not None for name in unbounded):
        found = too_deep_in(root, bounds.max_depth)
        if found:
            return found
    return ParsedMessage(message_type=message_type, data=to_data(root), raw=data, tree=tree)


def _refuse_unknown_root(root: etree._Element) -> list[Problem]:
    qname = etree.QName(root)
    if qname.namespace != NCTS_NS:
        found = qname.namespace or "no namespace"
        return [problem("xml.wrong_namespace", f"/{qname.localname}",
                        f"The root element must be in the namespace {NCTS_NS}, not {found}.",
                        f"Rodelementet skal være i navnerummet {NCTS_NS}, ikke {found}.")]
    if qname.localname not in MESSAGE_TYPES:
        return [problem("xml.unknown_message", f"/{qname.localname}",
                        f"{qname.localname} is not a transit message this system receives.",
                        f"{qname.localname} er ikke en forsendelsesmeddelelse, som systemet modtager.")]
    return []


def _refuse_other_message_type(root: etree._Element, message_type: str) -> list[Problem]:
    """The header's messageType must name the message itself: the schema takes any phase 5 type there."""
    declared = root.find("messageType")
    if declared is not None and (declared.text or "").strip() != message_type:
        line = declared.sourceline or 0
        return [problem("xml.message_type_mismatch", f"/{message_type}/messageType",
                        f"messageType is {declared.text!r}, but the message is a {message_type}.",
                        f"messageType er {declared.text!r}, men meddelelsen er en {message_type}.", line)]
    return []


def schema_problems(message_type: str, tree: etree._ElementTree, *, received: bool = False,
                    max_problems: int = DEFAULT_MAX_PROBLEMS) -> list[Problem]:
    """Validate against the message's XSD; each error becomes a Problem pointing at its element
    (and, in a message as `received`, at its line and column: a tree built from JSON has none).

    Only the first `max_problems` errors are described (finding an element's pointer is the costly
    part); past them, the last problem says how many more there are."""
    schema = compiled_schema(message_type)
    if schema.validate(tree):
        return []
    errors = schema.error_log
    problems = []
    seen: set[str] = set()
    for error in errors:
        if len(problems) == max_problems:
            break
        found = _schema_problem(message_type, tree, error)
        if found.pointer in seen:
            continue  # one value breaking two facets (say length and pattern) is one problem
        seen.add(found.pointer)
        problems.append(replace(found, line=error.line, column=error.column) if received else found)
    return at_most(problems, max_problems, total=len(errors))


def _schema_problem(message_type: str, tree: etree._ElementTree, error: Any) -> Problem:
    detail = ELEMENT_PREFIX.sub("", error.message or "").strip()
    pointer = _pointer_of(message_type, tree, error.path)
    element = element_at(tree, error.path)
    if detail.startswith("Missing child element"):
        name = _required_among(message_type, element, expected_names(detail))
        if name:
            return problem("xml.schema.missing", f"{pointer}/{name}", f"{name} is required here.",
                           f"{name} skal angives her.")
    if "This element is not expected" in detail and element is not None:
        # libxml reports a missing element as the next one being unexpected; name the missing one.
        name = _required_among(message_type, element.getparent(), expected_names(detail))
        parent = pointer.rpartition("/")[0]
        if name and not _has_child(tree, error.path, name):
            return problem("xml.schema.missing", f"{parent}/{name}", f"{name} is required here.",
                           f"{name} skal angives her.")
    if "This element is not expected" in detail:
        if element is not None and _repeated_too_often(message_type, element):
            return problem("xml.schema.too_many", pointer, f"This element is repeated more often than allowed. {detail}",
                           f"Elementet gentages flere gange end tilladt. {detail}")
        return problem("xml.schema.unexpected", pointer, f"This element is not allowed here. {detail}",
                       f"Elementet er ikke tilladt her. {detail}")
    return problem(FACET_CODES.get(error.type_name, "xml.schema.invalid"), pointer,
                   f"The value breaks the schema: {detail}", f"Værdien overholder ikke skemaet: {detail}")


def _repeated_too_often(message_type: str, element: etree._Element) -> bool:
    """True when the element is one more of a kind its parent may hold only so many of."""
    parent = element.getparent()
    type_key = _type_key_of(message_type, parent) if parent is not None else None
    decl = content_model(message_type).child(type_key, etree.QName(element).localname) if type_key else None
    if decl is None or decl.max_occurs is None:
        return False
    return sum(1 for sibling in parent if sibling.tag == element.tag) > decl.max_occurs


def _required_among(message_type: str, parent: etree._Element | None, names: list[str]) -> str | None:
    """Of the elements libxml expects under `parent`, the first one that must be there and is not."""
    type_key = _type_key_of(message_type, parent) if parent is not None else None
    if type_key is None:
        return names[0] if len(names) == 1 else None
    model = content_model(message_type)
    present = {etree.QName(child).localname for child in parent if isinstance(child.tag, str)}
    for name in names:
        decl = model.child(type_key, name)
        if decl is not None and decl.min_occurs > 0 and name not in present:
            return name
    # libxml sometimes names an element that is there already (one that may repeat); then the
    # missing one is the first required element of the content model that is absent.
    return next((d.name for d in model.children(type_key) if d.min_occurs > 0 and d.name not in present), None)


def _type_key_of(message_type: str, element: etree._Element) -> str | None:
    """The complex type of an element of the message, found by walking down from the root."""
    model = content_model(message_type)
    type_key: str | None = model.root.type_key
    for node in [*reversed(list(element.iterancestors())), element][1:]:  # root excluded, down to element
        decl = model.child(type_key, etree.QName(node).localname) if type_key else None
        type_key = decl.type_key if decl is not None else None
    return type_key


def _pointer_of(message_type: str, tree: etree._ElementTree, path: str | None) -> str:
    """Our pointer style: local names, with a 1-based index on elements that may repeat."""
    element = element_at(tree, path)
    if element is None:
        return "/" + "/".join(step.rpartition(":")[2] for step in (path or f"/{message_type}").split("/") if step)
    chain = [element, *element.iterancestors()][::-1]
    model = content_model(message_type)
    steps = [message_type]
    type_key: str | None = model.root.type_key
    for parent, node in zip(chain, chain[1:]):
        name = etree.QName(node).localname
        decl = model.child(type_key, name) if type_key else None
        same = [sibling for sibling in parent if sibling.tag == node.tag]
        if (decl is not None and decl.repeats) or len(same) > 1:
            steps.append(f"{name}[{same.index(node) + 1}]")
        else:
            steps.append(name)
        type_key = decl.type_key if decl is not None else None
    return "/" + "/".join(steps)


def _has_child(tree: etree._ElementTree, path: str | None, name: str) -> bool:
    """True when the parent of the element at `path` already has a child called `name`."""
    element = element_at(tree, path)
    parent = element.getparent() if element is not None else None
    return parent is not None and any(
        isinstance(c.tag, str) and etree.QName(c).localname == name for c in parent)


