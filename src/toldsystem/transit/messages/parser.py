"""Hardened reading of incoming NCTS XML: refuse what is unsafe or malformed, then check the schema."""

from __future__ import annotations

import functools
import io
import re
import threading
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree

from toldsystem.config import Limits
from toldsystem.core.errors import Problem, at_most, problem
from toldsystem.transit.messages.convert import to_data
from toldsystem.transit.messages.schemas import MESSAGE_TYPES, NCTS_NS, compiled_schema, content_model

_DEFAULT = Limits()
DEFAULT_MAX_BYTES = _DEFAULT.max_body_bytes
DEFAULT_MAX_DEPTH = _DEFAULT.max_xml_depth
DEFAULT_MAX_ELEMENTS = _DEFAULT.max_xml_elements
DEFAULT_MAX_ATTRIBUTES = _DEFAULT.max_xml_attributes
DEFAULT_MAX_PROBLEMS = _DEFAULT.max_problems

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
_ELEMENT_PREFIX = re.compile(r"^Element '[^']*': ")
# libxml's facet errors by name; the code says which facet, so answers can give the phase 5 XML error code.
_FACET_CODES = {
    "SCHEMAV_CVC_PATTERN_VALID": "xml.schema.pattern",
    "SCHEMAV_CVC_MAXLENGTH_VALID": "xml.schema.too_long",
    "SCHEMAV_CVC_MINLENGTH_VALID": "xml.schema.too_short",
    "SCHEMAV_CVC_LENGTH_VALID": "xml.schema.length",
    "SCHEMAV_CVC_ENUMERATION_VALID": "xml.schema.enumeration",
    "SCHEMAV_CVC_MININCLUSIVE_VALID": "xml.schema.min_inclusive",
    "SCHEMAV_CVC_MAXINCLUSIVE_VALID": "xml.schema.max_inclusive",
    "SCHEMAV_CVC_MINEXCLUSIVE_VALID": "xml.schema.min_exclusive",
    "SCHEMAV_CVC_MAXEXCLUSIVE_VALID": "xml.schema.max_exclusive",
    "SCHEMAV_CVC_TOTALDIGITS_VALID": "xml.schema.digits",
    "SCHEMAV_CVC_FRACTIONDIGITS_VALID": "xml.schema.digits",
}


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """A message that passed every check: its type (e.g. CC015C), its data, and the bytes received."""

    message_type: str
    data: dict[str, Any]
    raw: bytes
    tree: etree._ElementTree


@dataclass(frozen=True, slots=True)
class Bounds:
    """What reading one message may cost; each bound is checked before the schema is (see Limits)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    max_elements: int = DEFAULT_MAX_ELEMENTS
    max_attributes: int = DEFAULT_MAX_ATTRIBUTES
    max_problems: int = DEFAULT_MAX_PROBLEMS

    @classmethod
    def of(cls, limits: Limits) -> Bounds:
        return cls(limits.max_body_bytes, limits.max_xml_depth, limits.max_xml_elements, limits.max_xml_attributes,
                   limits.max_problems)


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
    found = _refuse_unsafe(data, bounds.max_bytes)
    if found:
        return found
    tree_or_problems = _read_tree(data, bounds)
    if isinstance(tree_or_problems, list):
        return tree_or_problems
    tree = tree_or_problems
    root = tree.getroot()
    # The depth bound is checked only where it can decide anything: before a refusal (so that a
    # document nested too deep is refused as that), and for a message type whose schema admits
    # elements deeper than the bound. A message valid against a shallower schema is within it.
    found = _refuse_unknown_root(root)
    if found:
        return _too_deep_in(root, bounds.max_depth) or found
    message_type = etree.QName(root).localname
    found = (schema_problems(message_type, tree, received=True, max_problems=bounds.max_problems)
             or _refuse_other_message_type(root, message_type))
    if found:
        return _too_deep_in(root, bounds.max_depth) or found
    depth, unbounded = content_model(message_type).depth
    if depth > bounds.max_depth or any(root.find(name) is not None for name in unbounded):
        found = _too_deep_in(root, bounds.max_depth)
        if found:
            return found
    return ParsedMessage(message_type=message_type, data=to_data(root), raw=data, tree=tree)


def _refuse_unsafe(data: bytes, max_bytes: int) -> list[Problem]:
    """Size, encoding and DTD checks that run before any XML parser sees the bytes."""
    if len(data) > max_bytes:
        return [problem("xml.too_large", "/", f"The message is larger than {max_bytes} bytes.",
                        f"Meddelelsen er større end {max_bytes} bytes.")]
    if not data.strip():
        return [problem("xml.empty", "/", "The message is empty.", "Meddelelsen er tom.")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [problem("xml.not_utf8", "/", f"The message is not valid UTF-8 (byte {error.start}).",
                        f"Meddelelsen er ikke gyldig UTF-8 (byte {error.start}).")]
    declared = _XML_DECLARATION.match(data)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        return [problem("xml.not_utf8", "/", "The message must be encoded as UTF-8.",
                        "Meddelelsen skal være kodet som UTF-8.")]
    # Phase 5 messages never carry a DTD; refusing any DOCTYPE shuts out XXE and entity bombs
    # before the parser reads an internal subset.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return [problem("xml.doctype", "/", "Document type declarations (DOCTYPE) are not allowed.",
                        "Dokumenttypeerklæringer (DOCTYPE) er ikke tilladt.")]
    return []


def _read_tree(data: bytes, bounds: Bounds) -> etree._ElementTree | list[Problem]:
    """Parse with entities, DTDs and network off, within the bounds of nesting, elements and attributes."""
    # Every element has a "<", every attribute an "=": bytes that cannot hold too many of either (every
    # ordinary message) are parsed by lxml in one call, in C (their depth is checked after, in _parse:
    # libxml2 stops at 256 levels by itself); only the others are walked element by element, stopping as
    # soon as a bound is passed.
    if ((len(data) <= bounds.max_elements or data.count(b"<") <= bounds.max_elements)
            and data.count(b"=") <= bounds.max_attributes):
        return _read_within_counts(data, bounds.max_depth)
    return _read_counting(data, bounds)


_parsers = threading.local()


def _safe_parser() -> etree.XMLParser:
    """This thread's parser (lxml parsers are not to be shared between threads)."""
    parser = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False,
            remove_comments=True, remove_pis=True)
    return parser


@functools.cache
def _deeper_than(max_depth: int) -> etree.XPath:
    """The first element nested deeper than max_depth (the root is at depth 1)."""
    return etree.XPath("(" + "/*" * (max_depth + 1) + ")[1]")


def _too_deep(max_depth: int, line: int) -> list[Problem]:
    return [problem("xml.too_deep", "/", f"Elements are nested deeper than {max_depth} levels (line {line}).",
                    f"Elementerne er indlejret dybere end {max_depth} niveauer (linje {line}).")]


def _malformed(error: etree.XMLSyntaxError) -> list[Problem]:
    line, column = error.position if error.position else (0, 0)
    return [problem("xml.malformed", "/", f"The XML is not well-formed at line {line}, column {column}: {error.msg}",
                    f"XML'en er ikke velformet i linje {line}, kolonne {column}: {error.msg}", line, column)]


def _without_doctype(tree: etree._ElementTree) -> etree._ElementTree | list[Problem]:
    if tree.docinfo.doctype:  # belt and braces: the byte check before should already have caught it
        return [problem("xml.doctype", "/", "Document type declarations (DOCTYPE) are not allowed.",
                        "Dokumenttypeerklæringer (DOCTYPE) er ikke tilladt.")]
    return tree


def _read_within_counts(data: bytes, max_depth: int) -> etree._ElementTree | list[Problem]:
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in (error.msg or ""):  # libxml2's own bound (256) comes before ours
            return _too_deep(max_depth, error.position[0] if error.position else 0)
        return _malformed(error)
    return _without_doctype(root.getroottree())


def _too_deep_in(root: etree._Element, max_depth: int) -> list[Problem]:
    """The refusal of a tree with an element nested deeper than max_depth, if it has one (one XPath, in C)."""
    deeper = _deeper_than(max_depth)(root)
    return _too_deep(max_depth, deeper[0].sourceline or 0) if deeper else []


def _read_counting(data: bytes, bounds: Bounds) -> etree._ElementTree | list[Problem]:
    events = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True,
    )
    depth = elements = attributes = 0
    max_depth = bounds.max_depth
    # Of elements and attributes, only the kind the bytes could hold too many of is counted.
    max_elements = bounds.max_elements if data.count(b"<") > bounds.max_elements else None
    max_attributes = bounds.max_attributes if data.count(b"=") > bounds.max_attributes else None
    try:
        for event, element in events:
            if event == "end":
                depth -= 1
                continue
            depth += 1
            if max_elements is not None:
                elements += 1
            if max_attributes is not None:
                attributes += len(element.attrib)
            if depth > max_depth:
                return _too_deep(max_depth, element.sourceline or 0)
            if max_elements is not None and elements > max_elements:
                return [problem("xml.too_many_elements", "/", f"The message has more than {max_elements} elements "
                                f"(the next at line {element.sourceline}).", f"Meddelelsen har mere end "
                                f"{max_elements} elementer (det næste på linje {element.sourceline}).")]
            if max_attributes is not None and attributes > max_attributes:
                return [problem("xml.too_many_attributes", "/",
                                f"The message has more than {max_attributes} attributes (line {element.sourceline}).",
                                f"Meddelelsen har mere end {max_attributes} attributter (linje "
                                f"{element.sourceline}).")]
    except etree.XMLSyntaxError as error:
        if "Excessive depth" in (error.msg or ""):
            return _too_deep(max_depth, error.position[0] if error.position else 0)
        return _malformed(error)
    return _without_doctype(events.root.getroottree())


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
    detail = _ELEMENT_PREFIX.sub("", error.message or "").strip()
    pointer = _pointer_of(message_type, tree, error.path)
    element = _element_at(tree, error.path)
    if detail.startswith("Missing child element"):
        name = _required_among(message_type, element, _expected_names(detail))
        if name:
            return problem("xml.schema.missing", f"{pointer}/{name}", f"{name} is required here.",
                           f"{name} skal angives her.")
    if "This element is not expected" in detail and element is not None:
        # libxml reports a missing element as the next one being unexpected; name the missing one.
        name = _required_among(message_type, element.getparent(), _expected_names(detail))
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
    return problem(_FACET_CODES.get(error.type_name, "xml.schema.invalid"), pointer,
                   f"The value breaks the schema: {detail}", f"Værdien overholder ikke skemaet: {detail}")


def _repeated_too_often(message_type: str, element: etree._Element) -> bool:
    """True when the element is one more of a kind its parent may hold only so many of."""
    parent = element.getparent()
    type_key = _type_key_of(message_type, parent) if parent is not None else None
    decl = content_model(message_type).child(type_key, etree.QName(element).localname) if type_key else None
    if decl is None or decl.max_occurs is None:
        return False
    return sum(1 for sibling in parent if sibling.tag == element.tag) > decl.max_occurs


def _expected_names(detail: str) -> list[str]:
    """The element names libxml lists as expected, without their namespaces."""
    found = _EXPECTED.search(detail)
    return [name.strip().rpartition("}")[2] for name in found.group(1).split(",")] if found else []


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
    element = _element_at(tree, path)
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
    element = _element_at(tree, path)
    parent = element.getparent() if element is not None else None
    return parent is not None and any(
        isinstance(c.tag, str) and etree.QName(c).localname == name for c in parent)


def _element_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        namespaces = {prefix: uri for prefix, uri in tree.getroot().nsmap.items() if prefix}
        hits = tree.xpath(path, namespaces=namespaces)
    except etree.XPathError:
        return None
    return hits[0] if hits and isinstance(hits[0], etree._Element) else None
