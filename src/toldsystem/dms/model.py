"""The content model of a qualified DEC-DMS schema set: what code must know to follow the schema's order.

The DEC-DMS schemas differ from the NCTS ones in what the model must know: every element is qualified
(in one of four namespaces), parts are written inline (anonymous types), a date is a one-member choice,
a type may extend another, a leaf may carry attributes (currencyID, unitCode, formatCode...), and one
block is open (xs:any). Transit's content model reads none of these, so this one does. The same reading
serves an unqualified message too (the EU export system's CC507C), given its file and root.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

DEC_NS = "urn:wco:datamodel:WCO:DEC-DMS:2"
DS_NS = "urn:wco:datamodel:WCO:Declaration_DS:DMS:2"
EXT_NS = "urn:eds:datamodel:EDS:EDS_EXTENSIONS:1"
EDS_NS = "urn:wco:datamodel:WCO:WCO_DEC_EDS_AUTHORISATION:1"
UDT_NS = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:6"
# The prefixes a rendered DEC-DMS message uses (the default namespace is the root's).
PREFIXES = {"ds": DS_NS, "ext": EXT_NS, "eds": EDS_NS}

_XS = "{http://www.w3.org/2001/XMLSchema}"
_XS_NS = "http://www.w3.org/2001/XMLSchema"
_WHITESPACE = {"string": "preserve", "normalizedString": "replace"}  # every other built-in type collapses


@dataclass(frozen=True, slots=True)
class ElementDecl:
    """One element of a content model: name, namespace (None when unqualified), occurrences and content.

    `type_key` names the element's complex content (None for a leaf); a leaf lists the attributes its
    type declares and how XSD treats whitespace in it; an `opaque` element takes any content unchecked."""

    name: str
    namespace: str | None
    min_occurs: int
    max_occurs: int | None  # None: unbounded
    type_key: str | None
    attributes: frozenset[str] = frozenset()
    whitespace: str = "preserve"
    opaque: bool = False
    content_namespace: str | None = None  # an opaque element's: the namespace its content is in
    repeats: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "repeats", self.max_occurs is None or self.max_occurs > 1)

    @property
    def qname(self) -> str:
        return f"{{{self.namespace}}}{self.name}" if self.namespace else self.name


def xsd_parser() -> etree.XMLParser:
    """How schema files are read: our own files, but the same safe way as everything else."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def compile_schema(path: Path) -> etree.XMLSchema:
    """An XSD file compiled (lxml's XMLSchema is reusable: callers keep one per file)."""
    return etree.XMLSchema(etree.parse(str(path), xsd_parser()))


class ContentModel:
    """The element sequences of the schema set in one XSD file, from its root element ({namespace}name)."""

    def __init__(self, path: Path, root: str):
        self.path = path
        self._complex: dict[str, tuple[etree._Element, str | None]] = {}  # key -> (node, target namespace)
        self._simple: dict[str, etree._Element] = {}
        self._elements: dict[str, etree._Element] = {}  # the global element declarations
        self._content: dict[str, list[ElementDecl]] = {}
        self._by_name: dict[str, dict[str, ElementDecl]] = {}
        self._load(path, set())
        namespace, _, name = root[1:].partition("}") if root[0] == "{" else (None, "", root)
        root_node = self._global_element(namespace, name)
        self.root = self._element(root_node, namespace, qualified=True)

    def _load(self, path: Path, seen: set[Path]) -> None:
        path = path.resolve()
        if path in seen:
            return
        seen.add(path)
        doc = etree.parse(str(path), xsd_parser()).getroot()
        target = doc.get("targetNamespace")
        for node in doc:
            if node.tag in (_XS + "include", _XS + "import"):
                self._load(path.parent / node.get("schemaLocation"), seen)
            elif node.tag == _XS + "complexType":
                self._complex[_key(target, node.get("name"))] = (node, target)
            elif node.tag == _XS + "simpleType":
                self._simple[_key(target, node.get("name"))] = node
            elif node.tag == _XS + "element":
                self._elements.setdefault(_key(target, node.get("name")), node)

    def _global_element(self, namespace: str | None, name: str) -> etree._Element:
        return self._elements[_key(namespace, name)]

    def children(self, type_key: str) -> list[ElementDecl]:
        """The child elements of a complex type, in schema order (a choice's members are each optional)."""
        found = self._content.get(type_key)
        if found is None:
            node, target = self._complex[type_key]
            found = self._content[type_key] = self._walk(node, target, optional=False)
        return found

    def declarations(self, type_key: str) -> dict[str, ElementDecl]:
        """The children of a complex type by local name."""
        found = self._by_name.get(type_key)
        if found is None:
            found = self._by_name[type_key] = {d.name: d for d in self.children(type_key)}
        return found

    def child(self, type_key: str | None, name: str) -> ElementDecl | None:
        return self.declarations(type_key).get(name) if type_key else None

    def _walk(self, node: etree._Element, target: str | None, optional: bool) -> list[ElementDecl]:
        found: list[ElementDecl] = []
        for child in node:
            if child.tag == _XS + "sequence":
                found.extend(self._walk(child, target, optional or child.get("minOccurs") == "0"))
            elif child.tag == _XS + "choice":
                found.extend(self._walk(child, target, optional=True))
            elif child.tag == _XS + "complexContent":  # a type derived from another: the base's elements first
                derivation = next(c for c in child if c.tag in (_XS + "extension", _XS + "restriction"))
                if derivation.tag == _XS + "extension":
                    found.extend(self.children(_resolve(derivation, derivation.get("base"))))
                found.extend(self._walk(derivation, target, optional))
            elif child.tag == _XS + "element":
                decl = self._element(child, target, qualified=self._qualified(child))
                found.append(_optional(decl) if optional else decl)
        return found

    def _qualified(self, node: etree._Element) -> bool:
        form = node.get("form")
        if form:
            return form == "qualified"
        return node.getroottree().getroot().get("elementFormDefault") == "qualified"

    def _element(self, node: etree._Element, target: str | None, qualified: bool) -> ElementDecl:
        max_occurs = node.get("maxOccurs", "1")
        common = dict(name=node.get("name"), namespace=target if qualified else None,
                      min_occurs=int(node.get("minOccurs", "1")),
                      max_occurs=None if max_occurs == "unbounded" else int(max_occurs))
        type_name = node.get("type")
        if type_name:
            type_key = _resolve(node, type_name)
            if type_key in self._complex:
                type_node, type_target = self._complex[type_key]
            else:  # a simple type, ours or built in
                return ElementDecl(**common, type_key=None, whitespace=self._simple_whitespace(type_key))
        else:
            type_node = node.find(_XS + "complexType")
            if type_node is None:  # an inline simple type, or none (anything simple)
                inline = node.find(_XS + "simpleType")
                return ElementDecl(**common, type_key=None, whitespace=self._inline_whitespace(inline))
            type_key, type_target = f"anonymous {id(type_node)}", target
            self._complex[type_key] = (type_node, type_target)
        simple = type_node.find(_XS + "simpleContent")
        if simple is not None:
            attributes, whitespace = self._simple_content(simple)
            return ElementDecl(**common, type_key=None, attributes=attributes, whitespace=whitespace)
        if type_node.find(f"{_XS}sequence/{_XS}any") is not None:
            return ElementDecl(**common, type_key=None, opaque=True, content_namespace=type_target)
        return ElementDecl(**common, type_key=type_key)

    def _simple_content(self, simple: etree._Element) -> tuple[frozenset[str], str]:
        """The attributes a leaf with simple content may carry, and its whitespace handling."""
        derivation = next(c for c in simple if c.tag in (_XS + "restriction", _XS + "extension"))
        own = {a.get("name") for a in derivation if a.tag == _XS + "attribute"}
        base = _resolve(derivation, derivation.get("base"))
        if base in self._complex:
            base_node = self._complex[base][0].find(_XS + "simpleContent")
            inherited, whitespace = self._simple_content(base_node)
            return frozenset(own | inherited), whitespace
        return frozenset(own), self._simple_whitespace(base)

    def _simple_whitespace(self, type_key: str) -> str:
        node = self._simple.get(type_key)
        if node is None:
            namespace, _, local = type_key[1:].partition("}")
            return _WHITESPACE.get(local, "collapse") if namespace == _XS_NS else "preserve"
        return self._inline_whitespace(node)

    def _inline_whitespace(self, node: etree._Element | None) -> str:
        restriction = node.find(_XS + "restriction") if node is not None else None
        if restriction is None or restriction.get("base") is None:
            return "preserve"
        return self._simple_whitespace(_resolve(restriction, restriction.get("base")))


def _optional(decl: ElementDecl) -> ElementDecl:
    return ElementDecl(decl.name, decl.namespace, 0, decl.max_occurs, decl.type_key, decl.attributes,
                       decl.whitespace, decl.opaque, decl.content_namespace)


def _key(namespace: str | None, name: str) -> str:
    return f"{{{namespace or ''}}}{name}"


def _resolve(node: etree._Element, qname: str) -> str:
    """A prefixed QName in a schema as a {namespace}name key."""
    prefix, _, local = qname.rpartition(":")
    return _key(node.nsmap.get(prefix or None), local)
