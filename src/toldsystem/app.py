"""The FastAPI application: every room's router under /api/v1, one error format, OpenAPI at /docs.

The API's version is in the path: /api/v1/… is documented and is what new clients use. The
unversioned /api/… serves the same operations, the same way — an alias kept for clients and
scripts written before the version was named; it stays on v1 when a v2 comes (docs/api.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from toldsystem import __version__, config
from toldsystem.access.routes import router as access_router
from toldsystem.access.web import router as access_pages
from toldsystem.access.web_users import router as users_pages
from toldsystem.gateway.web import router as upload_pages
from toldsystem.guarantees.web import router as guarantee_pages
from toldsystem.companies.api import router as companies_router
from toldsystem.core import heap
from toldsystem.core.api import API_ROOT, ApiAlias, ToldRoute, install_error_handlers, openapi_document
from toldsystem.core.bodies import BodyLimit
from toldsystem.gateway import inbox as _gateway_inbox  # noqa: F401 — its intake-queue handler, for the worker
from toldsystem.guarantees.api import router as guarantees_router
from toldsystem.imports.api import router as imports_router
from toldsystem.guarantees.office_web import router as guarantees_office_pages
from toldsystem.intake import worker as intake_worker
from toldsystem.operations.api import router as operations_router
from toldsystem.operations.editor_web import router as board_editor_pages
from toldsystem.operations.mail_links import router as mail_link_pages
from toldsystem.operations.pages import router as status_pages
from toldsystem.reference import service as reference
from toldsystem.reference.api import router as reference_router
from toldsystem.notifications import queue as deliveries
from toldsystem.signatures.api import router as signatures_router
from toldsystem.transit import messages
from toldsystem.transit.api import router as transit_router
from toldsystem.export.api import router as export_router
from toldsystem.transit.office_web import router as transit_office_pages
from toldsystem.transit.web import router as transit_pages
from toldsystem.transit.web_declaration import router as declaration_pages
from toldsystem.transit.web_follow_ups import router as follow_up_pages
from toldsystem.web import errors as page_errors
from toldsystem.web.pages import STATIC

DESCRIPTION = """
toldsystem: the Danish customs systems — transit (NCTS phase 5) with the guarantee management
system, import express clearance, export, Manifest, operational messages and fallback procedures.

Every call acts for a party: send `Authorization: Bearer <token>`, or sign in (`POST /api/v1/access/session`)
and send the session cookie (with `X-CSRF-Token` on every change). A token or session acts as its user, with
the user's roles per system; a company's user sees only that company's data. Errors always come as
`{"errors": [{"code", "pointer", "message", "message_da"}]}`; each operation lists the statuses it can
answer with. Every path is under `/api/v1`; `/api/…` without the version is an alias of v1.
"""

# Routed in this order, and routing tries each room's operations in turn: transit's message intake,
# by far the busiest operation, comes first.
ROOMS = (transit_router, imports_router, export_router, guarantees_router, companies_router, reference_router,
         operations_router, access_router, signatures_router)
# The pages people read in a browser, outside the API and its document: the status page and its feeds, and the
# portal's pages (each room's web.py, its router made by web.page_router; docs/portal.md).
# The declarants' pages: transit's dashboard, movement, declaration form and follow-ups, the guarantees and the
# upload; the officers' back office: work lists, a movement's decisions, the office of guarantee, the board's editor.
PAGES = (status_pages, access_pages, users_pages, transit_pages, declaration_pages, follow_up_pages, guarantee_pages,
         upload_pages, guarantees_office_pages, transit_office_pages, board_editor_pages, mail_link_pages)


def create_app(file_gateway_host: str | None = None) -> FastAPI:
    """Assemble the application; with `file_gateway_host`, the file gateway (SFTP, FTPS) runs beside it."""
    app = FastAPI(title="toldsystem", version=__version__, description=DESCRIPTION, lifespan=_serving)
    app.state.file_gateway_host = file_gateway_host
    install_error_handlers(app)
    for router in ROOMS:
        _require_shared_checks(router)
        app.include_router(router, prefix=API_ROOT)
    for router in PAGES:
        _require_shared_checks(router)
        app.include_router(router)
    page_errors.install(app)  # a page's errors are pages; the API's stay JSON
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(BodyLimit, limit=lambda: config.settings().limits.max_body_bytes,
                       seconds=lambda: config.settings().limits.max_body_seconds)
    app.add_middleware(ApiAlias)  # the unversioned /api/… is served as /api/v1/… (core/api.py)
    app.openapi = lambda: openapi_document(app)

    @app.get("/health", tags=["system"], summary="Liveness check")
    def health() -> dict:
        return {"status": "ok", "version": __version__}

    return app


def _require_shared_checks(router) -> None:
    """Every operation gets the shared checks and error documentation: its router is made by core.api.room_router."""
    for route in router.routes:
        if isinstance(route, APIRoute) and not isinstance(route, ToldRoute):
            raise TypeError(f"{route.path}: make its router with toldsystem.core.api.room_router")


@asynccontextmanager
async def _serving(app: FastAPI) -> AsyncIterator[None]:
    """At server start: what exists by now (modules, routes, schemas, metadata) lives as long as the
    process, so the cyclic collector leaves it alone (core/heap.py); the schemas and the reference snapshot are
    made first, or the first callers would wait seconds for them; and the delivery worker (webhooks, mail), the
    intake queue's worker and (for `told serve`) the file gateway run while the server does."""
    messages.prepare()
    reference.snapshot()
    heap.settle()
    deliveries.worker()  # webhooks and mails still pending from before the restart go out again
    intake_worker.start()  # what a queued window held is processed once the board opens its channel again
    gateway = None
    if app.state.file_gateway_host is not None:
        from toldsystem.gateway import serving

        gateway = await serving.start(app.state.file_gateway_host)
    try:
        yield
    finally:
        if gateway is not None:
            await gateway.stop()
        intake_worker.stop()
        deliveries.stop_worker()
