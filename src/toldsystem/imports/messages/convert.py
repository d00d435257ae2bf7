"""XML ⇄ plain data: the dict shape that is also the JSON format of the import API.

Element names are the keys (local names, as in the XML); a leaf is a string; an element that may repeat
is always a list. A leaf that carries attributes is an object: its text under "value", each attribute
under its own name, e.g. {"value": "1250.00", "currencyID": "DKK"}. The one block whose content our
schemas leave open (the notification's data set 8F) is read generically: names as keys, a name met
twice a list.
The data of a message is the content of its root element (Declaration or Notification).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.imports.messages.schemas import KINDS, PREFIXES, ContentModel, ElementDecl, content_model

VALUE = "value"  # where a leaf object keeps its text


def value_of(leaf: Any) -> str | None:
    """The text of a leaf as data holds it (a string, or an object with attributes), None when absent."""
    if isinstance(leaf, dict):
        found = leaf.get(VALUE)
        return None if found is None else str(found)
    return None if leaf is None else str(leaf)


def attribute_of(leaf: Any, name: str) -> str | None:
    """An attribute of a leaf (e.g. currencyID of an amount), None when the leaf has none."""
    return leaf.get(name) if isinstance(leaf, dict) else None


def to_data(element: etree._Element | etree._ElementTree, kind: str) -> dict[str, Any]:
    """A validated message of the given kind as data."""
    root = element.getroot() if isinstance(element, etree._ElementTree) else element
    model = content_model(kind)
    return _element_data(model, root, model.root.type_key)


def _element_data(model: ContentModel, element: etree._Element, type_key: str) -> dict[str, Any]:
    declarations = model.declarations(type_key)
    data: dict[str, Any] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions carry no data
        name = etree.QName(child).localname
        decl = declarations.get(name)
        if decl is None:
            value: Any = _opaque_data(child)
        elif decl.type_key is not None:
            value = _element_data(model, child, decl.type_key)
        elif decl.opaque:
            value = _opaque_data(child)
        else:
            value = _leaf_data(decl, child)
        if decl is not None and decl.repeats:
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


def _leaf_data(decl: ElementDecl, element: etree._Element) -> Any:
    text = _whitespace_applied(element.text or "", decl.whitespace)
    if not element.attrib:
        return text
    return {VALUE: text, **{etree.QName(k).localname: v for k, v in element.attrib.items()}}


def _opaque_data(element: etree._Element) -> Any:
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return element.text or ""
    data: dict[str, Any] = {}
    for child in children:
        name = etree.QName(child).localname
        value = _opaque_data(child)
        if name in data:
            before = data[name]
            data[name] = [*before, value] if isinstance(before, list) else [before, value]
        else:
            data[name] = value
    return data


def _whitespace_applied(value: str, whitespace: str) -> str:
    """The value as the schema reads it: for collapse, runs of whitespace are one space and the ends trimmed."""
    if whitespace == "collapse":
        return " ".join(value.split())
    if whitespace == "replace":
        return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return value


def render(kind: str, data: dict[str, Any]) -> bytes:
    """The message as UTF-8 XML, elements in schema order whatever the order of the dict's keys."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    problems: list[Problem] = []
    root = build(kind, data, problems)
    if problems:
        raise ValueError("; ".join(f"{p.pointer}: {p.en}" for p in problems))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate_data(kind: str, data: Any) -> list[Problem]:
    """Check data against the kind's schema by building its XML, so JSON and XML get the same checks."""
    from toldsystem.imports.messages.parser import schema_problems  # the parser imports us

    if kind not in KINDS:
        return [problem("message.unknown_type", "/", f"Unknown message kind {kind!r}.",
                        f"Ukendt meddelelsestype {kind!r}.")]
    if not isinstance(data, dict):
        return [problem("data.not_object", "/", "The message must be an object.", "Meddelelsen skal være et objekt.")]
    problems: list[Problem] = []
    root = build(kind, data, problems)
    return problems or schema_problems(kind, etree.ElementTree(root))


def build(kind: str, data: dict[str, Any], problems: list[Problem]) -> etree._Element:
    """The message's XML tree from data; what cannot be placed is added to `problems`."""
    model = content_model(kind)
    namespace = model.root.namespace
    nsmap = {None: namespace, **PREFIXES} if namespace else None
    root = etree.Element(model.root.qname, nsmap=nsmap)
    _fill(model, root, model.root.type_key, data, f"/{model.root.name}", problems)
    return root


def _fill(model: ContentModel, parent: etree._Element, type_key: str, data: dict[str, Any], pointer: str,
          problems: list[Problem]) -> None:
    children = model.children(type_key)
    order = {d.name: (i, d) for i, d in enumerate(children)}
    present = []
    for name, value in data.items():
        found = order.get(name)
        if found is None:
            problems.append(problem("data.unknown_element", f"{pointer}/{name}",
                                    f"{name} is not an element of this message here.",
                                    f"{name} er ikke et element i meddelelsen her."))
        elif value is not None:  # absent or null: an optional element that is simply not there
            present.append((found[0], found[1], value))
    present.sort(key=lambda entry: entry[0])  # schema order, whatever the order of the keys
    for _position, decl, value in present:
        if decl.repeats and not isinstance(value, list):
            problems.append(_shape(f"{pointer}/{decl.name}", "a list", "en liste"))
            continue
        values = value if decl.repeats else [value]
        for index, item in enumerate(values, start=1):
            here = f"{pointer}/{decl.name}[{index}]" if decl.repeats else f"{pointer}/{decl.name}"
            child = etree.SubElement(parent, decl.qname)
            if decl.type_key is not None:
                if isinstance(item, dict):
                    _fill(model, child, decl.type_key, item, here, problems)
                else:
                    problems.append(_shape(here, "an object", "et objekt"))
            elif decl.opaque:
                _fill_opaque(child, item, decl.content_namespace, here, problems)
            else:
                _fill_leaf(decl, child, item, here, problems)


def _fill_leaf(decl: ElementDecl, element: etree._Element, item: Any, pointer: str, problems: list[Problem]) -> None:
    if isinstance(item, dict):
        for name, value in item.items():
            if name != VALUE and name not in decl.attributes:
                problems.append(problem("data.unknown_attribute", f"{pointer}/@{name}",
                                        f"{name} is not an attribute of {decl.name}.",
                                        f"{name} er ikke en attribut til {decl.name}."))
            elif name != VALUE and _scalar(value):
                _set(element, name, value, pointer, problems)
            elif name != VALUE:
                problems.append(_shape(f"{pointer}/@{name}", "a single value", "en enkelt værdi"))
        item = item.get(VALUE, "")
    if not _scalar(item):
        problems.append(_shape(pointer, "a single value", "en enkelt værdi"))
        return
    _set(element, None, item, pointer, problems)


def _fill_opaque(element: etree._Element, item: Any, namespace: str | None, pointer: str,
                 problems: list[Problem]) -> None:
    if _scalar(item):
        _set(element, None, item, pointer, problems)
        return
    if not isinstance(item, dict):
        problems.append(_shape(pointer, "an object", "et objekt"))
        return
    for name, value in item.items():
        for one in value if isinstance(value, list) else [value]:
            try:
                child = etree.SubElement(element, f"{{{namespace}}}{name}" if namespace else name)
            except ValueError:
                problems.append(problem("data.invalid_name", f"{pointer}/{name}", f"{name!r} is not an element name.",
                                        f"{name!r} er ikke et elementnavn."))
                continue
            _fill_opaque(child, one, namespace, f"{pointer}/{name}", problems)


def _set(element: etree._Element, attribute: str | None, value: Any, pointer: str, problems: list[Problem]) -> None:
    text = _text(value)
    try:
        if attribute is None:
            element.text = text
        else:
            element.set(attribute, text)
    except ValueError:  # lxml refuses characters XML cannot carry (NUL, most controls)
        problems.append(problem("data.invalid_characters", pointer, "The value holds characters XML cannot carry.",
                                "Værdien indeholder tegn, som XML ikke kan bære."))


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, Decimal)) and not isinstance(value, bool)


def _text(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _shape(pointer: str, en: str, da: str) -> Problem:
    return problem("data.wrong_shape", pointer, f"Expected {en} here.", f"Her forventes {da}.")
