"""Hardened reading of an incoming DEC-DMS message, and schema errors as problems at our pointers.

The byte and tree checks are shared with transit (toldsystem.core.xml_input: size, UTF-8, no DTD or
entities, bounds on nesting, elements and attributes). What is DEC-DMS's own is reading libxml's schema
errors against a content model: the element they are about as our pointer (local names, an index on what
may repeat), and a missing element named as such rather than as its neighbour being unexpected. Which
roots a room receives and how it tells kinds apart stay in the room (imports.messages, export.messages).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, at_most, problem
from toldsystem.core.xml_input import (ELEMENT_PREFIX, FACET_CODES, Bounds, element_at, expected_names, read_tree,
                                       refuse_unsafe, too_deep_in)
from toldsystem.dms.model import ContentModel

_NAMESPACE = re.compile(r"\{[^}]*\}")

__all__ = ["Bounds", "pointer_of", "read_received", "schema_problems", "unreadable"]


def unreadable(error: Exception) -> list[Problem]:
    """What a message that broke the reader gets back: its error's type, never its text."""
    return [problem("xml.unreadable", "/", f"The message could not be read ({type(error).__name__}).",
                    f"Meddelelsen kunne ikke læses ({type(error).__name__}).")]


def read_received(data: Any, bounds: Bounds,
                  refuse_root: Callable[[etree._Element], list[Problem]]) -> etree._ElementTree | list[Problem]:
    """The tree of received bytes that are safe, well formed, within bounds and have a root the room takes
    (`refuse_root` says why not); otherwise the problems."""
    if not isinstance(data, (bytes, bytearray)):
        return [problem("xml.not_bytes", "/", "The message must be sent as bytes.",
                        "Meddelelsen skal sendes som bytes.")]
    found = refuse_unsafe(bytes(data), bounds.max_bytes)
    if found:
        return found
    tree = read_tree(bytes(data), bounds)
    if isinstance(tree, list):
        return tree
    return too_deep_in(tree.getroot(), bounds.max_depth) or refuse_root(tree.getroot()) or tree


def schema_problems(model: ContentModel, schema: etree.XMLSchema, tree: etree._ElementTree, *,
                    received: bool = False, max_problems: int = Bounds().max_problems) -> list[Problem]:
    """Validate against a compiled schema; each error becomes a Problem pointing at its element (and, in a
    message as `received`, at its line and column: a tree built from data has none)."""
    if schema.validate(tree):
        return []
    errors = schema.error_log
    problems: list[Problem] = []
    seen: set[str] = set()
    for error in errors:
        if len(problems) == max_problems:
            break
        found = _schema_problem(model, tree, error)
        if found.pointer in seen:
            continue  # one value breaking two facets (say length and pattern) is one problem
        seen.add(found.pointer)
        problems.append(replace(found, line=error.line, column=error.column) if received else found)
    return at_most(problems, max_problems, total=len(errors))


def _schema_problem(model: ContentModel, tree: etree._ElementTree, error: Any) -> Problem:
    detail = ELEMENT_PREFIX.sub("", error.message or "").strip()
    expected = expected_names(detail)  # read before the namespaces are taken out of the text
    detail = _NAMESPACE.sub("", detail)  # names as in our pointers, without their namespaces
    element = element_at(tree, error.path)
    pointer = pointer_of(model, element) if element is not None else "/" + model.root.name
    if detail.startswith("Missing child element"):
        name = _first_required_absent(model, element, expected)
        if name:
            return problem("xml.schema.missing", f"{pointer}/{name}", f"{name} is required here.",
                           f"{name} skal angives her.")
    if "This element is not expected" in detail and element is not None:
        parent = element.getparent()
        name = _first_required_absent(model, parent, expected) if parent is not None else None
        if name:  # libxml reports a missing element as the next one being unexpected
            return problem("xml.schema.missing", f"{pointer.rpartition('/')[0]}/{name}", f"{name} is required here.",
                           f"{name} skal angives her.")
        if _repeated_too_often(model, element):
            return problem("xml.schema.too_many", pointer,
                           f"This element is repeated more often than allowed. {detail}",
                           f"Elementet gentages flere gange end tilladt. {detail}")
        return problem("xml.schema.unexpected", pointer, f"This element is not allowed here. {detail}",
                       f"Elementet er ikke tilladt her. {detail}")
    return problem(FACET_CODES.get(error.type_name, "xml.schema.invalid"), pointer,
                   f"The value breaks the schema: {detail}", f"Værdien overholder ikke skemaet: {detail}")


def _type_key_of(model: ContentModel, element: etree._Element) -> str | None:
    """The complex type of an element of the message, found by walking down from the root."""
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
            count[etree.QName(child).localname] = count.get(etree.QName(child).localname, 0) + 1
    for name in expected:
        decl = model.child(type_key, name)
        if decl is not None and count.get(name, 0) < decl.min_occurs:
            return name
    return next((d.name for d in model.children(type_key) if count.get(d.name, 0) < d.min_occurs), None)


def _repeated_too_often(model: ContentModel, element: etree._Element) -> bool:
    parent = element.getparent()
    decl = model.child(_type_key_of(model, parent), etree.QName(element).localname) if parent is not None else None
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
