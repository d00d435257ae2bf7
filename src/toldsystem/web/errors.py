"""How a page answers what went wrong: no session → 303 to sign-in; not the visitor's, or no such page → the one
"page not found" page (404, whatever the reason, so a refusal tells nothing); another refusal by a rule → a page
naming it in the visitor's language. The API keeps its JSON errors (core/http_errors.py)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from toldsystem.core.errors import ToldError
from toldsystem.web import i18n
from toldsystem.web.pages import render
from toldsystem.web.routing import PageRoute
from toldsystem.web.visitor import PageUnknown, SignInNeeded, request_language, sign_in_url

_NOT_PAGES = ("/api/", "/docs", "/redoc", "/openapi.json", "/health", "/status/")


def is_page(request: Request) -> bool:
    """Whether the request is for a page (a PageRoute, or a path no API or feed has)."""
    route = request.scope.get("route")
    if route is not None:
        return isinstance(route, PageRoute)
    return not request.url.path.startswith(_NOT_PAGES)


def not_found(request: Request) -> Response:
    """The one answer for a page that is not there or not the visitor's: the same bytes either way."""
    return render(request, None, "web/not_found.html", status=404)


def install(app: FastAPI) -> None:
    """Page answers for pages; every other request keeps the handler installed before (the API's JSON)."""
    api_told, api_http = app.exception_handlers[ToldError], app.exception_handlers[HTTPException]

    @app.exception_handler(SignInNeeded)
    async def _sign_in(_request: Request, exc: SignInNeeded) -> Response:
        return RedirectResponse(sign_in_url(exc.path), status_code=303)

    @app.exception_handler(PageUnknown)
    async def _unknown(request: Request, _exc: PageUnknown) -> Response:
        return not_found(request)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404 and is_page(request):
            return not_found(request)
        return await api_http(request, exc)

    @app.exception_handler(ToldError)
    async def _told(request: Request, exc: ToldError) -> Response:
        if not is_page(request):
            return await api_told(request, exc)
        if exc.status == 404:
            return not_found(request)
        language = request_language(request)
        heading = i18n.gettext(language, "This cannot be done")
        return render(request, None, "web/error.html", {"heading": heading, "messages": [
            i18n.problem_text(p, language) for p in exc.problems]}, status=exc.status)
