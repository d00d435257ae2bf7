"""XML ⇄ plain data: the dict shape that is also the JSON format of the transit API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.transit.messages.schemas import EXT_NS, MESSAGE_TYPES, NCTS_NS, ContentModel, content_model

_NSMAP = {"ncts": NCTS_NS}
_EXT_NSMAP = {"ncts": NCTS_NS, "ext": EXT_NS}


def to_data(element: etree._Element) -> dict[str, Any]:
    """A validated message as data: names as keys, leaves as strings, repeatable elements as lists."""
    message_type = etree.QName(element).localname
    model = content_model(message_type)
    return _element_data(model, element, model.root.type_key)


def _element_data(model: ContentModel, element: etree._Element, type_key: str) -> dict[str, Any]:
    children = model.reading(type_key)
    data: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if tag.__class__ is not str:
            continue  # comments and processing instructions carry no data
        # Phase 5 children are unqualified, so their tag is their name; the DMS extensions' are qualified.
        name = tag.rpartition("}")[2] if tag[0] == "{" else tag
        found = children.get(name)
        if found is None:
            data[name] = child.text or ""
            continue
        child_type, whitespace, repeats = found
        if child_type is not None:
            value: Any = _element_data(model, child, child_type)
        else:
            value = child.text or ""
            if whitespace is not None:
                value = _whitespace_applied(value, whitespace)
        if repeats:
            before = data.get(name)
            if before is None:
                data[name] = [value]
            else:
                before.append(value)
        else:
            data[name] = value
    return data


def fit(message_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The data as the message's schema can carry it, for a message built from another one's data:
    elements the schema has no place for are left out, and an optional element (or one of its
    repeats) that lacks something it requires is dropped. A required element that is missing stays
    missing: the builder must supply it, and render says so."""
    model = content_model(message_type)
    return _fit(model, model.root.type_key, data, complete_only=False)  # type: ignore[return-value]


_SCALARS = (str, int, Decimal)


def _fit(model: ContentModel, type_key: str, data: dict[str, Any],
         complete_only: bool = True) -> dict[str, Any] | None:
    """The fitted data, or None when something the type requires is missing (and complete_only)."""
    declarations = model.declarations(type_key)
    out: dict[str, Any] = {}
    for name, value in data.items():
        decl = declarations.get(name)
        if decl is None or value is None:
            continue
        child_type = decl.type_key
        if value.__class__ is str and child_type is None and not decl.repeats:
            out[name] = value  # most of every message: a leaf, kept as it is
            continue
        if not isinstance(value, list):
            if child_type is None:
                kept = value if isinstance(value, _SCALARS) else None
            else:
                kept = _fit(model, child_type, value) if isinstance(value, dict) else None
            if kept is not None:
                out[name] = [kept] if decl.repeats else kept
            continue
        items = []
        for item in value:
            if child_type is None:
                if isinstance(item, _SCALARS):
                    items.append(item)
            elif isinstance(item, dict):
                fitted = _fit(model, child_type, item)
                if fitted is not None:
                    items.append(fitted)
        if decl.max_occurs is not None and len(items) > decl.max_occurs:
            items = items[:decl.max_occurs]
        if items:
            out[name] = items if decl.repeats else items[0]
    if complete_only:
        for name, least in model.required(type_key):
            found = out.get(name)
            if found is None or (least > 1 and len(found) < least):
                return None
    return out


def _whitespace_applied(value: str, whitespace: str) -> str:
    """The value as the schema reads it: tabs and newlines are spaces; for collapse, runs are one, ends trimmed."""
    if whitespace == "collapse":
        return " ".join(value.split()) if value and (value[0] <= " " or value[-1] <= " " or "  " in value
                                                    or "\t" in value or "\n" in value or "\r" in value) else value
    if "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return value


def render(message_type: str, data: dict[str, Any]) -> bytes:
    """The message as UTF-8 XML, elements in schema order whatever the order of the dict's keys."""
    if message_type not in MESSAGE_TYPES:
        raise ValueError(f"unknown message type {message_type!r}")
    problems: list[Problem] = []
    root = _build(message_type, data, problems)
    if problems:
        raise ValueError("; ".join(f"{p.pointer}: {p.en}" for p in problems))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate_data(message_type: str, data: dict[str, Any]) -> list[Problem]:
    """Check data against the message's schema by rendering it, so JSON and XML get the same checks."""
    from toldsystem.transit.messages.parser import schema_problems  # parser imports us

    if message_type not in MESSAGE_TYPES:
        return [problem("message.unknown_type", "/", f"Unknown message type {message_type!r}.",
                        f"Ukendt meddelelsestype {message_type!r}.")]
    if not isinstance(data, dict):
        return [problem("data.not_object", f"/{message_type}", "The message must be an object.",
                        "Meddelelsen skal være et objekt.")]
    problems: list[Problem] = []
    root = _build(message_type, data, problems)
    return problems or schema_problems(message_type, etree.ElementTree(root))


def _build(message_type: str, data: dict[str, Any], problems: list[Problem]) -> etree._Element:
    model = content_model(message_type)
    nsmap = _EXT_NSMAP if "Extensions" in data else _NSMAP
    root = etree.Element(model.root.qname, nsmap=nsmap)
    # The header's messageType is fixed by the schema; fill it in so callers need not.
    data = {"messageType": message_type, **data}
    _fill(model, root, model.root.type_key, data, f"/{message_type}", problems)
    return root


def _fill(model: ContentModel, parent: etree._Element, type_key: str, data: dict[str, Any],
          pointer: str, problems: list[Problem]) -> None:
    positions = model.positions(type_key)
    present = []
    for name, value in data.items():
        found = positions.get(name)
        if found is None:
            problems.append(problem("data.unknown_element", f"{pointer}/{name}",
                                    f"{name} is not an element of this message here.",
                                    f"{name} er ikke et element i meddelelsen her."))
        elif value is not None:  # absent or null: an optional element that is simply not there
            present.append((found[0], found[1], value))
    present.sort(key=lambda entry: entry[0])  # schema order, whatever the order of the keys
    for _position, decl, value in present:
        if decl.repeats:
            if not isinstance(value, list):
                problems.append(_shape_problem(f"{pointer}/{decl.name}", "a list", "en liste"))
                continue
            values, indexed = value, True
        else:
            values, indexed = [value], False
        for index, item in enumerate(values, start=1):
            here = f"{pointer}/{decl.name}[{index}]" if indexed else f"{pointer}/{decl.name}"
            child = etree.SubElement(parent, decl.qname)
            if decl.type_key is not None:
                if isinstance(item, dict):
                    _fill(model, child, decl.type_key, item, here, problems)
                else:
                    problems.append(_shape_problem(here, "an object", "et objekt"))
            elif isinstance(item, (dict, list)) or item is None:
                problems.append(_shape_problem(here, "a single value", "en enkelt værdi"))
            else:
                try:
                    child.text = _text(item)
                except ValueError:  # lxml refuses characters XML cannot carry (NUL, most controls)
                    problems.append(problem("data.invalid_characters", here,
                                            "The value holds characters XML cannot carry.",
                                            "Værdien indeholder tegn, som XML ikke kan bære."))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"  # phase 5 flags are 0/1
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _shape_problem(pointer: str, en: str, da: str) -> Problem:
    return problem("data.wrong_shape", pointer, f"Expected {en} here.", f"Her forventes {da}.")
