"""RFC 9457 problem details (`application/problem+json`) for every error the API returns.

Validation errors carry field paths (JSON pointers) but never the rejected value: a value may
be personal data, and personal data must not appear in error responses or logs.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from models.problems import VALIDATION_DETAIL, errors_of
from models.problems import field_errors as shared_field_errors

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("dvscreen.api")


class FieldError(BaseModel):
    """One validation error: where (`pointer`, `path`), what kind (`type`) and why (`msg`)."""

    pointer: str
    path: str
    type: str
    msg: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldError] | None = None
    id: str | None = None


class ProblemError(Exception):
    """Raise to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.problem = make_problem(status, detail, errors=errors, id=id)
        self.headers = headers


def make_problem(
    status: int,
    detail: str | None = None,
    *,
    errors: list[FieldError] | None = None,
    id: str | None = None,
) -> Problem:
    return Problem(
        title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors, id=id
    )


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def field_errors(
    errors: Sequence[dict[str, Any]], prefix: Sequence[str | int] = ()
) -> list[FieldError]:
    """Pydantic errors as field errors with paths (shared with the offline screener)."""
    return [FieldError(**error) for error in shared_field_errors(errors, prefix)]


def validation_problem(error: ValidationError, prefix: Sequence[str | int] = ()) -> Problem:
    return make_problem(422, VALIDATION_DETAIL, errors=field_errors(errors_of(error), prefix))


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.problem, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail: str | None = exc.detail if isinstance(exc.detail, str) else None
        if detail == HTTPStatus(exc.status_code).phrase:
            detail = None
        return problem_response(make_problem(exc.status_code, detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        problem = make_problem(422, VALIDATION_DETAIL, errors=field_errors(errors))
        return problem_response(problem)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The class name only: an exception's text may quote personal data.
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return problem_response(make_problem(500, "An unexpected error occurred."))
