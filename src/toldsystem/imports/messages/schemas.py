"""Our DMS Import XSDs: compiled once, and read as a content model (toldsystem.dms.model) so code can follow
their order. What is the import room's own: its kinds of message, their files and roots."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from toldsystem.dms.model import (DEC_NS, DS_NS, EDS_NS, EXT_NS, PREFIXES, UDT_NS, ContentModel, ElementDecl,
                                  compile_schema)

__all__ = ["DECLARATION_KINDS", "DEC_NS", "DS_NS", "EDS_NS", "EXT_NS", "KINDS", "PREFIXES", "SCHEMA_DIR", "UDT_NS",
           "ContentModel", "ElementDecl", "compiled_schema", "content_model", "prepare", "schema_path"]

SCHEMA_DIR = Path(__file__).parent / "schemas"

# The kinds of message, each with its schema file and root element ({namespace}name).
KINDS: dict[str, tuple[str, str]] = {
    "declaration": ("declaration.xsd", f"{{{DEC_NS}}}Declaration"),
    "amendment": ("amendment.xsd", f"{{{DEC_NS}}}Declaration"),
    "invalidation": ("invalidation.xsd", f"{{{DEC_NS}}}Declaration"),
    "notification": ("notification.xsd", "Notification"),
}
DECLARATION_KINDS = ("declaration", "amendment", "invalidation")  # what traders send


def schema_path(kind: str) -> Path:
    """Path of a kind's XSD file."""
    if kind not in KINDS:
        raise KeyError(f"no schema for message kind {kind!r}")
    return SCHEMA_DIR / KINDS[kind][0]


@cache
def compiled_schema(kind: str) -> etree.XMLSchema:
    """The kind's XSD, compiled once per process (lxml's XMLSchema is reusable)."""
    return compile_schema(schema_path(kind))


@cache
def content_model(kind: str) -> ContentModel:
    """The content model of a kind, built once per process."""
    return ContentModel(schema_path(kind), KINDS[kind][1])


def prepare() -> None:
    """Compile every kind's schema and content model now, so no caller's first message waits for it."""
    for kind in KINDS:
        compiled_schema(kind)
        content_model(kind)
