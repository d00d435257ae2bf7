"""Our DMS Export XSDs, compiled once and read as a content model (toldsystem.dms.model).

The export declarations are WCO DEC-DMS messages in the same four namespaces as the import ones, and the
EU export system's CC507C is read by the same content model (its elements unqualified); only the files,
roots and kinds are export's own. The notification is the agency's export trader-portal Notification, a
structure of its own (not the import one).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from toldsystem.dms.model import DEC_NS, ContentModel, compile_schema

SCHEMA_DIR = Path(__file__).parent / "schemas"
ECS_NS = "http://ecs.dgtaxud.ec"  # the EU export control system's messages (IE507 ...): unqualified elements
ECS_PREFIX = "ecs"  # the prefix an ECS message's root is rendered with (its children have no namespace)

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


@cache
def compiled_schema(kind: str) -> etree.XMLSchema:
    """The kind's XSD, compiled once per process."""
    return compile_schema(schema_path(kind))


@cache
def content_model(kind: str) -> ContentModel:
    """The content model of an export kind, built once per process."""
    return ContentModel(schema_path(kind), KINDS[kind][1])


def prepare() -> None:
    """Compile every kind's schema and content model now, so no caller's first message waits for it."""
    for kind in KINDS:
        compiled_schema(kind)
        content_model(kind)
