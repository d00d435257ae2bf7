"""Tables for reference data."""

from sqlalchemy import Boolean, Column, Numeric, String, Table

from toldsystem.db import metadata

offices = Table(
    "customs_offices", metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("city", String(100), nullable=False),
    Column("postcode", String(20), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("roles", String(400), nullable=False),  # 'DEP;DES;TRA', as in the EU list
)

countries = Table(
    "countries", metadata,
    Column("code", String(2), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("eu", Boolean, nullable=False),
    Column("efta", Boolean, nullable=False),
    Column("common_transit", Boolean, nullable=False),
)

currencies = Table(
    "currencies", metadata,
    Column("code", String(3), primary_key=True),
    Column("eur_rate", Numeric(18, 6), nullable=False),
)

code_list_entries = Table(
    "code_list_entries", metadata,
    Column("list", String(40), primary_key=True),
    Column("code", String(10), primary_key=True),
    Column("en", String(200), nullable=False),
    Column("da", String(200), nullable=False),
)
