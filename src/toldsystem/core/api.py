"""How every room's API renders errors: the same JSON shape for every rejection."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from toldsystem.core.errors import ToldError


def error_body(problems) -> dict:
    return {"errors": [p.as_dict() for p in problems]}


def install_error_handlers(app: FastAPI) -> None:
    """ToldError → its status with {errors: [{code, pointer, message, message_da}]}; same for request validation."""

    @app.exception_handler(ToldError)
    async def _told_error(_request: Request, exc: ToldError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return JSONResponse(error_body(exc.problems), status_code=exc.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            pointer = "/".join(str(part) for part in err["loc"] if part != "body")
            errors.append({"code": f"request.{err['type']}", "pointer": pointer or "body",
                           "message": err["msg"], "message_da": f"ugyldig værdi i {pointer or 'forespørgslen'}"})
        return JSONResponse({"errors": errors}, status_code=422)
