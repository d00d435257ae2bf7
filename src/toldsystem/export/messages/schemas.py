"""Our DMS Export XSDs, compiled once and read as a content model (the import room's ContentModel).

The export declarations are WCO DEC-DMS messages in the same four namespaces as the import ones, so the
content model of toldsystem.imports.messages.schemas reads them unchanged; only where the files are differs.
The notification is the agency's export trader-portal Notification, a structure of its own (not the import one).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from toldsystem.imports.messages.schemas import DEC_NS, ContentModel

SCHEMA_DIR = Path(__file__).parent / "schemas"
ECS_NS = "http://ecs.dgtaxud.ec"  # the EU export control system's messages (IE507 ...): unqualified elements

# The kinds of message, each with its schema file and root element ({namespace}name).
KINDS: dict[str, tuple[Path, str]] = {
    "declaration": (SCHEMA_DIR / "b1_declaration.xsd", f"{{{DEC_NS}}}Declaration"),
    "simplified": (SCHEMA_DIR / "c1_declaration.xsd", f"{{{DEC_NS}}}Declaration"),
    "amendment": (SCHEMA_DIR / "b1_amendment.xsd", f"{{{DEC_NS}}}Declaration"),
    "invalidation": (SCHEMA_DIR / "b1_invalidation.xsd", f"{{{DEC_NS}}}Declaration"),
    "arrival_at_exit": (SCHEMA_DIR / "ie507_arrival_at_exit.xsd", f"{{{ECS_NS}}}CC507C"),
    "notification": (SCHEMA_DIR / "notification.xsd", "Notification"),
}
DECLARATION_KINDS = ("declaration", "simplified", "amendment", "invalidation")
RECEIVED_KINDS = (*DECLARATION_KINDS, "arrival_at_exit")  # what traders send


def schema_path(kind: str) -> Path:
    """Path of a kind's XSD file."""
    if kind not in KINDS:
        raise KeyError(f"no schema for export message kind {kind!r}")
    return KINDS[kind][0]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@cache
def compiled_schema(kind: str) -> etree.XMLSchema:
    """The kind's XSD, compiled once per process."""
    return etree.XMLSchema(etree.parse(str(schema_path(kind)), _parser()))


class ExportContentModel(ContentModel):
    """The import room's content model, read from an export schema file.

    ContentModel.__init__ finds its file through the import room's own kinds; this one sets the same
    state from ours and leaves every reading method to the base class."""

    def __init__(self, kind: str):  # noqa: D107 - the state ContentModel.__init__ sets, from our kinds
        self.kind = kind
        self._complex = {}
        self._simple = {}
        self._elements = {}
        self._content = {}
        self._by_name = {}
        self._load(schema_path(kind), set())
        root_qname = KINDS[kind][1]
        namespace, _, name = root_qname[1:].partition("}") if root_qname[0] == "{" else (None, "", root_qname)
        self.root = self._element(self._global_element(namespace, name), namespace, qualified=True)


@cache
def content_model(kind: str) -> ContentModel:
    """The content model of an export kind, built once per process."""
    if kind not in KINDS:
        raise KeyError(f"no schema for export message kind {kind!r}")
    return ExportContentModel(kind)


def prepare() -> None:
    """Compile every kind's schema and content model now, so no caller's first message waits for it."""
    for kind in KINDS:
        compiled_schema(kind)
        content_model(kind)
