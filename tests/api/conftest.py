"""An API over a small hand-built catalog, indexed in the real Meilisearch."""

from __future__ import annotations

from dataclasses import replace

import pytest
from factories import ApiCatalog, build_api_catalog
from litestar.testing import TestClient

from api.app import create_app
from api.settings import ApiSettings
from search import indexer


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
