"""Friendly error pages: every failure of a web page is a Vietnamese message with the right
status, never a stack trace (the trace goes to the log)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException

from api.web.i18n import ERRORS, Lang, request_lang
from api.web.templating import render
from search.errors import InvalidQuery, SearchError
from search.server import MeiliUnavailable

log = logging.getLogger(__name__)


class PageNotFound(NotFoundException):
    """No product or document behind a URL; ``suggestions`` are (link, label) it may mean."""

    def __init__(self, reference: str, suggestions: list[tuple[str, str]] | None = None) -> None:
        super().__init__(detail=f"nothing at {reference!r}")
        self.reference = reference
        self.suggestions = suggestions or []


class SearchUnavailable(RuntimeError):
    """The app runs without a search service (no Meilisearch configured)."""


class BadInput(ValidationException):
    """A parameter a person typed is wrong: which one, and a message in both languages."""

    def __init__(self, field: str, value: str, message_vi: str, message_en: str) -> None:
        super().__init__(detail=f"{field}: {message_en}")
        self.field = field
        self.value = value
        self.message_vi = message_vi
        self.message_en = message_en


def _page(
    request: Request[Any, Any, Any], status: int, detail: str | None = None, **context: Any
) -> Response[str]:
    message_vi, message_en = ERRORS.get(status, ERRORS[500])
    english = request_lang(request) == Lang.EN
    return render(
        request,
        "error.html",
        status_code=status,
        status=status,
        message=message_en if english else message_vi,
        detail=detail,
        suggestions=context.pop("suggestions", []),
        headers=context.pop("headers", None),
    )


def not_found(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[str]:
    suggestions = exc.suggestions if isinstance(exc, PageNotFound) else []
    return _page(request, 404, suggestions=suggestions)


def bad_input(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
    english = request_lang(request) == Lang.EN
    if isinstance(exc, BadInput):
        detail = exc.message_en if english else exc.message_vi
    elif isinstance(exc, InvalidQuery):
        detail = str(exc) if english else "Tham số tìm kiếm không hợp lệ."
    else:
        detail = None
    return _page(request, 400, detail)


def unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
    if isinstance(exc, MeiliUnavailable):  # search.query logs when it goes down and comes back
        log.debug("search unavailable on %s: %s", request.url.path, exc)
        seconds = exc.retry_seconds(default=30)
    else:
        log.warning("search unavailable on %s: %s", request.url.path, exc)
        seconds = 30
    return _page(request, 503, headers={"Retry-After": str(seconds)})


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[str]:
    status = exc.status_code
    return _page(request, status if status in ERRORS else (400 if status < 500 else 500))


def server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
    log.exception("web page %s failed", request.url.path, exc_info=exc)
    return _page(request, 500)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotFoundException: not_found,
    ValidationException: bad_input,
    InvalidQuery: bad_input,
    MeiliUnavailable: unavailable,
    SearchError: unavailable,  # Meilisearch refused (missing index, key): not the reader's fault
    SearchUnavailable: unavailable,
    HTTPException: http_error,
    Exception: server_error,
}
