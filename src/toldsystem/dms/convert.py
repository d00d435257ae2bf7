"""XML ⇄ plain data for DEC-DMS messages: the dict shape that is also the JSON format of the DMS APIs.

Element names are the keys (local names, as in the XML); a leaf is a string; an element that may repeat
is always a list. A leaf that carries attributes is an object: its text under "value", each attribute
under its own name, e.g. {"value": "1250.00", "currencyID": "DKK"}. A block whose content the schema
leaves open (xs:any) is read generically: names as keys, a name met twice a list.
The data of a message is the content of its root element. Every function takes the content model to follow.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lxml import etree

from toldsystem.core.errors import Problem, problem
from toldsystem.dms.model import PREFIXES, ContentModel, ElementDecl
from toldsystem.dms.parser import schema_problems

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


def element_data(model: ContentModel, element: etree._Element | etree._ElementTree,
                 type_key: str | None = None) -> dict[str, Any]:
    """A validated element as data: by default a message's root, read as the model's root type."""
    if isinstance(element, etree._ElementTree):
        element = element.getroot()
    type_key = type_key or model.root.type_key
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
            value = element_data(model, child, decl.type_key)
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


def build(model: ContentModel, data: dict[str, Any], problems: list[Problem], *,
          prefixes: dict[str, str] | None = None, root_prefix: str = "ns") -> etree._Element:
    """The message's XML tree from data; what cannot be placed is added to `problems`.

    A qualified message's root namespace is the default one, with `prefixes` (DEC-DMS's by default) for the
    others; when the root's children are unqualified (an ECS message such as CC507C), the root takes
    `root_prefix` and the children no namespace."""
    namespace = model.root.namespace
    if namespace is None:
        nsmap = None
    elif _children_unqualified(model):
        nsmap = {root_prefix: namespace}
    else:
        nsmap = {None: namespace, **(PREFIXES if prefixes is None else prefixes)}
    root = etree.Element(model.root.qname, nsmap=nsmap)
    fill(model, root, model.root.type_key, data, f"/{model.root.name}", problems)
    return root


def render(model: ContentModel, data: dict[str, Any], **layout: Any) -> bytes:
    """The message as UTF-8 XML, elements in schema order whatever the order of the dict's keys; raises
    ValueError naming every place data does not fit (`layout`: build's prefixes and root_prefix)."""
    problems: list[Problem] = []
    root = build(model, data, problems, **layout)
    if problems:
        raise ValueError("; ".join(f"{p.pointer}: {p.en}" for p in problems))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def data_problems(model: ContentModel, schema: etree.XMLSchema, data: Any, **layout: Any) -> list[Problem]:
    """Check data against a schema by building its XML, so JSON and XML get the same checks."""
    if not isinstance(data, dict):
        return [problem("data.not_object", "/", "The message must be an object.", "Meddelelsen skal være et objekt.")]
    problems: list[Problem] = []
    root = build(model, data, problems, **layout)
    return problems or schema_problems(model, schema, etree.ElementTree(root))


def _children_unqualified(model: ContentModel) -> bool:
    children = model.children(model.root.type_key) if model.root.type_key else []
    return bool(children) and all(child.namespace is None for child in children)


def fill(model: ContentModel, parent: etree._Element, type_key: str, data: dict[str, Any], pointer: str,
         problems: list[Problem]) -> None:
    """Add data's elements under `parent` in schema order (`type_key` its type); what cannot be placed goes to
    `problems`, each at its pointer below `pointer`."""
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
                    fill(model, child, decl.type_key, item, here, problems)
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
