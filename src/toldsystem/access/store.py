"""Tables for API tokens."""

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from toldsystem.db import UtcDateTime, metadata

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),  # company | officer
    Column("eori", String(17), ForeignKey("companies.eori"), nullable=True),
    Column("name", String(200), nullable=False),
    Column("office", String(8), nullable=True),  # an officer's customs office; none: a national officer
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)
