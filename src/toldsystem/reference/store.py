"""Tables for reference data."""

from sqlalchemy import Column, Date, Integer, Numeric, String, Table, Text

from toldsystem.db import UtcDateTime, metadata

offices = Table(
    "customs_offices", metadata,
    Column("code", String(8), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("city", String(100), nullable=False),
    Column("postcode", String(20), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("roles", String(400), nullable=False),  # 'DEP;DES;TRA', as in the EU list
)

currencies = Table(
    "currencies", metadata,
    Column("code", String(3), primary_key=True),
    Column("eur_rate", Numeric(18, 6), nullable=False),
)

code_list_entries = Table(
    "code_list_entries", metadata,
    Column("list", String(40), primary_key=True),  # the official id, e.g. CL017
    Column("code", String(20), primary_key=True),
    Column("en", Text, nullable=False),
    Column("da", Text, nullable=False),
    Column("valid_from", Date, nullable=True),  # when the entry's current version became active (informative)
    Column("valid_to", Date, nullable=True),  # last day the code may be used; None: still valid
)

code_lists = Table(
    "code_lists", metadata,
    Column("list", String(40), primary_key=True),
    Column("name", String(100), nullable=False),  # the official name, e.g. KindOfPackages
    Column("source", Text, nullable=False),  # where the values come from
)

# What each part of the reference data holds now ('offices', 'currencies', 'code_list:CL017', ...):
# the fingerprint of the bundled data it was loaded from, or 'changed:...' after any other change.
# Loading the bundled data skips parts whose fingerprint matches; a snapshot re-reads only the
# parts whose fingerprint moved.
reference_parts = Table(
    "reference_parts", metadata,
    Column("part", String(60), primary_key=True),
    Column("fingerprint", String(80), nullable=False),
    Column("origin", String(20), nullable=False),  # bundled | file | officer
    Column("rows", Integer, nullable=False),
    Column("loaded_at", UtcDateTime(), nullable=False),
)

# The large tables whose content reference_parts fingerprints: they may be kept between test runs
# (or restarts), load_bundled rewrites only the parts that differ from the bundled data.
BULK_TABLES = (offices, code_list_entries, reference_parts)
