"""HTTP caching: Cache-Control on every response, ETag on successful GETs, 304 on a match.

Answers that depend on who asks are private: those of handlers behind a key guard, and of
handlers marked ``opt={"private": True}`` (a capability token in the URL, such as a watch
list's). They go out ``private, no-store`` with ``Vary`` on the key headers, whatever the
handler set, and no shared cache (ours included, :mod:`api.response_cache`) keeps them.
"""

from __future__ import annotations

import hashlib

from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

# Headers are handled as the raw ASGI list of (lower-case name, value) byte pairs: this runs on
# every response, and Litestar's MutableScopeHeaders cost a tenth of a cached answer's time.
Headers = list[tuple[bytes, bytes]]
PRIVATE = "private, no-store"
VARY_ON_KEY = b"X-API-Key, Authorization"


def is_private(scope: Scope) -> bool:
    """Whether the answer to this request depends on a key or a capability token."""
    handler = scope.get("route_handler")
    if handler is None:
        return False
    return bool(handler.opt.get("private")) or bool(handler.resolve_guards())


class HttpCachingMiddleware:
    """Buffers GET/HEAD 200 responses, tags them with a hash of the body, answers 304 on match.

    The hash covers the body as sent (after compression), so each encoding has its own tag. A
    handler that knows its body's identity may set the ETag itself (sparing the hash); a
    compressed body then gets that tag with its encoding added.
    Successful GETs may be cached ``max_age`` seconds (except ``no_store`` paths); anything
    else is ``no-store``. A handler's own Cache-Control wins.
    """

    def __init__(self, app: ASGIApp, max_age: int, no_store: tuple[str, ...] = ()) -> None:
        self.app = app
        self.cache_control = f"public, max-age={max_age}"
        self.no_store = no_store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        if is_private(scope):
            await self.app(scope, receive, _private(send))
            return
        if scope["method"] not in ("GET", "HEAD") or scope["path"] in self.no_store:
            await self.app(scope, receive, _with_cache_control(send, "no-store"))
            return
        start: HTTPResponseStartEvent | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def buffered(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    passthrough = True
                    _set_default(message, "no-store")
                    await send(message)
                    return
                _set_default(message, self.cache_control)
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)  # nothing else comes between start and body
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self._finish(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, buffered)

    @staticmethod
    async def _finish(scope: Scope, start: HTTPResponseStartEvent, body: bytes, send: Send) -> None:
        headers = _headers(start)
        etag = _get(headers, b"etag")
        encoding = _get(headers, b"content-encoding")
        if etag is None:
            # SHA-1 (hardware-accelerated) hashes bodies at twice BLAKE2b's speed; a tag needs
            # no resistance to attack, only to chance collisions between versions of a resource.
            etag = b'"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:24].encode() + b'"'
        elif encoding is not None:
            etag = etag[:-1] + b"-" + encoding + b'"'
        _set(headers, b"etag", etag)
        wanted = _if_none_match(scope)
        if etag.decode("latin-1") in wanted or "*" in wanted:
            start["headers"] = [
                (name, value)
                for name, value in headers
                if name not in (b"content-length", b"content-type", b"content-encoding")
            ]
            start["status"] = 304
            await send(start)
            await send(body_event(b""))
            return
        await send(start)
        await send(body_event(body))


def body_event(body: bytes) -> HTTPResponseBodyEvent:
    """The last (or only) ``http.response.body`` message."""
    return {"type": "http.response.body", "body": body, "more_body": False}


def _if_none_match(scope: Scope) -> set[str]:
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return {tag.strip().removeprefix("W/") for tag in value.decode("latin-1").split(",")}
    return set()


def _headers(start: HTTPResponseStartEvent) -> Headers:
    """The response's header list, made a mutable list of pairs in place."""
    headers = start.get("headers")
    if not isinstance(headers, list):
        made: Headers = [(name, value) for name, value in headers or ()]
        start["headers"] = headers = made
    return headers


def _get(headers: Headers, name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _set(headers: Headers, name: bytes, value: bytes) -> None:
    headers[:] = [(key, old) for key, old in headers if key.lower() != name]
    headers.append((name, value))


def _set_default(start: HTTPResponseStartEvent, cache_control: str) -> None:
    headers = _headers(start)
    if _get(headers, b"cache-control") is None:
        headers.append((b"cache-control", cache_control.encode("latin-1")))


def _with_cache_control(send: Send, cache_control: str) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            _set_default(message, cache_control)
        await send(message)

    return wrapped


def _private(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = _headers(message)
            _set(headers, b"cache-control", PRIVATE.encode())
            vary = _get(headers, b"vary")
            _set(headers, b"vary", vary + b", " + VARY_ON_KEY if vary else VARY_ON_KEY)
        await send(message)

    return wrapped
