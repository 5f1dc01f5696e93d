"""The API and the web search page while Meilisearch hangs (paused with SIGSTOP): many callers
at once are all told 503 with Retry-After, quickly, without the server's address, and search
comes back by itself once Meilisearch does. The app runs under uvicorn on a loopback port."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator

import httpx
import pytest
from web.serving import Server

from api.app import create_app
from api.settings import ApiSettings
from search import indexer
from search.server import MeiliProcess

CALLERS = 60
PREFIX = "outage_"


@pytest.fixture
def served(engine, catalog, pausable_meili: MeiliProcess) -> Iterator[str]:
    """The app on a loopback port, its catalog indexed in a Meilisearch of this module's own."""
    url, master = pausable_meili.url, pausable_meili.master_key
    indexer.rebuild(engine, url, master, prefix=PREFIX)
    settings = ApiSettings(
        database_url=str(engine.url),
        meili_url=url,
        meili_search_key=indexer.ensure_search_key(url, master, prefix=PREFIX),
        index_prefix=PREFIX,
        rate_limit_per_minute=None,
    )
    with Server(create_app(settings, engine=engine)) as base:
        yield base


async def _burst(base: str, path: str, params: list[dict]) -> list[tuple[float, httpx.Response]]:
    """Send every request at once; (seconds, response) for each."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:

        async def one(query: dict) -> tuple[float, httpx.Response]:
            started = time.monotonic()
            response = await client.get(path, params=query)
            return time.monotonic() - started, response

        return await asyncio.gather(*(one(q) for q in params))


async def _until_ok(base: str, path: str, params: dict, within: float) -> float:
    """Seconds until ``path`` answers 200 (polled every 0.1 s); fails after ``within``."""
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        while True:
            response = await client.get(path, params=params)
            if response.status_code == 200:
                return time.monotonic() - started
            assert response.status_code == 503, response.text
            assert time.monotonic() - started < within, f"{path} still 503 after {within} s"
            await asyncio.sleep(0.1)


def _summary(path: str, results: list[tuple[float, httpx.Response]]) -> str:
    times = [t for t, _ in results]
    return (
        f"{path}: {len(results)} concurrent while paused: "
        f"p50 {statistics.median(times):.2f} s, max {max(times):.2f} s"
    )


def _no_address(text: str, meili: MeiliProcess) -> None:
    port = meili.url.rsplit(":", 1)[1]
    assert "127.0.0.1" not in text and f":{port}" not in text, text


@pytest.mark.meili
def test_api_search_fails_fast_while_meilisearch_hangs_and_recovers(
    served: str, pausable_meili: MeiliProcess, paused, engine
) -> None:
    path = "/api/v1/search"
    assert httpx.get(f"{served}{path}", params={"q": "cam"}).status_code == 200
    time.sleep(0.6)  # the index version has to be checked again
    with paused(pausable_meili):
        results = asyncio.run(_burst(served, path, [{"q": f"cam {i}"} for i in range(CALLERS)]))
        print(_summary(path, results))
        for _, response in results:
            assert response.status_code == 503, response.text
            assert 1 <= int(response.headers["retry-after"]) <= 3
            problem = response.json()
            assert problem["title"] == "Search unavailable"
            assert problem["detail"].startswith("search is unavailable; try again in")
            _no_address(response.text, pausable_meili)
        # the first callers wait out one shared check (0.8 s), not one check each
        assert max(t for t, _ in results) < 3.0, sorted(t for t, _ in results)

        ready = httpx.get(f"{served}/ready", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["search"] == "unavailable" and ready.json()["database"] == "ok"
        _no_address(ready.text, pausable_meili)
        # what does not need Meilisearch keeps answering
        assert httpx.get(f"{served}/api/v1/categories", timeout=10).status_code == 200
        time.sleep(1.0)  # Meilisearch stays paused a while longer
    recovered = asyncio.run(_until_ok(served, path, {"q": "cam"}, within=5.0))
    print(f"{path}: 200 again {recovered:.2f} s after SIGCONT")
    assert httpx.get(f"{served}/ready").json()["search"] == "ok"


@pytest.mark.meili
def test_web_search_page_fails_fast_while_meilisearch_hangs_and_recovers(
    served: str, pausable_meili: MeiliProcess, paused
) -> None:
    path = "/tim-kiem"
    assert httpx.get(f"{served}{path}", params={"q": "cam"}).status_code == 200
    time.sleep(0.6)
    with paused(pausable_meili):
        results = asyncio.run(_burst(served, path, [{"q": f"cam {i}"} for i in range(CALLERS)]))
        print(_summary(path, results))
        for _, response in results:
            assert response.status_code == 503
            assert response.headers["content-type"].startswith("text/html")
            assert 1 <= int(response.headers["retry-after"]) <= 3
            _no_address(response.text, pausable_meili)
        # the first callers wait out one shared check (0.8 s), not one check each
        assert max(t for t, _ in results) < 3.0, sorted(t for t, _ in results)
    recovered = asyncio.run(_until_ok(served, path, {"q": "cam"}, within=5.0))
    print(f"{path}: 200 again {recovered:.2f} s after SIGCONT")
