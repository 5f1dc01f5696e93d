"""The HTTP path from our process to Meilisearch's search routes, for many callers at once.

Its shape follows what ``bench/bench_search.py`` measured on this machine (2 cores):

- **No compression.** Asked for gzip (as httpx and aiohttp ask by default), Meilisearch
  streams a chunked gzip body; on a kept-alive connection its last small chunk waits for the
  peer's delayed ACK (Nagle), about 40 ms per response, while the search took 1-6 ms. On
  loopback or a LAN compression saves nothing, so we ask for ``identity``.
- **aiohttp, not httpx.** Under 32 concurrent callers httpx's pool spent 2-4 ms of CPU per
  request in this process; aiohttp about 0.3 ms.
- **A first-come, first-served gate of a few requests in flight.** Meilisearch runs as many
  searches at once as it has cores and hands the next free slot to a *random* waiting
  request, so 32 requests queued there give a long latency tail. Waiting here instead, in
  arrival order, keeps Meilisearch busy with short queues and our tail short. An *urgent*
  request (the index-version check every other search waits for) skips the gate, on a
  connection kept for it.

Every failure to get an answer (refused, reset, timed out, including the time spent waiting
at the gate) raises :class:`search.errors.MeiliUnavailable`.
"""

from __future__ import annotations

import asyncio
import contextlib

import aiohttp

from search.errors import MeiliUnavailable

_NO_GATE = contextlib.nullcontext()


class MeiliTransport:
    """POSTs JSON to one Meilisearch server with a bounded, fair number of requests in flight.

    The aiohttp session is made on first use inside the running event loop (and again if
    the object is later used from another loop, as tests and benchmarks do).
    """

    def __init__(
        self,
        url: str,
        headers: dict[str, str],
        *,
        timeout: float,
        connect_timeout: float,
        max_in_flight: int,
    ) -> None:
        self.url = url.rstrip("/")
        self.headers = {
            **headers,
            "Content-Type": "application/json",
            "Accept-Encoding": "identity",
        }
        self.timeout = timeout
        self.max_in_flight = max_in_flight
        self._client_timeout = aiohttp.ClientTimeout(
            total=None, connect=connect_timeout, sock_connect=connect_timeout
        )
        self._session: aiohttp.ClientSession | None = None
        self._gate: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def post(self, path: str, body: bytes, *, urgent: bool = False) -> tuple[int, bytes]:
        """Status and body of ``POST path``; raises MeiliUnavailable when there is no answer
        within ``timeout`` seconds (waiting for a free slot included)."""
        session, gate = self._open()
        try:
            async with asyncio.timeout(self.timeout), _NO_GATE if urgent else gate:
                try:
                    return await self._exchange(session, path, body)
                except aiohttp.ServerDisconnectedError:
                    # A kept-alive connection the server had just closed: searches are
                    # read-only, so one retry on a fresh connection is safe.
                    return await self._exchange(session, path, body)
        except TimeoutError as exc:
            raise MeiliUnavailable(self.url, f"no answer within {self.timeout:g} s") from exc
        except aiohttp.ClientError as exc:
            raise MeiliUnavailable(self.url, str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            if self._loop is _running_loop():
                await session.close()
            else:
                _abandon(session)

    def __del__(self) -> None:
        # Owners that never call aclose() (a test's throw-away service) get no
        # "Unclosed client session" error at exit.
        if self._session is not None and not self._session.closed:
            _abandon(self._session)

    @staticmethod
    async def _exchange(
        session: aiohttp.ClientSession, path: str, body: bytes
    ) -> tuple[int, bytes]:
        async with session.post(path, data=body) as response:
            return response.status, await response.read()

    def _open(self) -> tuple[aiohttp.ClientSession, asyncio.Semaphore]:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            if self._session is not None and not self._session.closed:
                _abandon(self._session)  # made in an event loop that is gone
            self._session = aiohttp.ClientSession(
                base_url=self.url,
                headers=self.headers,
                timeout=self._client_timeout,
                connector=aiohttp.TCPConnector(limit=self.max_in_flight + 1),  # +1: urgent
            )
            self._gate = asyncio.Semaphore(self.max_in_flight)
            self._loop = loop
        assert self._gate is not None
        return self._session, self._gate


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _abandon(session: aiohttp.ClientSession) -> None:
    """Close a session's connections without awaiting (its event loop may be gone)."""
    connector = session.connector
    session.detach()
    if connector is not None and not connector.closed:
        # close() would schedule a task on that dead loop; _close() is its synchronous part,
        # which shuts the transports (aiohttp is pinned in constraints.txt).
        with contextlib.suppress(RuntimeError):  # "Event loop is closed"
            connector._close()
