"""The FastAPI application: every room's router, one error format, OpenAPI at /docs."""

from __future__ import annotations

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
    app = FastAPI(title="toldsystem", version=__version__, description=DESCRIPTION)
    install_error_handlers(app)
    for router in (reference_router, companies_router, guarantees_router, transit_router):
        app.include_router(router)

    @app.get("/health", tags=["system"], summary="Liveness check")
    def health() -> dict:
        return {"status": "ok", "version": __version__}

    return app
