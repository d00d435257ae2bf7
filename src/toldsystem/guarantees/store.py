"""Tables of the guarantee management system.

Amounts are stored as integer cents (BigInteger): exact on SQLite and PostgreSQL alike, so the
conditional `open + amount <= reference` in the reservation never rounds.
"""

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Column, ForeignKey, Index, Integer,
                        PrimaryKeyConstraint, String, Table, text)

from toldsystem.db import UtcDateTime, metadata

# SQLite only auto-increments an INTEGER PRIMARY KEY.
_Id = BigInteger().with_variant(Integer(), "sqlite")

voucher_batches = Table(
    "guarantee_voucher_batches", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("base_grn", String(17), nullable=False, unique=True),
    Column("buyer_eori", String(17), ForeignKey("companies.eori"), nullable=False, index=True),
    Column("office_of_guarantee", String(8), nullable=False),
    Column("count", Integer, nullable=False),
    Column("sold_at", UtcDateTime, nullable=False),
    Column("registered_at", UtcDateTime, nullable=True),
    # The office's work list: batches sold there and not yet registered (service/worklist.py).
    Index("ix_guarantee_voucher_batches_office", "office_of_guarantee", "registered_at"),
)

guarantees = Table(
    "guarantees", metadata,
    Column("grn", String(24), primary_key=True),
    Column("type", String(1), nullable=False),
    Column("holder_eori", String(17), ForeignKey("companies.eori"), nullable=False, index=True),
    Column("office_of_guarantee", String(8), nullable=False),
    Column("reference_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(12), nullable=False),  # pending | registered | revoked
    Column("not_valid_in", String(40), nullable=False, default=""),  # 'CH;NO', box 52 limitations
    # Kept beside the ledger and equal to its sum; the reservation updates it conditionally.
    Column("open_cents", BigInteger, nullable=False, default=0),
    Column("uses", Integer, nullable=False, default=0),  # reservations ever made (individual: at most 1)
    Column("batch_id", _Id, ForeignKey("guarantee_voucher_batches.id"), nullable=True, index=True),
    Column("guarantor", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("registered_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    # The last guard: whatever the code does, the database refuses an overspent guarantee.
    CheckConstraint("open_cents >= 0 AND open_cents <= reference_cents", name="open_within_reference"),
    # The office's work lists: its guarantees by status, newest first (service/worklist.py).
    Index("ix_guarantees_office_status", "office_of_guarantee", "status", "created_at"),
)

access_codes = Table(
    "guarantee_access_codes", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("grn", String(24), ForeignKey("guarantees.grn"), nullable=False, index=True),
    Column("label", String(200), nullable=False),  # the person the holder authorised
    Column("digest", String(64), nullable=False),  # HMAC-SHA256, see rules.access_code_digest
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)

reservations = Table(
    "guarantee_reservations", metadata,
    Column("movement_ref", String(40), nullable=False),
    Column("grn", String(24), nullable=False),  # no FK, as for the ledger below
    Column("amount_cents", BigInteger, nullable=False),  # in the guarantee's currency
    Column("currency", String(3), nullable=False),
    Column("declared_cents", BigInteger, nullable=False),  # as the declaration stated it
    Column("declared_currency", String(3), nullable=False),
    Column("state", String(12), nullable=False),  # reserved | freed | discharged
    Column("created_at", UtcDateTime, nullable=False),
    Column("freed_at", UtcDateTime, nullable=True),
    Column("discharged_at", UtcDateTime, nullable=True),
    # One reservation per movement and guarantee: reserving twice cannot double-reserve.
    PrimaryKeyConstraint("movement_ref", "grn"),
)

ledger = Table(
    "guarantee_ledger", metadata,
    Column("id", _Id, primary_key=True, autoincrement=True),
    Column("grn", String(24), nullable=False),  # no FK: see the note below
    Column("kind", String(10), nullable=False),  # reserve | free | discharge | adjust
    Column("movement_ref", String(40), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),  # positive; the kind gives the direction
    Column("currency", String(3), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("kind IN ('reserve', 'free', 'discharge', 'adjust')", name="kind"),
    Index("ix_guarantee_ledger_grn_id", "grn", "id"),
    Index("ix_guarantee_ledger_movement_ref", "movement_ref"),
)
# The ledger and reservations deliberately have no foreign key to guarantees: every such row is written in the
# same transaction as a conditional update of its guarantee (which proves the GRN exists), and a
# foreign key would make each insert share-lock the hottest row in the system.

counters = Table(
    "guarantee_counters", metadata,
    Column("name", String(60), primary_key=True),  # e.g. 'grn:2026:DK009860'
    Column("n", BigInteger, nullable=False),
)

balance_query_windows = Table(
    "guarantee_balance_queries", metadata,
    Column("caller", String(60), primary_key=True),  # who asks (EORI or officer): one caller never limits another
    Column("grn", String(24), primary_key=True),  # any well-formed GRN asked about, known or not
    Column("window_start", UtcDateTime, nullable=False),
    Column("count", Integer, nullable=False),
)

# Wrong access codes (and unknown GRNs) per caller and GRN, from declarations, amendments, balance
# queries and test reservations alike: consecutive failures, the back-off they earned, the lockout.
code_failures = Table(
    "guarantee_code_failures", metadata,
    Column("caller", String(60), primary_key=True),
    Column("grn", String(24), primary_key=True),  # no FK: unknown GRNs are counted too
    Column("failures", Integer, nullable=False),
    Column("first_failed_at", UtcDateTime, nullable=False),
    Column("last_failed_at", UtcDateTime, nullable=False),
    Column("blocked_until", UtcDateTime, nullable=True),  # no code is checked before this
    Column("locked", Boolean, nullable=False),  # until the holder (or an officer) clears it
    Index("ix_guarantee_code_failures_grn", "grn"),
)

# PostgreSQL: the whole reservation in one round trip. The UPDATE is the guard (re-evaluated on
# the newest row version under its row lock, so concurrent reservations can never overspend);
# the reservation and ledger rows are written only if it held, and only once per movement and
# GRN (the primary key). `held` without `booked` means a replay: the caller rolls back.
RESERVE_POSTGRES = text("""
WITH held AS (
    UPDATE guarantees SET open_cents = open_cents + :cents, uses = uses + 1
    WHERE grn = :grn AND status = 'registered' AND open_cents + :cents <= reference_cents
      AND (NOT :single_use OR uses = 0)
    RETURNING grn
), booked AS (
    INSERT INTO guarantee_reservations (movement_ref, grn, amount_cents, currency, declared_cents,
                                        declared_currency, state, created_at)
    SELECT :movement_ref, grn, :cents, :currency, :declared_cents, :declared_currency, 'reserved', :now FROM held
    ON CONFLICT (movement_ref, grn) DO NOTHING
    RETURNING grn
), entry AS (
    INSERT INTO guarantee_ledger (grn, kind, movement_ref, amount_cents, currency, created_at)
    SELECT grn, 'reserve', :movement_ref, :cents, :currency, :now FROM booked
)
SELECT (SELECT count(*) FROM held) AS held, (SELECT count(*) FROM booked) AS booked
""")

# PostgreSQL fast path for a guarantee seen before: the same statement, but the identity checks
# run inside the UPDATE too — holder, the immutable facts the caller remembered (type,
# currency, limitations: a stale memory just fails over to the full check), an active access
# code with this digest (an index lookup on an HMAC, see rules.access_code_digest), and no
# failed attempts on record for this caller and GRN (a primary-key lookup; a caller with some
# takes the full path, which waits, counts and clears them).
RESERVE_POSTGRES_KNOWN = text(str(RESERVE_POSTGRES).replace(
    "WHERE grn = :grn AND status = 'registered'",
    "WHERE grn = :grn AND holder_eori = :holder AND type = :type AND currency = :currency"
    " AND not_valid_in = :not_valid_in AND status = 'registered'"
    " AND EXISTS (SELECT 1 FROM guarantee_access_codes a WHERE a.grn = :grn AND a.digest = :digest"
    " AND a.revoked_at IS NULL)"
    " AND NOT EXISTS (SELECT 1 FROM guarantee_code_failures f WHERE f.caller = :caller AND f.grn = :grn)"))
