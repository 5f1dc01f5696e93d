"""An API over a small hand-built catalog, indexed in the real Meilisearch."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from factories import ApiCatalog, build_api_catalog
from litestar.testing import TestClient

from api.app import create_app
from api.settings import ApiSettings
from search import indexer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def catalog(session) -> ApiCatalog:
    return build_api_catalog(session)


@pytest.fixture
def search_settings(meili_server, index_prefix, engine, catalog) -> ApiSettings:
    """Settings pointing at the real Meilisearch (indexes named by a fresh prefix, not built)."""
    return ApiSettings(
        database_url=str(engine.url),
        meili_url=meili_server.url,
        meili_search_key=meili_server.master_key,
        index_prefix=index_prefix,
        rate_limit_per_minute=None,
        cors_origins=("https://tuyenquang.example",),
    )


@pytest.fixture
def client(search_settings, engine):
    with TestClient(create_app(search_settings, engine=engine)) as client:
        yield client


@pytest.fixture
def search_client(meili_server, search_settings, engine):
    """A client whose catalog is indexed in Meilisearch, searched with a search-only key."""
    url, master, prefix = meili_server.url, meili_server.master_key, search_settings.index_prefix
    indexer.rebuild(engine, url, master, prefix=prefix)
    key = indexer.ensure_search_key(url, master, prefix=prefix)
    settings = replace(search_settings, meili_search_key=key)
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(engine, session, meili_server, index_prefix):
    """uvicorn in a subprocess over an indexed test catalog; the catalog's keys."""
    catalog = build_api_catalog(session)
    indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
    env = {
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "TIEUCHUAN_RATE_LIMIT": "0",
        "MEILI_URL": meili_server.url,
        "MEILI_SEARCH_KEY": meili_server.master_key,
        "MEILI_INDEX_PREFIX": index_prefix,
    }
    with uvicorn_server(env) as base:
        yield base, catalog


@contextmanager
def uvicorn_server(env: dict[str, str], start_within: float = 60) -> Iterator[str]:
    """The API in a uvicorn subprocess with ``env`` over this process's; its base URL once
    it answers /health (stopped on the way out)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        cwd=REPO, env=os.environ | env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_within
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(10)
