"""Our DMS Export XSDs, compiled once and read as a content model (toldsystem.dms.model).

The export declarations are WCO DEC-DMS messages in the same four namespaces as the import ones, and the
EU export system's CC507C is read by the same content model (its elements unqualified); only the files,
roots and kinds are export's own. The notification is the agency's export trader-portal Notification, a
structure of its own (not the import one).
"""

from __future__ import annotations

from pathlib import Path

from toldsystem.dms.kinds import MessageKinds
from toldsystem.dms.model import DEC_NS

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


MESSAGES = MessageKinds(KINDS, "export message kind")
schema_path = MESSAGES.schema_path
compiled_schema = MESSAGES.compiled_schema
content_model = MESSAGES.content_model
prepare = MESSAGES.prepare
