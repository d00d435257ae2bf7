"""What every room's API does alike, built once: bounded parameters, content negotiation, one error
shape (core/http_errors.py) and an OpenAPI document that says which errors each operation really
gives (core/openapi.py).

A room makes its router with `room_router`; its routes are `ToldRoute`s, which

- bound every integer parameter to what the database's integer columns hold (routes use the
  narrower types below, `RowId`, `Cursor`, `Page`, `PageSize`, `Limit`, where a parameter has a
  domain range), so 2^64 in a path or query is a 422 naming the parameter, never an overflow;
- refuse a body in a media type the operation does not read (415) and an Accept header that
  none of its answers can meet (406), before anything else is done;
- read a JSON body once, bounded in depth and free of NUL characters (core/bodies.py);
- document their error statuses with the real `{"errors": [...]}` body: 401/403 where a token is
  needed, 404 where the path names an object, 400/413/415 where a body is read, 406, 422, and
  whatever the route declares itself (409, 429), with the description filled in.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from functools import cached_property
from typing import Annotated, Any

import annotated_types
from fastapi import Path, Query, Request, Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute, APIRouter
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from toldsystem import config
from toldsystem.core.bodies import read_json
from toldsystem.core.errors import NotAcceptable, Rejected, UnsupportedMediaType, problem
from toldsystem.core.http_errors import ErrorsOut, ProblemOut, error_body, install_error_handlers
from toldsystem.core.openapi import ERRORS_REF, JSON, documented_errors, openapi_document

API_VERSION = "v1"
API_ROOT = f"/api/{API_VERSION}"  # where every room's paths are served and documented (app.py)

# The root the current request came in under: links in answers use it, so a client of the unversioned
# alias (/api/…) is sent on along the alias, and one of /api/v1 along v1.
_request_root: ContextVar[str] = ContextVar("told_api_root", default=API_ROOT)


def unversioned(path: str) -> str:
    """A path as the rooms' tables name it: /api/v1/transit/… is /api/transit/… (the alias names the same)."""
    return "/api" + path[len(API_ROOT):] if path.startswith(API_ROOT + "/") else path


def api_root() -> str:
    """/api/v1, or /api for a request that came in on the unversioned alias."""
    return _request_root.get()


ALIAS_ROOT = "/api"
_CAME_IN_ON = "told.api_root"  # the scope key ApiAlias leaves: the root the client used


class ApiAlias:
    """ASGI middleware: a request on the unversioned alias (/api/…) is served as its /api/v1/… twin.

    The path is rewritten before routing, so each operation is routed once, whichever root the
    client used (two copies of every route would make every request match against twice as many);
    the root it came in on is kept in the scope, and links in the answer follow it (`api_root`)."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            if path.startswith("/api/") and not path.startswith(API_ROOT + "/"):
                scope = {**scope, "path": API_ROOT + path[len(ALIAS_ROOT):], _CAME_IN_ON: ALIAS_ROOT}
                raw = scope.get("raw_path")
                if raw is not None:
                    scope["raw_path"] = API_ROOT.encode() + raw[len(ALIAS_ROOT):]
        await self.app(scope, receive, send)


# The range of the database's INTEGER columns (PostgreSQL's integer: 32 bits); a value compared with
# one, or stored in one, must be inside it, or the database refuses the statement.
INT_MAX = 2**31 - 1
INT_MIN = -(2**31)
MAX_PAGE = 1_000_000  # page × page size stays far inside a 64-bit offset

# --- parameter types: every integer a client sends is bounded -------------------------------------

RowId = Annotated[int, Path(ge=1, le=INT_MAX, description="A numeric id as returned by the API")]
Cursor = Annotated[int, Query(ge=0, le=INT_MAX, description="Only what has a larger id (0: from the start)")]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1")]
PageSize = Annotated[int, Query(ge=1, le=500, description="Entries per page, 1–500")]
Limit = Annotated[int, Query(ge=1, le=1000, description="At most this many, 1–1000")]
DbInt = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]  # for integer fields of request bodies

_WITHIN_DB_INT = annotated_types.Interval(ge=INT_MIN, le=INT_MAX)

# Statuses a route declares itself, beyond those the shared checks give every route of its kind;
# the description and the error body are filled in (`_documented_errors`).
CONFLICT = {409: {}}


# --- the route class ---------------------------------------------------------------------------------

_READ_JSON_IN_THREAD_FROM = 256 * 1024  # bytes: below, parsing takes less than handing it over


class ToldRoute(APIRoute):
    """A route with the shared checks and documentation (see the module's docstring)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        _bound_integer_parameters(endpoint)
        super().__init__(path, endpoint, **options)
        self.responses = documented_errors(self)

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """Media types the route reads as its body (empty: it reads none)."""
        declared = ((self.openapi_extra or {}).get("requestBody") or {}).get("content")
        if declared:
            return tuple(declared)
        return (JSON,) if self.body_field is not None else ()

    @cached_property
    def answers(self) -> tuple[str, ...]:
        """Media types of its successful answers (empty: no body, so any Accept will do)."""
        found: list[str] = []
        response_class = self.response_class
        if isinstance(response_class, DefaultPlaceholder):
            response_class = response_class.value
        media_type = getattr(response_class, "media_type", None)
        if media_type and self.status_code != 204:
            found.append(media_type)
        for status, spec in self.responses.items():
            if str(status).startswith("2"):
                found.extend(m for m in (spec.get("content") or {}) if m not in found)
        return tuple(found)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        route = self

        async def checked(request: Request) -> Response:
            await route.admit(request)
            return await handler(request)

        return checked

    async def admit(self, request: Request) -> None:
        """What every request is checked for before its operation runs."""
        _request_root.set(request.scope.get(_CAME_IN_ON, API_ROOT))
        answers = self.answers
        if answers and not acceptable(request.headers.get("accept"), answers):
            raise NotAcceptable(problem(
                "request.not_acceptable", "Accept", f"this operation answers in {', '.join(answers)}",
                f"denne handling svarer i {', '.join(answers)}"))
        _refuse_nul_in_parameters(request)
        reads = self.reads
        if reads and _has_body(request):
            media_type = media_type_of(request.headers.get("content-type"), reads)
            if media_type == JSON or media_type.endswith("+json"):
                # Parsed once here, bounded; FastAPI and the operation reuse the value (Starlette's cache).
                # A large body is read in a worker thread, so that the event loop goes on serving others.
                body, depth = await request.body(), config.settings().limits.max_json_depth
                request._json = (read_json(body, depth) if len(body) < _READ_JSON_IN_THREAD_FROM
                                 else await run_in_threadpool(read_json, body, depth))


def room_router(prefix: str, tags: list[str]) -> APIRouter:
    """A room's router: its paths start with `prefix` (e.g. "/transit"); the app serves them under /api/v1."""
    if prefix.startswith("/api"):
        raise ValueError(f"{prefix}: a room's prefix leaves out /api; the app adds /api/v1 (app.py)")
    return APIRouter(prefix=prefix, tags=tags, route_class=ToldRoute)


# --- integer parameters -----------------------------------------------------------------------------

def _bound_integer_parameters(endpoint: Callable[..., Any]) -> None:
    """A plain `int` (or `int | None`) parameter gets the range the database's integer columns hold.

    Narrower ranges come from the route's own annotation (RowId, Page …), which is left as it is."""
    try:
        signature = inspect.signature(endpoint, eval_str=True)
    except NameError:
        return
    changed = False
    parameters = []
    for parameter in signature.parameters.values():
        annotation = parameter.annotation
        if annotation is int:
            annotation, changed = Annotated[int, _WITHIN_DB_INT], True
        elif _is_optional_int(annotation):
            annotation, changed = Annotated[int, _WITHIN_DB_INT] | None, True
        parameters.append(parameter.replace(annotation=annotation))
    if changed:
        endpoint.__signature__ = signature.replace(parameters=parameters)


def _is_optional_int(annotation: Any) -> bool:
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return False
    return set(typing.get_args(annotation)) == {int, type(None)}


def _refuse_nul_in_parameters(request: Request) -> None:
    """A NUL character in a path or query parameter is refused by name (no database column stores one)."""
    if "\x00" not in request.scope["path"] and b"%00" not in request.scope["query_string"]:
        return
    for name, value in (*request.path_params.items(), *request.query_params.multi_items()):
        if isinstance(value, str) and "\x00" in value:
            raise Rejected(problem("request.nul_character", name, f"{name}: NUL characters are not allowed",
                                   f"{name}: NUL-tegn er ikke tilladt"))


# --- content negotiation --------------------------------------------------------------------------------

def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length != "0") or "transfer-encoding" in request.headers


def media_type_of(content_type: str | None, reads: tuple[str, ...]) -> str:
    """The body's media type, if the operation reads it; else 415."""
    media_type, _, parameters = (content_type or "").partition(";")
    media_type = media_type.strip().lower()
    charset = re.search(r"charset\s*=\s*\"?([\w.-]+)", parameters, re.IGNORECASE)
    if media_type in reads and (charset is None or charset.group(1).lower() in ("utf-8", "utf8")):
        return media_type
    sent = content_type or "no Content-Type"
    raise UnsupportedMediaType(problem(
        "request.unsupported_media_type", "Content-Type",
        f"{sent} is not read here; send {' or '.join(reads)} (UTF-8)",
        f"{sent} læses ikke her; send {' eller '.join(reads)} (UTF-8)"))


def acceptable(accept: str | None, answers: tuple[str, ...]) -> bool:
    """Whether an Accept header admits one of the media types the operation answers in."""
    if not accept or accept in answers or accept == "*/*" or not accept.strip():
        return True
    for entry in accept.split(","):
        media_range, _, parameters = entry.partition(";")
        media_range = media_range.strip().lower()
        quality = re.search(r"(?:^|;)\s*q\s*=\s*([0-9.]+)", parameters)
        if quality and _is_zero(quality.group(1)):
            continue
        for answer in answers:
            if media_range in ("*/*", "*", answer) or (
                    media_range.endswith("/*") and answer.startswith(media_range[:-1])):
                return True
    return False


def _is_zero(quality: str) -> bool:
    try:
        return float(quality) == 0
    except ValueError:
        return False


__all__ = ["API_ROOT", "API_VERSION", "unversioned", "CONFLICT", "Cursor", "DbInt", "ERRORS_REF", "ErrorsOut", "INT_MAX", "JSON", "Limit",
           "Page", "PageSize", "ProblemOut", "RowId", "ToldRoute", "acceptable", "api_root", "error_body",
           "install_error_handlers", "media_type_of", "openapi_document", "room_router"]
