"""How a room makes its page router: outside /api and its document, each route a PageRoute (so the tests know
a page from an API operation), its rule in the room's authorisation.py ROUTES like any API route's."""

from __future__ import annotations

from functools import cached_property

from fastapi import APIRouter

from toldsystem.core.api import ToldRoute


FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class PageRoute(ToldRoute):
    """A portal page: read by people in a browser, signed in by the session cookie (web/visitor.py); it reads
    what an HTML form sends (a route may declare other media types in openapi_extra, as an API route does)."""

    @cached_property
    def reads(self) -> tuple[str, ...]:
        declared = ((self.openapi_extra or {}).get("requestBody") or {}).get("content")
        if declared:
            return tuple(declared)
        return FORMS if self.body_field is not None else ()


def page_router(prefix: str = "") -> APIRouter:
    """A room's page router (its pages live in `<room>/web.py`); app.py's PAGES lists it."""
    if prefix.startswith("/api"):
        raise ValueError(f"{prefix}: pages live outside /api")
    return APIRouter(prefix=prefix, route_class=PageRoute, include_in_schema=False)
