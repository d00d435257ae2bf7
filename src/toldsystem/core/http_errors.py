"""How every room's API renders a refusal: one body, `{"errors": [{code, pointer, message, message_da}]}`,
at most the configured number of problems, whatever raised it — a rule (ToldError), request validation,
an unknown path or method, or, as a last line of defence, the database refusing a value."""

from __future__ import annotations

import http
import logging

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from toldsystem import config
from toldsystem.core import jsontext
from toldsystem.core.errors import Problem, ToldError, at_most, problem

log = logging.getLogger(__name__)


class ProblemOut(BaseModel):
    code: str = Field(description="Stable, for programs", examples=["request.missing"])
    pointer: str = Field(description="Where: the field, parameter or element", examples=["reference_amount"])
    message: str = Field(description="English")
    message_da: str = Field(description="Danish")
    line: int | None = Field(None, description="In an XML message as sent: the line (only when known)")
    column: int | None = Field(None, description="In an XML message as sent: the column (0: not known)")


class ErrorsOut(BaseModel):
    """Every refused request has this body."""

    errors: list[ProblemOut]


def error_body(problems: list[Problem]) -> dict:
    """The `{errors: [...]}` body, at most the configured number of problems."""
    shown = at_most(problems, config.settings().limits.max_problems)
    return {"errors": [p.as_dict() for p in shown]}


def error_response(problems: list[Problem], status: int, headers: dict | None = None) -> Response:
    return Response(jsontext.dump_bytes(error_body(problems)), status_code=status, media_type="application/json",
                    headers=headers)


# Danish for the request-shape errors clients meet most (pydantic's type → text; {name} is the field).
_DANISH = {
    "missing": "{name} skal angives",
    "int_parsing": "{name} skal være et heltal",
    "int_type": "{name} skal være et heltal",
    "less_than_equal": "{name} må højst være {le}",
    "greater_than_equal": "{name} skal mindst være {ge}",
    "less_than": "{name} skal være mindre end {lt}",
    "greater_than": "{name} skal være større end {gt}",
    "string_too_short": "{name} er for kort",
    "string_too_long": "{name} er for lang",
    "too_long": "{name} har for mange elementer",
    "too_short": "{name} har for få elementer",
    "string_type": "{name} skal være en tekst",
    "bool_parsing": "{name} skal være true eller false",
    "json_invalid": "indholdet er ikke gyldig JSON",
}


_DANISH_STATUS = {404: "findes ikke", 405: "metoden er ikke tilladt her", 400: "forespørgslen kan ikke læses"}


def _validation_problem(error: dict) -> Problem:
    where = [str(part) for part in error["loc"] if part != "body"]
    pointer = "/".join(where) or "body"
    name = where[-1] if where else "forespørgslen"
    context = {k: v for k, v in (error.get("ctx") or {}).items() if k in ("le", "ge", "lt", "gt")}
    danish = _DANISH.get(error["type"], "ugyldig værdi i {name}").format(name=name, **context)
    return problem(f"request.{error['type']}", pointer, f"{name}: {error['msg']}" if where else error["msg"], danish)


def install_error_handlers(app: FastAPI) -> None:
    """ToldError → its status; request validation → 422; HTTP errors (unknown path, method) → theirs: one body shape."""

    @app.exception_handler(ToldError)
    async def _told_error(_request: Request, exc: ToldError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return error_response(exc.problems, exc.status, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> Response:
        return error_response([_validation_problem(e) for e in exc.errors()], 422)

    @app.exception_handler(DataError)
    async def _refused_by_the_database(_request: Request, exc: DataError) -> Response:
        # The last line of defence: a value the checks before let through, yet too long or too large
        # for its column. Logged, as it means a bound is missing where the value came in.
        log.warning("the database refused a value: %s", str(exc.orig).splitlines()[0] if exc.orig else exc)
        return error_response([problem("request.value_too_large", "body",
                                        "a value is longer or larger than the server stores",
                                        "en værdi er længere eller større, end serveren gemmer")], 422)

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> Response:
        text = http.HTTPStatus(exc.status_code).phrase
        found = problem(f"http.{exc.status_code}", "", str(exc.detail or text), _DANISH_STATUS.get(exc.status_code, text))
        return error_response([found], exc.status_code, dict(exc.headers) if exc.headers else None)
