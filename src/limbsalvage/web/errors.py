"""One error shape for every HTTP error, and one error page for pages.

Every error answers `{"error": {"status", "code", "message", "fields": [{"field", "message"}]}}`
(or the same content as an HTML page when a browser asks for a page). Messages name the field
and what is allowed, never the submitted value: logs and responses hold no patient data.
"""

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from limbsalvage.errors import (
    Conflict,
    DomainError,
    FieldProblem,
    Forbidden,
    Invalid,
    NotFound,
    Unauthenticated,
)
from limbsalvage.web.log_redaction import raised_at

log = logging.getLogger("limbsalvage.web")

_STATUS_OF: tuple[tuple[type[DomainError], int], ...] = (
    (Invalid, 422),
    (NotFound, 404),
    (Conflict, 409),
    (Forbidden, 403),
    (Unauthenticated, 401),
)

_CODE_OF_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class FieldMessage(BaseModel):
    """One field named in an error, with what is wrong or allowed."""

    field: str
    message: str


class ErrorDetail(BaseModel):
    """The content of every error response."""

    status: int
    code: str
    message: str
    fields: list[FieldMessage]


class ErrorResponse(BaseModel):
    """`{"error": {...}}`: the one error shape of the API."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": code.replace("_", " ")}
    for status, code in _CODE_OF_STATUS.items()
    if status in {401, 403, 404, 409, 422}
}


def status_of(error: DomainError) -> int:
    """The HTTP status of a domain error (the most specific class wins)."""
    for kind, status in _STATUS_OF:
        if isinstance(error, kind):
            return status
    return 400


def wants_html(request: Request) -> bool:
    """Pages get an HTML error page; the API, health checks and scripts get JSON."""
    path = request.url.path
    if path.startswith(("/api/", "/healthz")):
        return False
    if request.headers.get("hx-request") == "true":
        return False
    return "text/html" in request.headers.get("accept", "")


def error_body(
    status: int, code: str, message: str, fields: Sequence[FieldProblem] = ()
) -> dict[str, Any]:
    """The JSON error document."""
    return {
        "error": {
            "status": status,
            "code": code,
            "message": message,
            "fields": [{"field": f.field, "message": f.message} for f in fields],
        }
    }


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    fields: Sequence[FieldProblem] = (),
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as JSON, or as the error page when a browser asked for a page."""
    body = error_body(status, code, message, fields)
    templates: Jinja2Templates | None = getattr(request.app.state, "templates", None)
    if templates is not None and wants_html(request):
        return templates.TemplateResponse(
            request, "error.html", {"error": body["error"]}, status_code=status, headers=headers
        )
    return JSONResponse(body, status_code=status, headers=headers)


def _location(loc: Sequence[int | str]) -> str:
    """`["body", "abi"]` → `abi`; `["query", "page"]` → `page`; nested parts joined by dots."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "request"


def _problem(error: Any) -> FieldProblem:
    if error.get("type") == "json_invalid":
        return FieldProblem("body", "not valid JSON")
    field = _location(error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    # A cross-field rule of a whole body names its field first ("width_cm: … both needed").
    named, separator, rest = message.partition(": ")
    if separator and field == "body" and named.isidentifier():
        return FieldProblem(named, rest)
    return FieldProblem(field, message)


def validation_problems(errors: Sequence[Any]) -> list[FieldProblem]:
    """FastAPI's validation errors as field problems, without the submitted values."""
    return [_problem(e) for e in errors]


async def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    if isinstance(error, Unauthenticated) and wants_html(request):
        # A page asked for without a session: sign in, then come back.
        return RedirectResponse(f"/signin?next={quote(request.url.path)}", status_code=303)
    fields = error.fields if isinstance(error, Invalid) else ()
    return error_response(request, status_of(error), error.code, error.message, fields=fields)


async def _request_validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = validation_problems(error.errors())
    message = "; ".join(f"{p.field}: {p.message}" for p in problems)
    return error_response(request, 422, "invalid", message, fields=problems)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 400:
        # FastAPI's answer to a body it cannot parse: invalid input like any other, so a 422.
        problem = FieldProblem("body", "could not be read; expected JSON or a form")
        return error_response(request, 422, "invalid", f"body: {problem.message}", fields=[problem])
    code = _CODE_OF_STATUS.get(error.status_code, "http_error")
    message = str(error.detail) if error.detail else code.replace("_", " ")
    return error_response(
        request, error.status_code, code, message, headers=getattr(error, "headers", None)
    )


async def _unexpected(request: Request, error: Exception) -> Response:
    # Last resort; tests and the API fuzz run show it never fires. The exception's text may hold
    # submitted values, so only its type and where it was raised are logged.
    where = raised_at(error.__traceback__)
    log.error("unhandled %s at %s on %s", type(error).__name__, where, request.url.path)
    return error_response(request, 500, "internal_error", "internal error; it has been logged")


async def _database_busy(request: Request, error: Exception) -> Response:
    # SQLite answers "database is locked" when writers queue past the busy timeout: the server is
    # busy, not broken, so the client is told to retry (and the SQL, which may hold values, is not
    # logged).
    assert isinstance(error, OperationalError)
    log.warning("database busy on %s", request.url.path)
    return error_response(
        request,
        503,
        "unavailable",
        "the database is busy; try again in a moment",
        headers={"retry-after": "1"},
    )


async def _out_of_range(request: Request, _error: Exception) -> Response:
    # A number the database cannot hold (SQLite's 64-bit, PostgreSQL's integer columns) that got
    # past validation: invalid input, never a 500. The value itself is not repeated.
    log.warning("number out of range on %s", request.url.path)
    problem = FieldProblem("body", "a number is too large to store")
    return error_response(request, 422, "invalid", f"body: {problem.message}", fields=[problem])


def install(app: FastAPI) -> None:
    """Map every error to the one shape (or page)."""
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OperationalError, _database_busy)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
