"""A polite HTTP client for catalogue sites, and the same client replaying saved pages.

Live, :class:`Fetcher` sends a User-Agent naming the project, reads robots.txt before
anything else and obeys it, waits between requests, retries transient failures (network
errors, 429, 5xx) with exponential backoff, sends ``If-None-Match`` / ``If-Modified-Since``
from :class:`Validators`, and refuses bodies over ``max_bytes`` or slower than
``deadline`` seconds. It stays on its site: a URL on another scheme, host or port is
refused, and so is a redirect to one (robots.txt speaks for its own host only). With
:func:`replay_transport` the same code reads saved pages from a folder, so tests and
``--from DIR`` never touch the network.
"""

from __future__ import annotations

import json
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from ingest.decode import decode

USER_AGENT = "tieuchuan-ingest/0.1 (standards catalogue for Tuyen Quang province; polite bot)"
TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})
# robots.txt read when the site has none (4xx, unreachable) or fails (5xx).
_ALLOW_ALL: tuple[str, ...] = ()
_DISALLOW_ALL = ("User-agent: *", "Disallow: /")


def origin(url: str | httpx.URL) -> tuple[str, str, int | None]:
    """Scheme, host and port of a URL (the default port made explicit)."""
    parsed = httpx.URL(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme)
    return parsed.scheme, parsed.host.lower(), port


class _OffHost(Exception):
    """A redirect led to another host (raised by the request hook, turned into a reject)."""

    def __init__(self, url: httpx.URL) -> None:
        super().__init__(str(url))
        self.url = url


class FetchError(Exception):
    """A page could not be fetched (after retries), with the URL and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass
class Page:
    url: str
    status: int
    text: str | None  # None when not modified since the last run
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Validators:
    """ETag / Last-Modified per URL, kept in a small JSON file between runs.

    New validators are staged and only written by :meth:`save` after the run's data is
    committed: a crashed run must not make the next one skip pages it never stored.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._saved: dict[str, dict[str, str]] = {}
        self._staged: dict[str, dict[str, str]] = {}
        if path and path.exists():
            self._saved = json.loads(path.read_text(encoding="utf-8"))

    def headers_for(self, url: str) -> dict[str, str]:
        known = self._saved.get(url, {})
        headers = {}
        if etag := known.get("etag"):
            headers["If-None-Match"] = etag
        if modified := known.get("last_modified"):
            headers["If-Modified-Since"] = modified
        return headers

    def stage(self, page: Page) -> None:
        if page.etag or page.last_modified:
            entry = {"etag": page.etag, "last_modified": page.last_modified}
            self._staged[page.url] = {k: v for k, v in entry.items() if v}

    def save(self) -> None:
        if self.path is None or not self._staged:
            return
        self._saved.update(self._staged)
        self._staged = {}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self._saved, indent=1, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)


class Fetcher:
    """GET pages from one site politely; see the module docstring for the rules."""

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = USER_AGENT,
        min_interval: float = 1.0,
        retries: int = 3,
        backoff: float = 1.0,
        timeout: float = 20.0,
        deadline: float = 60.0,
        max_bytes: int = 5_000_000,
        validators: Validators | None = None,
        respect_robots: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.origin = origin(self.base_url)
        self.user_agent = user_agent
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.validators = validators or Validators(None)
        self.respect_robots = respect_robots
        self.requests = 0
        self._sleep = sleep
        self._last_request = 0.0
        self._robots: urllib.robotparser.RobotFileParser | None = None
        self._urls: dict[str, str] = {}
        self.client = httpx.Client(
            base_url=self.base_url,
            transport=transport,
            headers={"User-Agent": user_agent},
            timeout=timeout,
            follow_redirects=True,
            max_redirects=5,
            event_hooks={"request": [self._stay_on_host]},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client.close()

    def url(self, path_or_url: str) -> str:
        """The absolute, normalised URL of a path or URL (remembered: crawls ask twice)."""
        if (known := self._urls.get(path_or_url)) is not None:
            return known
        if len(self._urls) > 50_000:
            self._urls.clear()
        url = str(self.client.build_request("GET", path_or_url).url)
        self._urls[path_or_url] = self._urls[url] = url
        return url

    def on_host(self, url: str) -> bool:
        """Whether ``url`` is on this fetcher's site (same scheme, host and port)."""
        try:
            return origin(url) == self.origin
        except httpx.InvalidURL:
            return False

    def get(self, path_or_url: str) -> Page:
        """Fetch one page; raises :class:`FetchError` when it cannot be had."""
        url = self.url(path_or_url)
        if not self.on_host(url):
            raise FetchError(url, f"not on {self.base_url}: a crawl stays on its site")
        if self.respect_robots and not self._allowed(url):
            raise FetchError(url, "disallowed by robots.txt")
        headers = self.validators.headers_for(url)
        for attempt in range(self.retries + 1):
            try:
                response = self._request(url, headers)
            except httpx.TransportError as exc:
                reason = f"network error: {type(exc).__name__}: {exc}"
                retry_after = None
            else:
                if response.status not in TRANSIENT_STATUS:
                    break
                reason, retry_after = f"HTTP {response.status}", response.retry_after
            if attempt == self.retries:
                raise FetchError(url, f"{reason} (after {self.retries + 1} attempts)")
            self._sleep(retry_after if retry_after is not None else self.backoff * 2**attempt)
        if response.status >= 400:
            raise FetchError(url, f"HTTP {response.status}")
        return response.page

    def _request(self, url: str, headers: dict[str, str]) -> _Response:
        self._wait_turn()
        self.requests += 1
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(url, f"response larger than {self.max_bytes} bytes")
                    if time.monotonic() - started > self.deadline:
                        raise FetchError(url, f"response slower than {self.deadline} s")
                    chunks.append(chunk)
                content = b"".join(chunks)
        except _OffHost as exc:
            raise FetchError(
                url, f"redirected to {exc.url}, off {self.base_url}: refused"
            ) from None
        status = response.status_code
        text = None if status == 304 else decode(content, response.headers.get("content-type"))
        page = Page(
            url=str(response.url),
            status=status,
            text=text,
            fetched_at=datetime.now(UTC),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )
        return _Response(page, status, _retry_after(response.headers.get("retry-after")))

    def _stay_on_host(self, request: httpx.Request) -> None:
        if origin(request.url) != self.origin:
            raise _OffHost(request.url)

    def _wait_turn(self) -> None:
        wait = self._last_request + self.min_interval - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_request = time.monotonic()

    def _allowed(self, url: str) -> bool:
        if self._robots is None:
            self._robots = urllib.robotparser.RobotFileParser()
            try:
                response = self._request(self.url("/robots.txt"), {})
            except (httpx.TransportError, FetchError):
                self._robots.parse(_ALLOW_ALL)
            else:
                if response.status >= 500:
                    self._robots.parse(_DISALLOW_ALL)  # the conservative reading of RFC 9309
                elif response.status >= 400:
                    self._robots.parse(_ALLOW_ALL)
                else:
                    self._robots.parse((response.page.text or "").splitlines())
        return self._robots.can_fetch(self.user_agent, url)


@dataclass
class _Response:
    page: Page
    status: int
    retry_after: float | None


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value), 120.0)
    return None
