"""XML ⇄ plain data for DMS Import messages: the dict shape that is also the JSON format of the import API.

Element names are the keys (local names, as in the XML); a leaf is a string; an element that may repeat
is always a list. A leaf that carries attributes is an object: its text under "value", each attribute
under its own name, e.g. {"value": "1250.00", "currencyID": "DKK"}. The one block whose content our
schemas leave open (the notification's data set 8F) is read generically: names as keys, a name met
twice a list. The data of a message is the content of its root element (Declaration or Notification).
The walking is toldsystem.dms.convert's, given the import kinds' content models.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.dms import convert as dms
from toldsystem.dms.convert import VALUE, attribute_of, value_of
from toldsystem.imports.messages.schemas import KINDS, MESSAGES, compiled_schema, content_model

to_data = MESSAGES.to_data  # (element, kind): a validated message of that kind as data

__all__ = ["VALUE", "attribute_of", "build", "render", "to_data", "validate_data", "value_of"]


def render(kind: str, data: dict[str, Any]) -> bytes:
    """The message as UTF-8 XML, elements in schema order whatever the order of the dict's keys."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    return dms.render(content_model(kind), data)


def validate_data(kind: str, data: Any) -> list[Problem]:
    """Check data against the kind's schema by building its XML, so JSON and XML get the same checks."""
    if kind not in KINDS:
        return [problem("message.unknown_type", "/", f"Unknown message kind {kind!r}.",
                        f"Ukendt meddelelsestype {kind!r}.")]
    return dms.data_problems(content_model(kind), compiled_schema(kind), data)


def build(kind: str, data: dict[str, Any], problems: list[Problem]) -> etree._Element:
    """The message's XML tree from data; what cannot be placed is added to `problems`."""
    return dms.build(content_model(kind), data, problems)
