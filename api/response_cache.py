"""Finished public responses held for the catalog version and the day they were made for.

The category tree, product and document reads, the browse, product and document pages and
the gap report are worked out from the relational store on every request: 4 to 100 ms of
CPU each, where the framework's floor is a quarter of a millisecond. Their answer depends
only on the catalog, the day, the query and the reader's language, so the finished response
is held under those and served again until the catalog moves. The catalog's version is the
one the applicability answers already track (:class:`catalog.readmodel.SharedCatalogGraph`):
a write through this process is seen at once, a write by another process (ingest) within its
check interval, as for the answers.

Only anonymous GETs of the paths in :data:`CACHEABLE` are held, only 200s without
``Set-Cookie`` or ``no-store``, and at most ``max_bytes`` of bodies (least recently used go first).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    Scope,
    Send,
)

from api.caching import body_event, is_private
from api.web.i18n import COOKIE
from catalog import clock
from catalog.readmodel import SharedCatalogGraph

log = logging.getLogger(__name__)

# Paths whose answer is a function of the catalog, the day, the query and the language.
CACHEABLE = (
    "/api/v1/categories",
    "/api/v1/issuers",
    "/api/v1/products",
    "/api/v1/documents/",
    "/api/v1/reports/gaps",
    "/duyet",
    "/san-pham/",
    "/van-ban/",
    "/bao-cao/khoang-trong",
)
LANGUAGE_COOKIE = COOKIE.encode()
# Applicability answers are held already, as JSON per span of days (api/services/answers.py).
_HELD_ELSEWHERE = "/applicable"
# Request headers that make an answer private: it is never held.
_PRIVATE = (b"x-api-key", b"authorization")


@dataclass(frozen=True, slots=True)
class _Held:
    start: HTTPResponseStartEvent
    body: bytes


class HeldResponses:
    """The responses held, for one catalog version at a time, at most ``max_bytes`` of bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.version: object = None
        self.entries: OrderedDict[tuple, _Held] = OrderedDict()
        self.bytes = 0
        self.hits = 0
        self._loading: asyncio.Future | None = None

    def get(self, key: tuple) -> _Held | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
            self.hits += 1
        return found

    def put(self, version: object, key: tuple, start: HTTPResponseStartEvent, body: bytes) -> None:
        if version != self.version:  # the catalog moved: what is held describes the old one
            self.version, self.bytes = version, 0
            self.entries.clear()
        if len(body) > self.max_bytes // 16:
            return
        previous = self.entries.pop(key, None)
        if previous is not None:
            self.bytes -= len(previous.body)
        self.entries[key] = _Held(start, body)
        self.bytes += len(body)
        while self.bytes > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.bytes -= len(dropped.body)

    def stats(self) -> dict[str, int]:
        return {"held": len(self.entries), "bytes": self.bytes, "hits": self.hits}

    def load_in_background(self, graph: SharedCatalogGraph) -> None:
        """Build the catalog graph in a worker thread if nothing is building it: until it
        serves, the catalog's version is unknown and nothing is held (requests are answered
        meanwhile)."""
        if self._loading is None or self._loading.done():
            self._loading = asyncio.get_running_loop().run_in_executor(None, graph.current)
            self._loading.add_done_callback(_log_failure)


class ResponseCacheMiddleware:
    """Serves held responses; holds the answers of cacheable requests it lets through.

    Litestar builds one instance per route, so the store (:class:`HeldResponses`) is shared.
    """

    def __init__(self, app: ASGIApp, *, held: HeldResponses) -> None:
        self.app = app
        self.held = held

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        version = self._version(scope)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = _key(version, scope)
        found = self.held.get(key)
        if found is not None:
            await send(_copy(found.start))
            await send(body_event(found.body))
            return
        start: HTTPResponseStartEvent | None = None
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = _copy(message)
            elif message["type"] == "http.response.body" and start is not None and _holdable(start):
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    self.held.put(version, key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _version(self, scope: HTTPScope) -> object | None:
        """The catalog version a held answer to this request would belong to; None when the
        request is not one to hold, or the version is not known yet."""
        path = scope["path"]
        if (
            scope["method"] != "GET"
            or not path.startswith(CACHEABLE)
            or path.endswith(_HELD_ELSEWHERE)
        ):
            return None
        if any(name in _PRIVATE for name, _ in scope["headers"]) or is_private(scope):
            return None
        graph = scope["app"].state.answers.graph
        current = graph.fresh()
        if current is None:
            self.held.load_in_background(graph)
            return None
        return current.version


def _key(version: object, scope: HTTPScope) -> tuple:
    """What the answer depends on besides the catalog: the day, the URL, whether the body is
    gzipped (the only encoding sent), and the language cookie of the pages."""
    gzip, language = False, None
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            gzip = b"gzip" in value
        elif name == b"cookie":
            language = _cookie(value, LANGUAGE_COOKIE)
    return (version, clock.today(), scope["path"], scope["query_string"], gzip, language)


def _cookie(header: bytes, name: bytes) -> bytes | None:
    for pair in header.split(b";"):
        key, _, value = pair.strip().partition(b"=")
        if key == name:
            return value
    return None


def _log_failure(future: asyncio.Future) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("building the catalog graph failed", exc_info=future.exception())


def _copy(start: HTTPResponseStartEvent) -> HTTPResponseStartEvent:
    """``start`` with a header list of its own (a server may change the list it is sent)."""
    copy = start.copy()
    copy["headers"] = list(start.get("headers", ()))
    return copy


def _holdable(start: HTTPResponseStartEvent) -> bool:
    if start["status"] != 200:
        return False
    for name, value in start["headers"]:
        if name == b"set-cookie":
            return False
        # "private" pages vary on the language cookie, which is part of the key; "no-store"
        # answers must never be kept.
        if name == b"cache-control" and b"no-store" in value:
            return False
    return True
