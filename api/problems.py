"""Errors as ``application/problem+json`` (RFC 9457): a title, a detail, and what to do next.

Every exception leaving a handler passes through :func:`problem_handlers`; validation errors
name the offending field, unknown products and codes carry suggestions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.openapi import ResponseSpec
from sqlalchemy import exc as sa_exc

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("tieuchuan.api")


class Problem(HTTPException):
    """An error with a title (the kind of problem) and a detail (this occurrence)."""

    def __init__(
        self,
        status_code: int,
        title: str,
        detail: str,
        *,
        type_: str = "about:blank",
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail=detail, status_code=status_code, headers=headers)
        self.title = title
        self.type_ = type_
        self.fields = extra


class NotFound(Problem):
    """Unknown product or document, with the nearest known ones."""

    def __init__(self, what: str, reference: str, suggestions: list[dict[str, Any]]) -> None:
        hint = (
            "; did you mean " + ", ".join(s["name"] for s in suggestions[:5]) if suggestions else ""
        )
        super().__init__(
            404,
            f"Unknown {what}",
            f"no {what} matches {reference!r}{hint}",
            suggestions=suggestions,
        )


def problem_response(
    status: int, title: str, detail: str, instance: str | None = None, **extra: Any
) -> Response:
    body: dict[str, Any] = {"type": extra.pop("type_", "about:blank"), "title": title}
    body |= {"status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    body |= extra
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def _problem(request: Request, exc: Problem) -> Response:
    response = problem_response(
        exc.status_code, exc.title, exc.detail, request.url.path, type_=exc.type_, **exc.fields
    )
    response.headers.update(exc.headers or {})
    return response


def _validation(request: Request, exc: ValidationException) -> Response:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            errors.append(
                {
                    "field": item.get("key"),
                    "in": item.get("source"),
                    "message": item.get("message"),
                }
            )
    named = [
        f"{e['in'] + ' ' if e['in'] else ''}field {e['field']!r}: {e['message']}"
        for e in errors
        if e["field"]
    ]
    detail = "; ".join(named) or exc.detail or "the request is not valid"
    return problem_response(400, "Invalid request", detail, request.url.path, errors=errors)


def _http(request: Request, exc: HTTPException) -> Response:
    try:
        title = HTTPStatus(exc.status_code).phrase
    except ValueError:
        title = "Error"
    detail = (
        exc.detail
        if exc.detail and exc.detail != title
        else _DEFAULT_DETAIL.get(exc.status_code, title)
    )
    response = problem_response(exc.status_code, title, detail, request.url.path)
    response.headers.update(exc.headers or {})
    reset = response.headers.get("RateLimit-Reset")
    if exc.status_code == 429 and reset is not None:
        response.headers["Retry-After"] = str(max(1, int(reset)))
    return response


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        500,
        "Internal Server Error",
        f"the server failed on this request ({type(exc).__name__}); it has been logged",
        request.url.path,
    )


# SQLSTATEs of a statement stopped by lock_timeout (55P03) or statement_timeout (57014).
_POSTGRES_BUSY = {"55P03", "57014"}
_BUSY_RETRY_SECONDS = "5"


def _database_busy(exc: sa_exc.SQLAlchemyError) -> bool:
    """A wait that ran out (pool, lock or statement), rather than a fault in the request."""
    if isinstance(exc, sa_exc.TimeoutError):
        return True
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _POSTGRES_BUSY:
        return True
    return "database is locked" in str(orig)


def _database(request: Request, exc: sa_exc.SQLAlchemyError) -> Response:
    if not _database_busy(exc):
        return _unexpected(request, exc)
    log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
    response = problem_response(
        503,
        "Catalog busy",
        "the catalog is being updated or is under heavy load; nothing was changed, retry shortly",
        request.url.path,
    )
    response.headers["Retry-After"] = _BUSY_RETRY_SECONDS
    return response


# Paths answered by programs: their errors are always problem+json.
API_PATHS = ("/api/", "/health", "/ready")

_DEFAULT_DETAIL = {
    401: "this operation needs an API key in the X-API-Key header",
    404: "no such resource",
    405: "this method is not allowed on this resource",
    413: "the request body is larger than the server accepts (10 MB)",
    429: "too many requests: slow down and retry after the seconds in Retry-After",
}


def problem_handlers(not_found_page: Callable[[Request, NotFoundException], Response]) -> dict:
    """Handlers turning every error into problem+json; a URL outside the API that matches no
    route gets ``not_found_page`` instead, since a person, not a program, typed it."""

    def not_found(request: Request, exc: NotFoundException) -> Response:
        if request.url.path.startswith(API_PATHS):
            return _http(request, exc)
        return not_found_page(request, exc)

    return {
        Problem: _problem,
        ValidationException: _validation,
        NotFoundException: not_found,
        HTTPException: _http,
        sa_exc.OperationalError: _database,
        sa_exc.TimeoutError: _database,
        Exception: _unexpected,
    }


class ProblemDetail(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details (some problems add ``errors`` or ``suggestions``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None
    suggestions: list[dict[str, Any]] | None = None


_DESCRIPTIONS = {
    400: "Invalid request: the detail names the field",
    401: "An API key is needed",
    403: "The API key's role is not enough",
    404: "Not found; suggestions name the nearest matches",
    409: "Conflicts with what exists",
    502: "Search failed",
    503: "A dependency is unavailable",
}


def problem_responses(*codes: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a handler may give."""
    return {
        code: ResponseSpec(
            data_container=ProblemDetail,
            description=_DESCRIPTIONS.get(code, HTTPStatus(code).phrase),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for code in codes
    }
