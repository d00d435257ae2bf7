"""Tables for the EORI register and authorisations."""

from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table

from toldsystem.db import UtcDateTime, metadata

companies = Table(
    "companies", metadata,
    Column("eori", String(17), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("street", String(200), nullable=False),
    Column("city", String(100), nullable=False),
    Column("postcode", String(20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("registered_import", Boolean, nullable=False),
    Column("registered_export", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

authorisations = Table(
    "authorisations", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("eori", String(17), ForeignKey("companies.eori"), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("reference", String(60), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)

# A holder's power of attorney for a representative (SPEC T): scopes as 'transit.declare;guarantees.use'.
powers_of_attorney = Table(
    "powers_of_attorney", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("holder_eori", String(17), ForeignKey("companies.eori"), nullable=False, index=True),
    Column("representative_eori", String(17), ForeignKey("companies.eori"), nullable=False, index=True),
    Column("scopes", String(200), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)
