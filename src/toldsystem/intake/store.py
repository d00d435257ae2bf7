"""The durable intake queue's one table: a submission accepted but not yet processed (ARCHITECTURE "Durable intake
queue"), written in the transaction that acknowledges it and marked processed in the one that handles it."""

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text, UniqueConstraint

from toldsystem.db import UtcDateTime, metadata

held = Table(
    "intake_held", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the arrival order
    Column("system", String(20), nullable=False),  # the board's system code (operations/systems.py)
    Column("environment", String(3), nullable=False),  # PRD | TFE
    Column("channel", String(10), nullable=False),  # the board's channel: file | online
    Column("handler", String(40), nullable=False),  # who processes it (intake.service.register), e.g. transit.message
    Column("sender", String(60), nullable=False),  # the party's key: who may read it (and an officer)
    Column("party", Text, nullable=False),  # JSON: the party it is processed for
    Column("idempotency_key", String(80), nullable=True),  # e.g. the messageIdentification: a repeat is the same row
    Column("digest", String(64), nullable=False),  # of the content, to tell a repeat from a reused key
    Column("payload", LargeBinary, nullable=True),  # the submission as received; emptied once processed
    Column("size", Integer, nullable=False),  # bytes of the payload, for the per-sender bound
    Column("summary", Text, nullable=False),  # JSON: what the sender may see of it meanwhile (type, identification)
    Column("state", String(10), nullable=False),  # held | processed | failed
    Column("received_at", UtcDateTime, nullable=False),
    Column("processed_at", UtcDateTime, nullable=True),
    Column("outcome", Text, nullable=True),  # JSON: what the handler made (answers, MRN) or the problems refusing it
    Column("attempts", Integer, nullable=False),  # failed attempts (a database away, a bug), not refusals
    UniqueConstraint("handler", "sender", "idempotency_key", name="uq_intake_held_key"),
    # state first: the worker's look (which queues hold rows) reads only the held ones, however many were processed
    Index("ix_intake_held_queue", "state", "system", "environment", "channel", "id"),
    Index("ix_intake_held_sender", "sender", "state"),
)
