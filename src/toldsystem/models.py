"""Every room's tables on one MetaData, for Alembic and the tests."""

from toldsystem.access import store as _access  # noqa: F401
from toldsystem.companies import store as _companies  # noqa: F401
from toldsystem.db import metadata
from toldsystem.gateway import store as _gateway  # noqa: F401
from toldsystem.guarantees import store as _guarantees  # noqa: F401
from toldsystem.imports import store as _imports  # noqa: F401
from toldsystem.intake import store as _intake  # noqa: F401
from toldsystem.operations import store as _operations  # noqa: F401
from toldsystem.reference import store as _reference  # noqa: F401
from toldsystem.signatures import store as _signatures  # noqa: F401
from toldsystem.export import store as _export  # noqa: F401
from toldsystem.transit import store as _transit  # noqa: F401

__all__ = ["metadata"]
