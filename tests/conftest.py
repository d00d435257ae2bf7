"""Test fixtures: the store on SQLite and on the real PostgreSQL server, an API client, parties.

Service tests take the `store` fixture and so run twice: on SQLite and on PostgreSQL
(TOLD_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test). PostgreSQL is
required: if the server cannot be reached the tests fail, saying so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from toldsystem import config, db, migrate
from toldsystem.access import service as access
from toldsystem.companies import service as companies
from toldsystem.core import clock
from toldsystem.models import metadata
from toldsystem.access import recent as recent_parties
from toldsystem.operations import service as operations
from toldsystem.reference import service as reference
from toldsystem.reference import store as reference_store

POSTGRES_URL = os.environ.get("TOLD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEST_SECRET = "test-secret-key-not-for-production"

# Valid Danish EORIs (DK + CVR with its check digit) used across the tests.
FORWARDER = "DK13585628"
IMPORTER = "DK12345674"
CONSIGNOR = "DK20406089"
STRANGER = "DK30507096"


@pytest.fixture(scope="session", autouse=True)
def _settings(tmp_path_factory) -> Iterator[None]:
    var = tmp_path_factory.mktemp("var")
    os.environ["TOLD_SECRET_KEY"] = TEST_SECRET
    os.environ["TOLD_VAR_DIR"] = str(var)
    os.environ["TOLD_PASSWORD_HASHING"] = "cheapest"  # argon2's cheapest parameters: a test hashes many passwords
    config.override(config.load())
    yield
    config.override(None)


def _worker_schema(worker_id: str) -> str:
    # TOLD_TEST_SCHEMA_PREFIX keeps two checkouts testing at once on one server out of each other's schemas.
    prefix = os.environ.get("TOLD_TEST_SCHEMA_PREFIX", "told_test")
    return f"{prefix}_{worker_id}".replace("-", "_")


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory) -> Engine:
    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'told.db'}")
    migrate.upgrade(engine)
    return engine


@pytest.fixture(scope="session")
def postgres_engine(worker_id: str) -> Engine:
    schema = _worker_schema(worker_id)
    admin = db.make_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - turn any connection error into a clear failure
        pytest.fail(f"PostgreSQL is required for the test suite and is not reachable at {POSTGRES_URL}: {exc}",
                    pytrace=False)
    finally:
        admin.dispose()
    engine = db.make_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    migrate.upgrade(engine)
    return engine


def _empty(engine: Engine) -> None:
    # The bundled offices and code lists (170,000 rows) stay: load_bundled rewrites only what a test changed.
    kept = set(reference_store.BULK_TABLES)
    names = [t.name for t in reversed(metadata.sorted_tables) if t not in kept]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(names) + " RESTART IDENTITY CASCADE"))
        else:
            for name in names:
                conn.execute(text(f"DELETE FROM {name}"))


def _installed(engine: Engine) -> Iterator[Engine]:
    """The engine emptied, installed as the process's store and given the bundled reference data."""
    _empty(engine)
    previous = db.use(engine)
    reference.forget_snapshot()
    operations.forget()
    recent_parties.forget()
    companies.forget_standings()
    reference.load_bundled()
    yield engine
    db.use(previous)
    reference.forget_snapshot()
    operations.forget()
    recent_parties.forget()
    companies.forget_standings()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request) -> Iterator[Engine]:
    """A migrated, empty store with the bundled reference data, on SQLite and on PostgreSQL."""
    yield from _installed(request.getfixturevalue(f"{request.param}_engine"))


@pytest.fixture
def sqlite_store(sqlite_engine) -> Iterator[Engine]:
    """Like `store`, on SQLite only (for tests too slow to run twice, e.g. property-based ones)."""
    yield from _installed(sqlite_engine)


@pytest.fixture
def fixed_clock() -> Iterator[clock.FixedClock]:
    """Time stands at Monday 2026-11-23 10:00 Copenhagen until the test moves it."""
    from datetime import datetime

    fixed = clock.FixedClock(datetime(2026, 11, 23, 10, 0, tzinfo=clock.COPENHAGEN))
    previous = clock.install(fixed)
    yield fixed
    clock.install(previous)


def register_company(eori: str, name: str = "Test ApS", *, importer: bool = True, exporter: bool = False):
    """Register an EORI-registered company for a test."""
    return companies.register(eori, name, "Havnegade 1", "Padborg", "6330",
                              registered_import=importer, registered_export=exporter)


@pytest.fixture
def client() -> TestClient:
    from toldsystem.app import create_app

    return TestClient(create_app())


@pytest.fixture
def officer_headers(store) -> dict[str, str]:
    return {"Authorization": f"Bearer {access.issue_officer_token('Officer Olsen')}"}


def company_headers(eori: str) -> dict[str, str]:
    """Bearer headers acting for a company (registered first if need be)."""
    if companies.find(eori) is None:
        register_company(eori)
    return {"Authorization": f"Bearer {access.issue_company_token(eori, 'tests')}"}
