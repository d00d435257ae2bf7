"""Reading untrusted XML safely, for every room's messages: bounds checked before any parser sees the bytes
(size, UTF-8, no DTD or entities), then nesting, elements and attributes while parsing; and the pieces
that turn libxml's schema errors into our problems (element at a path, the names it expected, facet codes).
NCTS (transit/messages/parser.py) and DMS (imports/messages/parser.py) add their own roots and pointers."""

from __future__ import annotations

import functools
import io
import re
import threading
from dataclasses import dataclass

from lxml import etree

from toldsystem.config import Limits
from toldsystem.core.errors import Problem, problem

_DEFAULT = Limits()
DEFAULT_MAX_BYTES = _DEFAULT.max_body_bytes
DEFAULT_MAX_DEPTH = _DEFAULT.max_xml_depth
DEFAULT_MAX_ELEMENTS = _DEFAULT.max_xml_elements
DEFAULT_MAX_ATTRIBUTES = _DEFAULT.max_xml_attributes
DEFAULT_MAX_PROBLEMS = _DEFAULT.max_problems


_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")

_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")
ELEMENT_PREFIX = re.compile(r"^Element '[^']*': ")
# libxml's facet errors by name; the code says which facet, so answers can give the phase 5 XML error code.
FACET_CODES = {
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



def refuse_unsafe(data: bytes, max_bytes: int) -> list[Problem]:
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


def read_tree(data: bytes, bounds: Bounds) -> etree._ElementTree | list[Problem]:
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


def too_deep_in(root: etree._Element, max_depth: int) -> list[Problem]:
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



def expected_names(detail: str) -> list[str]:
    """The element names libxml lists as expected, without their namespaces."""
    found = _EXPECTED.search(detail)
    return [name.strip().rpartition("}")[2] for name in found.group(1).split(",")] if found else []



def element_at(tree: etree._ElementTree, path: str | None) -> etree._Element | None:
    if not path:
        return None
    try:
        namespaces = {prefix: uri for prefix, uri in tree.getroot().nsmap.items() if prefix}
        hits = tree.xpath(path, namespaces=namespaces)
    except etree.XPathError:
        return None
    return hits[0] if hits and isinstance(hits[0], etree._Element) else None
