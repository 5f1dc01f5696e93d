"""The server under concurrent visitors and beside a writer holding locks.

The first test runs the real server (uvicorn in its own process) and sends 64 concurrent
requests over the database-backed endpoints with nothing held, so every one of them reads
the store: before the session cleanup left the handlers' thread pool, 24 were enough to
deadlock the pool until its 30 s timeout.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import replace

import httpx
import pytest
from conftest import uvicorn_server
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from api.app import create_app
from api.settings import ApiSettings

CLIENTS = 64
LATENCY_LIMIT = 2.0  # seconds, for any one request


@pytest.fixture
def server(engine: Engine, catalog) -> str:
    """uvicorn in a subprocess over the test catalog, holding no responses or answers."""
    env = {
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "TIEUCHUAN_RATE_LIMIT": "0",
        "TIEUCHUAN_RESPONSES_HELD_MB": "0",
        "TIEUCHUAN_ANSWERS_HELD_MB": "0",
        "MEILI_URL": "",
    }
    with uvicorn_server(env) as base:
        yield base


def test_64_concurrent_requests_over_the_store_all_answer_quickly(server, catalog):
    paths = [
        "/api/v1/categories",
        "/api/v1/issuers",
        "/api/v1/products?limit=50",
        f"/api/v1/products/{catalog.orange_id}",
        "/api/v1/documents/TCVN%201873:2014",
        "/san-pham/cam-sanh-ham-yen",
        "/api/v1/reports/gaps",
        "/bao-cao/khoang-trong",
    ]

    async def one(client: httpx.AsyncClient, path: str) -> tuple[str, int, float]:
        started = time.perf_counter()
        response = await client.get(path)
        return path, response.status_code, time.perf_counter() - started

    async def all_at_once() -> list[tuple[str, int, float]]:
        limits = httpx.Limits(max_connections=CLIENTS)
        async with httpx.AsyncClient(base_url=server, timeout=60, limits=limits) as client:
            for path in paths:  # a server that has served each page once (templates compiled)
                (await client.get(path)).raise_for_status()
            return await asyncio.gather(
                *(one(client, paths[i % len(paths)]) for i in range(CLIENTS))
            )

    results = asyncio.run(all_at_once())
    latencies = sorted(seconds for _, _, seconds in results)
    print(
        f"{CLIENTS} concurrent requests: p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )
    failed = [(path, status) for path, status, _ in results if not 200 <= status < 300]
    assert not failed
    slow = [(path, round(seconds, 2)) for path, _, seconds in results if seconds > LATENCY_LIMIT]
    assert not slow


class _Writer:
    """Another process's open write transaction on the orange's row (an ingest run, say)."""

    def __init__(self, engine: Engine, product_id: int) -> None:
        self.engine, self.product_id = engine, product_id

    def __enter__(self) -> _Writer:
        if self.engine.dialect.name == "sqlite":
            self.raw = sqlite3.connect(make_url(self.engine.url).database, isolation_level=None)
            self.raw.execute("BEGIN IMMEDIATE")
            self.raw.execute("UPDATE product SET name_en = 'held' WHERE id = ?", (self.product_id,))
        else:
            self.connection = self.engine.connect()
            self.connection.execute(
                text("UPDATE product SET name_en = 'held' WHERE id = :id"), {"id": self.product_id}
            )
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.engine.dialect.name == "sqlite":
            self.raw.rollback()
            self.raw.close()
        else:
            self.connection.rollback()
            self.connection.close()


def test_a_write_blocked_by_another_writer_answers_503_soon_and_changes_nothing(engine, catalog):
    settings = replace(
        ApiSettings(
            database_url=engine.url.render_as_string(hide_password=False),
            rate_limit_per_minute=None,
        ),
        lock_timeout=1.0,
    )
    editor = {"X-API-Key": catalog.keys["editor"]}
    change = {"name_en": "King orange of Ham Yen"}
    path = f"/api/v1/products/{catalog.orange_id}"
    with TestClient(create_app(settings)) as client:
        with _Writer(engine, catalog.orange_id):
            started = time.perf_counter()
            blocked = client.patch(path, json=change, headers=editor)
            waited = time.perf_counter() - started
        print(f"blocked write answered {blocked.status_code} after {waited:.2f} s")
        assert blocked.status_code == 503
        assert blocked.headers["content-type"].startswith("application/problem+json")
        assert blocked.headers["retry-after"] == "5"
        assert blocked.json()["title"] == "Catalog busy"
        assert waited < settings.lock_timeout + 2
        assert client.get(path).json()["name_en"] != change["name_en"]
        after = client.patch(path, json=change, headers=editor)
        assert after.status_code == 200, after.text
        assert after.json()["name_en"] == change["name_en"]
