"""The real app (``api.app.create_app``) served by uvicorn on a loopback port, on a database
holding the small catalog of :mod:`tests.web.dataset`, with the real Meilisearch indexed."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from api.app import create_app
from api.settings import ApiSettings
from catalog.store import make_engine
from search import indexer
from search.server import MeiliProcess

from . import dataset
from .browsing import chromium
from .serving import Server, Site


def _empty(engine) -> None:
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture(scope="module")
def site(database_url: str, meili_server: MeiliProcess) -> Iterator[Site]:
    """The app with the web pages, its catalog loaded and indexed; emptied afterwards."""
    engine = make_engine(database_url)
    prefix = f"web{int(time.time() * 1000) % 10**8}_"
    try:
        with Session(engine) as session:
            dataset.load(session)
        indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=prefix)
        search_key = indexer.ensure_search_key(
            meili_server.url, meili_server.master_key, prefix=prefix
        )
        settings = ApiSettings(
            database_url=database_url,
            meili_url=meili_server.url,
            meili_search_key=search_key,
            index_prefix=prefix,
            rate_limit_per_minute=None,
        )
        with Server(create_app(settings, engine=engine)) as url:
            yield Site(url=url, meili_url=meili_server.url, prefix=prefix)
    finally:
        _empty(engine)
        engine.dispose()


@pytest.fixture
def http(site: Site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Headless Chromium, one per test module."""
    with chromium() as launched:
        yield launched
