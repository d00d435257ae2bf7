"""XML ⇄ plain data for export messages: the same shape as the import room's (docs/imports-messages.md).

Element local names are the keys; a leaf is a string; an element that may repeat is always a list; a leaf
with attributes is an object with its text under "value". The walking is the import room's
(toldsystem.imports.messages.convert), given our content model instead of theirs.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.export.messages.schemas import KINDS, content_model
from toldsystem.imports.messages.convert import VALUE, _element_data, _fill, attribute_of, value_of
from toldsystem.imports.messages.schemas import DEC_NS, PREFIXES

__all__ = ["VALUE", "attribute_of", "build", "render", "to_data", "validate_data", "value_of"]


def to_data(element: etree._Element | etree._ElementTree, kind: str) -> dict[str, Any]:
    """A validated export message of the given kind as data."""
    root = element.getroot() if isinstance(element, etree._ElementTree) else element
    model = content_model(kind)
    return _element_data(model, root, model.root.type_key)


def build(kind: str, data: dict[str, Any], problems: list[Problem]) -> etree._Element:
    """The message's XML tree from data; what cannot be placed is added to `problems`."""
    model = content_model(kind)
    namespace = model.root.namespace
    # DEC-DMS: the root's namespace is the default one; an ECS message's children are unqualified, so its root
    # takes a prefix and the children none
    nsmap = ({None: namespace, **PREFIXES} if namespace == DEC_NS else {"ecs": namespace}) if namespace else None
    root = etree.Element(model.root.qname, nsmap=nsmap)
    _fill(model, root, model.root.type_key, data, f"/{model.root.name}", problems)
    return root


def render(kind: str, data: dict[str, Any]) -> bytes:
    """The message as UTF-8 XML, elements in schema order whatever the order of the dict's keys."""
    if kind not in KINDS:
        raise ValueError(f"unknown export message kind {kind!r}")
    problems: list[Problem] = []
    root = build(kind, data, problems)
    if problems:
        raise ValueError("; ".join(f"{p.pointer}: {p.en}" for p in problems))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate_data(kind: str, data: Any) -> list[Problem]:
    """Check data against the kind's schema by building its XML, so JSON and XML get the same checks."""
    from toldsystem.export.messages.parser import schema_problems  # the parser imports us

    if kind not in KINDS:
        return [problem("message.unknown_type", "/", f"Unknown export message kind {kind!r}.",
                        f"Ukendt eksportmeddelelsestype {kind!r}.")]
    if not isinstance(data, dict):
        return [problem("data.not_object", "/", "The message must be an object.", "Meddelelsen skal være et objekt.")]
    problems: list[Problem] = []
    root = build(kind, data, problems)
    return problems or schema_problems(kind, etree.ElementTree(root))
