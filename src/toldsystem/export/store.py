"""Tables of the export room: declarations, their append-only events, the message log and outbox per party,
idempotency keys and the export MRN serials (SPEC E)."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from toldsystem.db import UtcDateTime, metadata

declarations = Table(
    "export_declarations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("declarant_eori", String(17), nullable=False),  # who lodged it: the declarant or its representative
    Column("representative_eori", String(17), nullable=True),  # Agent/ID when it differs from the declarant
    Column("exporter_eori", String(17), nullable=True),
    Column("lrn", String(22), nullable=False),
    Column("mrn", String(18), nullable=True, unique=True),
    Column("kind", String(30), nullable=False),  # rules.DeclarationKind
    Column("type_code", String(3), nullable=False),
    Column("state", String(30), nullable=False),  # rules.Status, only through rules.next_status
    Column("office_of_export", String(8), nullable=False),
    Column("office_of_exit", String(8), nullable=False),
    Column("fallback", Boolean, nullable=False),
    Column("digest", String(64), nullable=False),  # of the data as lodged: the same LRN again is a replay
    Column("data", Text, nullable=False),  # the declaration's data (JSON), as amended
    Column("xml", Text, nullable=False),  # the declaration as received (or rendered from the JSON received)
    Column("lodged_at", UtcDateTime, nullable=False),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("released_at", UtcDateTime, nullable=True),
    Column("presented_at", UtcDateTime, nullable=True),
    Column("arrived_at_exit_at", UtcDateTime, nullable=True),
    Column("exited_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    # An LRN is unique per declarant: the database guards it under concurrency (idempotent lodging).
    UniqueConstraint("declarant_eori", "lrn", name="uq_export_declarations_declarant_lrn"),
    Index("ix_export_declarations_export_work", "office_of_export", "state", "updated_at"),
    Index("ix_export_declarations_exit_work", "office_of_exit", "state", "updated_at"),
)

events = Table(
    "export_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("declaration_id", Integer, ForeignKey("export_declarations.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("event", String(40), nullable=False),
    Column("state", String(30), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("detail", Text, nullable=False),  # JSON: what decided it (the officer's reason, the departure ...)
)

messages = Table(
    "export_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("declaration_id", Integer, ForeignKey("export_declarations.id"), nullable=True),
    Column("direction", String(3), nullable=False),  # in | out
    Column("kind", String(30), nullable=False),  # an incoming message kind, or an outgoing NotificationEventType
    Column("party", String(200), nullable=False),  # sender of an incoming, recipient of an outgoing
    Column("lrn", String(22), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("data", Text, nullable=False),  # JSON
    Index("ix_export_messages_party", "party", "direction", "id"),
    Index("ix_export_messages_declaration", "declaration_id", "id"),
)

mrn_serials = Table(
    "export_mrn_serials", metadata,
    Column("office", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
    Column("serial_key", String(64), nullable=False),  # the permutation key (transit.mrn.drawn_serial)
)
