"""Tables of the operational-messages board: each message as it stands, its history (append-only: every version
as it was, never changed afterwards), and the board's revision, which every change moves on so that each
process knows when to build its availability snapshot again (service.board)."""

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from toldsystem.db import UtcDateTime, metadata

messages = Table(
    "operations_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("systems", String(400), nullable=False),  # system codes (systems.py), ';'-separated, in order
    Column("environments", String(10), nullable=False),  # 'PRD', 'TFE' or 'PRD;TFE'
    Column("kind", String(20), nullable=False),  # service_window | disruption | back_to_normal | information
    Column("status", String(10), nullable=False),  # open | ended | withdrawn
    Column("title", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("work_order", String(20), nullable=False),
    Column("window_start", UtcDateTime, nullable=True),
    Column("window_end", UtcDateTime, nullable=True),
    Column("recurrence", String(200), nullable=True),  # an RRULE, expanded in Danish wall-clock time
    Column("effects", Text, nullable=False),  # JSON: [{"channel", "state", "systems": [...]}]
    Column("fallback", String(12), nullable=True),  # allowed | on_request | not_allowed (None: not said)
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, index=True),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),  # the number of its newest history entry
    # An imported message's identity on the agency's page (its created time and title): re-importing finds it.
    Column("source_key", String(360), nullable=True, unique=True),
)

versions = Table(
    "operations_message_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", Integer, ForeignKey("operations_messages.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("action", String(12), nullable=False),  # created | updated | extended | ended | withdrawn | imported | reimported
    Column("at", UtcDateTime, nullable=False),  # when the change was made (an import: the page's updated time)
    Column("actor", String(200), nullable=False),
    Column("note", Text, nullable=False),
    Column("changed", String(300), nullable=False),  # the content fields this version changed, ';'-separated
    Column("content", Text, nullable=False),  # JSON: the message's content as of this version
    UniqueConstraint("message_id", "version", name="uq_operations_message_versions_message_version"),
)

revision = Table(
    "operations_revision", metadata,
    Column("id", Integer, primary_key=True),  # one row, id 1
    Column("revision", BigInteger, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
)
