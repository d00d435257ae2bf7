"""The migrations build exactly the tables the code describes (no drift between models and Alembic)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from toldsystem.models import metadata


def test_migrated_schema_matches_the_models(store):
    with store.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
