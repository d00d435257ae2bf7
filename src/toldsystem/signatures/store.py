"""Tables for the certificates companies register to sign ICS and Manifest submissions (seed 000)."""

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, Table, Text

from toldsystem.db import UtcDateTime, metadata

# One row per registered certificate. Revocation is written once (revoked_at is set only while it is empty),
# so the history of what was valid when is never overwritten.
certificates = Table(
    "certificates", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("eori", String(17), ForeignKey("companies.eori"), nullable=False, index=True),
    Column("fingerprint", String(64), nullable=False, unique=True),  # SHA-256 of the DER
    Column("label", String(100), nullable=False),
    Column("subject", Text, nullable=False),
    Column("issuer", Text, nullable=False),
    Column("serial", String(64), nullable=False),
    Column("not_before", UtcDateTime, nullable=False),
    Column("not_after", UtcDateTime, nullable=False),
    Column("key_type", String(40), nullable=False),
    Column("der", LargeBinary, nullable=False),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("registered_by", String(100), nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("revoked_by", String(100), nullable=True),
    Column("revocation_reason", String(200), nullable=True),
)
