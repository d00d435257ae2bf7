"""Our DMS Import XSDs: compiled once, and read as a content model (toldsystem.dms.model) so code can follow
their order. What is the import room's own: its kinds of message, their files and roots."""

from __future__ import annotations

from pathlib import Path

from toldsystem.dms.kinds import MessageKinds
from toldsystem.dms.model import DEC_NS, DS_NS, EDS_NS, EXT_NS, PREFIXES, UDT_NS, ContentModel, ElementDecl

__all__ = ["DECLARATION_KINDS", "DEC_NS", "DS_NS", "EDS_NS", "EXT_NS", "KINDS", "PREFIXES", "SCHEMA_DIR", "UDT_NS",
           "MESSAGES", "ContentModel", "ElementDecl", "compiled_schema", "content_model", "prepare", "schema_path"]

SCHEMA_DIR = Path(__file__).parent / "schemas"

# The kinds of message, each with its schema file and root element ({namespace}name).
KINDS: dict[str, tuple[str, str]] = {
    "declaration": ("declaration.xsd", f"{{{DEC_NS}}}Declaration"),
    "amendment": ("amendment.xsd", f"{{{DEC_NS}}}Declaration"),
    "invalidation": ("invalidation.xsd", f"{{{DEC_NS}}}Declaration"),
    "notification": ("notification.xsd", "Notification"),
}
DECLARATION_KINDS = ("declaration", "amendment", "invalidation")  # what traders send


MESSAGES = MessageKinds({kind: (SCHEMA_DIR / file, root) for kind, (file, root) in KINDS.items()}, "message kind")
schema_path = MESSAGES.schema_path
compiled_schema = MESSAGES.compiled_schema
content_model = MESSAGES.content_model
prepare = MESSAGES.prepare
