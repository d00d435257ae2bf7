"""The FastAPI application: every room's router, one error format, OpenAPI at /docs."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from toldsystem import __version__
from toldsystem.companies.api import router as companies_router
from toldsystem.core.api import install_error_handlers
from toldsystem.guarantees.api import router as guarantees_router
from toldsystem.reference.api import router as reference_router
from toldsystem.transit.api import router as transit_router

DESCRIPTION = """
toldsystem: the Danish customs systems — transit (NCTS phase 5) with the guarantee management
system, import express clearance, export, Manifest, operational messages and fallback procedures.

Every call acts for a party: send `Authorization: Bearer <token>`. A company's token sees only
that company's data; a customs officer's token sees everything. Errors always come as
`{"errors": [{"code", "pointer", "message", "message_da"}]}`.
"""


def create_app() -> FastAPI:
    """Assemble the application."""
    app = FastAPI(title="toldsystem", version=__version__, description=DESCRIPTION, lifespan=_serving)
    install_error_handlers(app)
    for router in (reference_router, companies_router, guarantees_router, transit_router):
        app.include_router(router)

    @app.get("/health", tags=["system"], summary="Liveness check")
    def health() -> dict:
        return {"status": "ok", "version": __version__}

    return app


@asynccontextmanager
async def _serving(_app: FastAPI) -> AsyncIterator[None]:
    """At server start: what exists by now (modules, routes, schemas, metadata) lives as long as the
    process, so keep it out of the cyclic collector's full scans, which otherwise stall a request now and then."""
    gc.collect()
    gc.freeze()
    yield
