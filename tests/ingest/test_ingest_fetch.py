"""The live client against a real local HTTP server (loopback only): robots.txt, retries,
conditional requests, size bounds and the User-Agent; and crawls kept on their site."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpx
import pytest

from ingest.crawl import paginate
from ingest.fetch import USER_AGENT, Fetcher, FetchError, Validators
from ingest.records import DocumentRecord, Reject
from ingest.sources.catalogue import CatalogueSource

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
        elif self.path == "/away":
            port = self.server.server_address[1] + 1
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{port}/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
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


# --- staying on the source's host (security review item 15) ------------------------------

SOURCE = "http://catalogue.test"
RECORD = (
    "<html><body><table><tr><td>Số hiệu</td><td>TCVN 12605:2019</td></tr>"
    "<tr><td>Tên tiếng Việt</td><td>Mật ong</td></tr></table></body></html>"
)


def off_host_site(requested: list[str]) -> httpx.MockTransport:
    """A catalogue whose listing links to other hosts and redirects to one; every request
    is logged in ``requested``, so a request that left the site would show."""
    listing = (
        "<html><body>"
        "<a href='/tieuchuan/view?sohieu=TCVN+12605%3A2019'>TCVN 12605:2019</a>"
        "<a href='http://127.0.0.1:8396/internal-admin/index'>admin</a>"
        "<a href='https://catalogue.test/https/index'>another scheme</a>"
        "<a href='http://catalogue.test:8080/port/index'>another port</a>"
        "<a href='/redirect-away/index'>away</a>"
        "<a href='/redirect-home/index'>home</a>"
        "<a href='http://[broken/index'>broken</a>"
        "<a href='http://a\x00b/index'>control character</a>"
        "</body></html>"
    )

    def handle(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        path = request.url.path
        if path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nAllow: /\n")
        if path == "/tieuchuan/index":
            return httpx.Response(200, text=listing)
        if path == "/redirect-away/index":
            return httpx.Response(302, headers={"Location": "http://127.0.0.1:8396/after/index"})
        if path == "/redirect-home/index":
            return httpx.Response(301, headers={"Location": "/quychuan/index"})
        if path == "/tieuchuan/view":
            return httpx.Response(200, text=RECORD)
        return httpx.Response(200, text="<html><body>empty listing</body></html>")

    return httpx.MockTransport(handle)


def test_the_crawler_skips_off_host_links_and_refuses_off_host_redirects() -> None:
    requested: list[str] = []
    fetcher = Fetcher(SOURCE, transport=off_host_site(requested), min_interval=0.0)
    with fetcher:
        items = list(CatalogueSource().crawl(fetcher))
    hosts = {httpx.URL(url).netloc for url in requested}
    assert hosts == {b"catalogue.test"}
    assert all(url.startswith(SOURCE + "/") for url in requested)
    assert f"{SOURCE}/quychuan/index" in requested  # a redirect within the site is followed
    records = [i for i in items if isinstance(i, DocumentRecord)]
    assert [r.code for r in records] == ["TCVN 12605:2019"]
    rejects = {(r.location, r.reason) for r in items if isinstance(r, Reject)}
    listing = f"{SOURCE}/tieuchuan/index"
    skipped = "link off the site skipped: "
    assert {
        (listing, skipped + "http://127.0.0.1:8396/internal-admin/index"),
        (listing, skipped + "https://catalogue.test/https/index"),
        (listing, skipped + "http://catalogue.test:8080/port/index"),
        (
            f"{SOURCE}/redirect-away/index",
            f"redirected to http://127.0.0.1:8396/after/index, off {SOURCE}: refused",
        ),
        (listing, "unreadable link skipped: Invalid IPv6 URL"),
    } <= rejects
    assert any(
        reason.startswith("unreadable link skipped: Invalid non-printable") for _, reason in rejects
    )


def test_pagination_stays_on_the_site() -> None:
    requested: list[str] = []
    first = (
        "<html><body><table><tr><th>Số ký hiệu</th></tr></table>"
        "<a rel='next' href='http://127.0.0.1:8396/van-ban?trang=2'>next</a></body></html>"
    )

    def handle(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        return httpx.Response(200, text=first)

    fetcher = Fetcher(SOURCE, transport=httpx.MockTransport(handle), min_interval=0.0)
    with fetcher:
        items = list(paginate(fetcher, ["/van-ban"], lambda html, url: []))
        with pytest.raises(FetchError, match="a crawl stays on its site"):
            fetcher.get("http://127.0.0.1:8396/van-ban")
    assert requested == [f"{SOURCE}/robots.txt", f"{SOURCE}/van-ban"]
    assert [(r.location, r.reason) for r in items] == [
        (f"{SOURCE}/van-ban", "link off the site skipped: http://127.0.0.1:8396/van-ban?trang=2")
    ]


def test_a_redirect_off_the_site_is_refused_by_the_live_client(site: str) -> None:
    """The same against a real loopback server: its redirect to another port is not followed."""
    with fetcher(site) as client, pytest.raises(FetchError, match="refused"):
        client.get("/away")
    assert Site.hits["/away"] == 1
