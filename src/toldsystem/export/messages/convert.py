"""XML ⇄ plain data for export messages: the same shape as the import room's (docs/imports-messages.md).

Element local names are the keys; a leaf is a string; an element that may repeat is always a list; a leaf
with attributes is an object with its text under "value". The walking is toldsystem.dms.convert's, given
the export kinds' content models; a CC507C's root is rendered with the prefix ecs, its children unqualified.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.dms import convert as dms
from toldsystem.dms.convert import VALUE, attribute_of, value_of
from toldsystem.export.messages.schemas import ECS_PREFIX, KINDS, MESSAGES, compiled_schema, content_model

to_data = MESSAGES.to_data  # (element, kind): a validated message of that kind as data

__all__ = ["VALUE", "attribute_of", "build", "render", "to_data", "validate_data", "value_of"]


def build(kind: str, data: dict[str, Any], problems: list[Problem]) -> etree._Element:
    """The message's XML tree from data; what cannot be placed is added to `problems`."""
    return dms.build(content_model(kind), data, problems, root_prefix=ECS_PREFIX)


def render(kind: str, data: dict[str, Any]) -> bytes:
    """The message as UTF-8 XML, elements in schema order whatever the order of the dict's keys."""
    if kind not in KINDS:
        raise ValueError(f"unknown export message kind {kind!r}")
    return dms.render(content_model(kind), data, root_prefix=ECS_PREFIX)


def validate_data(kind: str, data: Any) -> list[Problem]:
    """Check data against the kind's schema by building its XML, so JSON and XML get the same checks."""
    if kind not in KINDS:
        return [problem("message.unknown_type", "/", f"Unknown export message kind {kind!r}.",
                        f"Ukendt eksportmeddelelsestype {kind!r}.")]
    return dms.data_problems(content_model(kind), compiled_schema(kind), data, root_prefix=ECS_PREFIX)
