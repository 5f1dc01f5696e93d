"""The live client against a real local HTTP server (loopback only): robots.txt, retries,
conditional requests, size bounds and the User-Agent."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from ingest.fetch import USER_AGENT, Fetcher, FetchError, Validators

PAGE = "<html><body><table><tr><td>Số hiệu</td><td>TCVN 12605:2019</td></tr></table></body></html>"


class Site(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}
    agents: ClassVar[set[str]] = set()

    def do_GET(self) -> None:  # http.server's name
        Site.hits[self.path] = Site.hits.get(self.path, 0) + 1
        Site.agents.add(self.headers.get("User-Agent", ""))
        if self.path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif self.path == "/flaky" and Site.hits[self.path] < 3:
            self._send(503, b"busy", "text/plain")
        elif self.path == "/huge":
            self._send(200, b"x" * 200_000, "text/plain")
        elif self.path == "/gone":
            self._send(404, b"not found", "text/plain")
        elif self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
        else:
            self._send(200, PAGE.encode(), "text/html; charset=utf-8", etag='"v1"')

    def _send(self, status: int, body: bytes, ctype: str, etag: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    Site.hits, Site.agents = {}, set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetcher(url: str, **options) -> Fetcher:
    return Fetcher(url, min_interval=0.0, backoff=0.01, **options)


def test_pages_come_with_our_user_agent_after_robots_txt(site: str) -> None:
    with fetcher(site) as client:
        page = client.get("/tieuchuan/view?sohieu=TCVN+12605%3A2019")
    assert "TCVN 12605:2019" in page.text and page.etag == '"v1"'
    assert Site.agents == {USER_AGENT}
    assert Site.hits["/robots.txt"] == 1


def test_robots_txt_is_obeyed(site: str) -> None:
    with fetcher(site) as client, pytest.raises(FetchError, match=r"robots\.txt"):
        client.get("/private/page")
    assert "/private/page" not in Site.hits


def test_transient_failures_are_retried_then_given_up(site: str) -> None:
    with fetcher(site, retries=3) as client:
        assert client.get("/flaky").status == 200
    assert Site.hits["/flaky"] == 3
    with fetcher(site, retries=1) as client, pytest.raises(FetchError, match="HTTP 404"):
        client.get("/gone")
    assert Site.hits["/gone"] == 1  # a 404 is not transient: no retry


def test_conditional_requests_use_the_validators_saved_after_a_run(site: str, tmp_path) -> None:
    validators = Validators(tmp_path / "validators.json")
    with fetcher(site, validators=validators) as client:
        page = client.get("/record")
        validators.stage(page)
    validators.save()  # after the run's data is committed
    with fetcher(site, validators=Validators(tmp_path / "validators.json")) as client:
        assert client.get("/record").not_modified


def test_responses_are_bounded_in_size(site: str) -> None:
    with fetcher(site, max_bytes=50_000) as client, pytest.raises(FetchError, match="larger"):
        client.get("/huge")
