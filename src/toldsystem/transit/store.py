"""Tables for transit movements, their audit trail, the message log/outbox, idempotency, MRN serials and webhooks."""

from sqlalchemy import (Boolean, Column, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint)

from toldsystem.db import UtcDateTime, metadata

movements = Table(
    "transit_movements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("holder_eori", String(17), ForeignKey("companies.eori"), nullable=False),
    Column("lrn", String(22), nullable=False),
    Column("mrn", String(18), nullable=True, unique=True),
    Column("state", String(30), nullable=False),
    Column("declaration_type", String(3), nullable=False),
    Column("office_of_departure", String(8), nullable=False),
    Column("office_of_destination", String(8), nullable=False),
    Column("trader_at_destination", String(17), nullable=True),
    # the holder's representative named in the declaration, checked against its power of attorney
    Column("representative_eori", String(17), nullable=True),
    Column("simplified", Boolean, nullable=False),  # authorised consignor: released without presentation
    Column("fallback", Boolean, nullable=False),
    Column("declaration", Text, nullable=False),  # the CC015C data (JSON), amended by CC013C
    # The movement's reference in GMS when it is not the MRN: an amendment that changes the guarantees
    # reserves them under a fresh one, since GMS reserves a reference once (guarantee_check.py).
    Column("guarantee_ref", String(40), nullable=True),
    # A pre-lodged declaration's access codes as GMS keeps them (keyed digests, JSON {GRN: proof}): the
    # guarantee is checked when the goods are presented, and the codes themselves are never kept.
    Column("access_proofs", Text, nullable=True),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, index=True),
    # Box 00 and LRN (seed 003): an LRN is unique per holder; the database guards it under concurrency.
    UniqueConstraint("holder_eori", "lrn", name="uq_transit_movements_holder_lrn"),
    # The officers' work lists (service/worklist.py): what waits in which state at an office, oldest first.
    Index("ix_transit_movements_departure_work", "office_of_departure", "state", "updated_at"),
    Index("ix_transit_movements_destination_work", "office_of_destination", "state", "updated_at"),
)

movement_events = Table(
    "transit_movement_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("movement_id", Integer, ForeignKey("transit_movements.id"), nullable=False, index=True),
    Column("at", UtcDateTime, nullable=False),
    Column("event", String(40), nullable=False),
    Column("state", String(30), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("detail", Text, nullable=False),
)

messages = Table(
    "transit_messages", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("movement_id", Integer, ForeignKey("transit_movements.id"), nullable=True),
    Column("direction", String(3), nullable=False),  # in | out
    Column("message_type", String(6), nullable=False),
    Column("message_identification", String(35), nullable=False),
    Column("correlation_identifier", String(35), nullable=True),
    # Sender of an incoming, recipient of an outgoing: a company's EORI, or an officer's name (service.log.recipient).
    Column("party_eori", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # One form per message: an incoming one as the XML received, an outgoing one as its data (JSON).
    Column("xml", Text, nullable=True),
    Column("data", Text, nullable=True),
    # The LRN the message (or the message it answers) names, when it names one: a refused
    # declaration has no movement, and its sender finds it again by LRN.
    Column("lrn", String(22), nullable=True),
    Index("ix_transit_messages_party", "party_eori", "direction", "id"),
    Index("ix_transit_messages_movement", "movement_id", "id"),
    Index("ix_transit_messages_lrn", "lrn"),
    Index("ix_transit_messages_identification", "message_identification"),
    Index("ix_transit_messages_correlation", "correlation_identifier"),
)

intake_keys = Table(
    "transit_intake_keys", metadata,
    Column("party_eori", String(200), primary_key=True),  # as in transit_messages
    Column("message_identification", String(35), primary_key=True),
    Column("body_digest", String(64), nullable=False),
    Column("answer_ids", Text, nullable=False),  # JSON list of transit_messages ids answered
    Column("created_at", UtcDateTime, nullable=False),
)

mrn_serials = Table(
    "transit_mrn_serials", metadata,
    Column("office", String(8), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
    # Hex key of the permutation the serials are drawn through (transit/mrn.py); NULL: in order (before 0009).
    Column("serial_key", String(64)),
)

webhooks = Table(
    "transit_webhooks", metadata,
    Column("eori", String(17), ForeignKey("companies.eori"), primary_key=True),
    Column("url", String(500), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # The signing secret is HMAC(server key, salt): the database alone does not give it away.
    Column("secret_salt", String(64), nullable=False),
    Column("secret_made_at", UtcDateTime, nullable=False),
)

# The durable delivery queue and its log: a row per announcement, written in the unit of work
# that made the answer, posted by the delivery worker until delivered or given up.
webhook_deliveries = Table(
    "transit_webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("eori", String(17), ForeignKey("companies.eori"), nullable=False),
    Column("url", String(500), nullable=False),
    Column("message_id", Integer, ForeignKey("transit_messages.id"), nullable=False),
    Column("body", Text, nullable=False),  # the JSON posted, exactly as signed
    Column("state", String(10), nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("last_status", Integer, nullable=True),  # the receiver's HTTP status at the last attempt
    Column("last_error", String(300), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=True),
    Index("ix_transit_webhook_deliveries_due", "state", "next_attempt_at"),
    Index("ix_transit_webhook_deliveries_eori", "eori", "id"),
)
