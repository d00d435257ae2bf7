"""The OpenAPI document tells the truth about errors: each operation lists the error statuses it can answer
with — those the shared checks give every route of its kind, and those it declares itself — each with the
real `{"errors": [...]}` body (the `Errors` component), never FastAPI's `{detail}`."""

from __future__ import annotations

import http
from typing import Any

from fastapi import FastAPI
from fastapi.security.base import SecurityBase

from toldsystem.core import jsontext
from toldsystem.core.http_errors import ErrorsOut

JSON = "application/json"
ERRORS_REF = "#/components/schemas/Errors"

_WHY = {
    400: "The body cannot be read as sent: JSON nested deeper than the server allows (`request.json_too_deep`)",
    401: "No token, or an unknown or revoked one (`WWW-Authenticate: Bearer`)",
    403: "The token's party may not do this",
    404: "Not found, or not yours to see",
    406: "None of the media types in Accept is one this operation answers in",
    408: "The body did not arrive in full within the time the server waits (TOLD_MAX_BODY_SECONDS, default 30 s)",
    409: "A clash with what is stored (a duplicate, or an object in the wrong state)",
    413: "The body is larger than the server accepts (TOLD_MAX_BODY_BYTES, default 8 MiB)",
    415: "Content-Type is not one this operation reads",
    422: "The input breaks a rule, or a parameter is out of its range; nothing was changed",
    429: "Too many requests of this kind; try again later",
}


def documented_errors(route: Any) -> dict[int | str, dict[str, Any]]:
    """The route's declared responses, plus the error statuses the shared checks give it, each with the real body.

    `route` is a ToldRoute (core/api.py): what it reads and answers decides 400/406/415."""
    statuses: list[int] = []
    if _needs_token(route.dependant):
        statuses += [401, 403]
    if route.dependant.path_params:
        statuses.append(404)
    statuses += [408, 413]  # the body's limits (core/bodies.py) stand before every operation, one that reads none too
    if route.reads:
        statuses += [400, 415] if any(m == JSON or m.endswith("+json") for m in route.reads) else [415]
    if route.answers:
        statuses.append(406)
    if route.dependant.path_params or route.dependant.query_params or route.reads:
        statuses.append(422)
    documented: dict[int | str, dict[str, Any]] = {status: {} for status in sorted(statuses)}
    for status, spec in route.responses.items():
        documented[status] = dict(spec)
    for status, spec in documented.items():
        code = int(status) if str(status).isdigit() else 0
        if code >= 400:
            spec.setdefault("description", _WHY.get(code) or http.HTTPStatus(code).phrase)
            spec.setdefault("content", {JSON: {"schema": {"$ref": ERRORS_REF}}})
    return documented


def _needs_token(dependant: Any) -> bool:
    """Whether the operation (or one of its dependencies) reads a security scheme."""
    return isinstance(dependant.call, SecurityBase) or any(_needs_token(d) for d in dependant.dependencies)


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document with the shared error body as a component and its own `{detail}` shapes taken out."""
    if app.openapi_schema is None:
        document = FastAPI.openapi(app)  # made once and kept on the app; completed here in place
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        errors = ErrorsOut.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(errors.pop("$defs", {}))
        schemas["Errors"] = errors
        if "HTTPValidationError" not in jsontext.dumps(document["paths"]):
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
    return app.openapi_schema
