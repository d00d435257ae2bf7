"""Our phase 5 XSDs: compiled once, and read as a content model so code can follow their order."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from lxml import etree

NCTS_NS = "http://ncts.dgtaxud.ec"
EXT_NS = "urn:eds:datamodel:EDS:EDS_EXTENSIONS:1"
SCHEMA_DIR = Path(__file__).parent / "schemas"

# The official phase 5 message set (v2.1, 33 types), split by who sends each (the phase 5 TIS,
# "Message categorisation by sender"; the NACKs CC906C/CC917C and the messages between offices and
# AES - CC040C, CC042C, CC048C, CC190C, CC191C - are sent by customs systems too).
TRADER_MESSAGES = ("CC007C", "CC013C", "CC014C", "CC015C", "CC044C", "CC170C")
CUSTOMS_MESSAGES = ("CC004C", "CC009C", "CC017C", "CC019C", "CC022C", "CC023C", "CC025C", "CC028C",
                    "CC029C", "CC035C", "CC040C", "CC042C", "CC043C", "CC045C", "CC048C", "CC051C",
                    "CC055C", "CC056C", "CC057C", "CC060C", "CC182C", "CC190C", "CC191C", "CC228C",
                    "CC906C", "CC917C", "CC928C")
MESSAGE_TYPES = frozenset(TRADER_MESSAGES + CUSTOMS_MESSAGES)

_XS = "{http://www.w3.org/2001/XMLSchema}"


@dataclass(frozen=True, slots=True)
class ElementDecl:
    """One element in a content model: its name, namespace (None when unqualified), occurrences, type."""

    name: str
    namespace: str | None
    min_occurs: int
    max_occurs: int | None  # None: unbounded
    type_key: str | None  # a complex type's key, or None for a leaf
    simple_type: str | None = None  # a leaf's named simple type (local name), e.g. TrimmedText70
    whitespace: str = "preserve"  # a leaf's XSD whitespace handling: preserve, replace or collapse
    # True when the element may occur more than once, so its data is always a list (a field, not
    # a property: reading a message asks it of every element).
    repeats: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "repeats", self.max_occurs is None or self.max_occurs > 1)

    @property
    def qname(self) -> str:
        return f"{{{self.namespace}}}{self.name}" if self.namespace else self.name


def schema_path(message_type: str) -> Path:
    """Path of a message's XSD file."""
    if message_type not in MESSAGE_TYPES:
        raise KeyError(f"no schema for message type {message_type!r}")
    return SCHEMA_DIR / f"{message_type.lower()}.xsd"


@cache
def compiled_schema(message_type: str) -> etree.XMLSchema:
    """The message's XSD, compiled once per process (lxml's XMLSchema is reusable)."""
    return etree.XMLSchema(etree.parse(str(schema_path(message_type)), _schema_parser()))


def prepare() -> None:
    """Compile every message's schema and content model now, so no caller's first message waits for it."""
    for message_type in MESSAGE_TYPES:
        compiled_schema(message_type)
        content_model(message_type)


def _schema_parser() -> etree.XMLParser:
    # Our own files, but read them the same safe way as everything else.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class ContentModel:
    """The element sequences of one message's schema set, walked with lxml."""

    def __init__(self, message_type: str):
        self.message_type = message_type
        self._types: dict[str, tuple[etree._Element, str, bool]] = {}
        self._groups: dict[str, tuple[etree._Element, str, bool]] = {}
        self._simple: dict[str, etree._Element] = {}
        self._content: dict[str, list[ElementDecl]] = {}
        self._positions: dict[str, dict[str, tuple[int, ElementDecl]]] = {}
        self._declarations: dict[str, dict[str, ElementDecl]] = {}
        self._reading: dict[str, dict[str, tuple[str | None, str | None, bool]]] = {}
        self._required: dict[str, tuple[tuple[str, int], ...]] = {}
        self._load(schema_path(message_type), set())
        self.root = ElementDecl(message_type, NCTS_NS, 1, 1, self._key(NCTS_NS, f"{message_type}Type"))

    def _load(self, path: Path, seen: set[Path]) -> None:
        path = path.resolve()
        if path in seen:
            return
        seen.add(path)
        doc = etree.parse(str(path), _schema_parser()).getroot()
        target = doc.get("targetNamespace", "")
        qualified = doc.get("elementFormDefault") == "qualified"
        for node in doc:
            if node.tag in (_XS + "include", _XS + "import"):
                self._load(path.parent / node.get("schemaLocation"), seen)
            elif node.tag == _XS + "complexType":
                self._types[self._key(target, node.get("name"))] = (node, target, qualified)
            elif node.tag == _XS + "group":
                self._groups[self._key(target, node.get("name"))] = (node, target, qualified)
            elif node.tag == _XS + "simpleType":
                self._simple[self._key(target, node.get("name"))] = node

    @staticmethod
    def _key(namespace: str, name: str) -> str:
        return f"{{{namespace}}}{name}"

    def _resolve(self, node: etree._Element, qname: str) -> str:
        """Turn a prefixed QName in the schema into a {namespace}name key."""
        prefix, _, local = qname.rpartition(":")
        return self._key(node.nsmap.get(prefix or None, ""), local)

    def children(self, type_key: str) -> list[ElementDecl]:
        """The elements of a complex type, in schema order (groups flattened)."""
        if type_key not in self._content:
            node, target, qualified = self._types[type_key]
            self._content[type_key] = self._walk(node, target, qualified)
        return self._content[type_key]

    def _walk(self, node: etree._Element, target: str, qualified: bool) -> list[ElementDecl]:
        found: list[ElementDecl] = []
        for child in node:
            if child.tag == _XS + "sequence":
                found.extend(self._walk(child, target, qualified))
            elif child.tag == _XS + "group":
                group, g_target, g_qualified = self._groups[self._resolve(child, child.get("ref"))]
                found.extend(self._walk(group, g_target, g_qualified))
            elif child.tag == _XS + "element":
                found.append(self._element(child, target, qualified))
            elif child.tag in (_XS + "choice", _XS + "all", _XS + "any"):
                raise NotImplementedError(f"{child.tag} is not used in our schemas")
        return found

    def _element(self, node: etree._Element, target: str, qualified: bool) -> ElementDecl:
        type_name = node.get("type")
        type_key = self._resolve(node, type_name) if type_name else None
        simple_type, whitespace = None, "preserve"
        if type_key not in self._types:
            simple_type = type_key.rpartition("}")[2] if type_key else None
            whitespace = self._whitespace(type_key, node)
            type_key = None  # a simple type (named or inline): a leaf
        max_occurs = node.get("maxOccurs", "1")
        form_qualified = node.get("form", "qualified" if qualified else "unqualified") == "qualified"
        return ElementDecl(
            name=node.get("name"),
            namespace=target if form_qualified else None,
            min_occurs=int(node.get("minOccurs", "1")),
            max_occurs=None if max_occurs == "unbounded" else int(max_occurs),
            type_key=type_key,
            simple_type=simple_type,
            whitespace=whitespace,
        )

    def _whitespace(self, type_key: str | None, node: etree._Element) -> str:
        """How XSD treats whitespace in a leaf's value: by the built-in type its simple type derives from."""
        current = self._simple.get(type_key) if type_key else node.find(_XS + "simpleType")
        builtin = type_key
        while current is not None:
            restriction = current.find(_XS + "restriction")
            if restriction is None:
                return "preserve"
            if restriction.get("base") is None:
                current = restriction.find(_XS + "simpleType")
                continue
            builtin = self._resolve(restriction, restriction.get("base"))
            current = self._simple.get(builtin)
        local = (builtin or "").rpartition("}")[2]
        return {"string": "preserve", "normalizedString": "replace"}.get(local, "collapse")

    def positions(self, type_key: str) -> dict[str, tuple[int, ElementDecl]]:
        """Each child's place in the schema order and its declaration, by name."""
        if type_key not in self._positions:
            self._positions[type_key] = {d.name: (i, d) for i, d in enumerate(self.children(type_key))}
        return self._positions[type_key]

    def child(self, type_key: str, name: str) -> ElementDecl | None:
        """The declaration of child `name` of a complex type, if there is one."""
        return self.declarations(type_key).get(name)

    def required(self, type_key: str) -> tuple[tuple[str, int], ...]:
        """The children a complex type requires, each with its least number of occurrences."""
        found = self._required.get(type_key)
        if found is None:
            found = self._required[type_key] = tuple((d.name, d.min_occurs) for d in self.children(type_key)
                                                     if d.min_occurs)
        return found

    @cached_property
    def depth(self) -> tuple[int, frozenset[str]]:
        """How deep the message's elements can nest (the root is at depth 1), but for the root's children whose
        type contains itself (the DMS Extensions), which can nest without end: their names."""
        def below(type_key: str, seen: frozenset[str]) -> float:
            if type_key in seen:
                return float("inf")
            inner = [below(d.type_key, seen | {type_key}) for d in self.children(type_key) if d.type_key]
            return 1 + max(inner, default=1)

        root = self.root.type_key
        bounded, unbounded = 1, set()
        for d in self.children(root):
            if d.type_key:
                found = below(d.type_key, frozenset({root}))
                if found == float("inf"):
                    unbounded.add(d.name)
                else:
                    bounded = max(bounded, int(found))
        return 1 + bounded, frozenset(unbounded)

    def reading(self, type_key: str) -> dict[str, tuple[str | None, str | None, bool]]:
        """What reading a complex type's children needs, by name: (complex type or None for a leaf, the leaf's
        whitespace handling or None to preserve it, whether it repeats) — tuples, the cheapest to unpack for
        every element of every message."""
        found = self._reading.get(type_key)
        if found is None:
            found = self._reading[type_key] = {
                d.name: (d.type_key, None if d.whitespace == "preserve" else d.whitespace, d.repeats)
                for d in self.children(type_key)}
        return found

    def declarations(self, type_key: str) -> dict[str, ElementDecl]:
        """The children of a complex type by name (one dictionary per type, made once)."""
        found = self._declarations.get(type_key)
        if found is None:
            found = self._declarations[type_key] = {d.name: d for d in self.children(type_key)}
        return found


@cache
def content_model(message_type: str) -> ContentModel:
    """The content model of a message, built once per process."""
    return ContentModel(message_type)
