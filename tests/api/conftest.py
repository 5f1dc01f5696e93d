"""An API over a small hand-built catalog, indexed in the real Meilisearch."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import httpx
import pytest
from engine.builder import CatalogBuilder
from litestar.testing import TestClient
from sqlmodel import Session

from api.app import create_app
from api.auth import issue_key
from api.settings import ApiSettings
from catalog.vocab import ApiRole, LocalityKind, ProductKind, Role, Status
from search import indexer

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Catalog:
    orange_id: int
    pomelo_id: int
    tea_id: int
    keys: dict[str, str]


def build_catalog(session: Session) -> Catalog:
    """Three products, a category tree, an edition chain, a citation and a local regulation."""
    cat = CatalogBuilder(session)
    tq = cat.locality("Tuyên Quang")
    ham_yen = cat.locality("Hàm Yên", LocalityKind.DISTRICT, tq)
    na_hang = cat.locality("Na Hang", LocalityKind.DISTRICT, tq)
    ubnd = cat.issuer("UBND-TQ", "UBND tỉnh Tuyên Quang", locality=tq)
    food = cat.category("Thực phẩm")
    fruit = cat.category("Trái cây", food)
    tea_cat = cat.category("Chè", food)
    orange = cat.product(
        "Cam sành Hàm Yên",
        category=fruit,
        locality=ham_yen,
        kind=ProductKind.GEOGRAPHICAL_INDICATION,
        hs=("080510",),
        aliases=("Cam Hàm Yên",),
    )
    pomelo = cat.product("Bưởi Soi Hà", category=fruit, locality=tq, hs=("080540",))
    tea = cat.product(
        "Chè Shan tuyết Na Hang",
        category=tea_cat,
        locality=na_hang,
        hs=("090210",),
        ocop_stars=4,
        kind=ProductKind.OCOP,
    )
    qcvn = cat.doc("QCVN 8-2:2011/BYT", effective_from=date(2012, 1, 1), title="Kim loại nặng")
    method = cat.doc("TCVN 7602:2007", title="Xác định chì")
    old_orange = cat.doc("TCVN 1873:2007", title="Cam quả tươi")
    new_orange = cat.doc("TCVN 1873:2014", effective_from=date(2014, 6, 1), title="Cam quả tươi")
    haccp_old = cat.doc("TCVN 5603:2008", title="Nguyên tắc chung về vệ sinh thực phẩm")
    haccp = cat.doc("TCVN 5603:2023", effective_from=date(2023, 6, 1), title="HACCP")
    qcdp = cat.doc("QCĐP 01:2020/TQ", issuer=ubnd, title="Chè Shan tuyết")
    cat.replaces(new_orange, old_orange, on=date(2014, 6, 1))
    cat.replaces(haccp, haccp_old, on=date(2023, 6, 1))
    cat.cites_mandatory(qcvn, method)
    cat.rule(food, qcvn, Role.MANDATORY_REGULATION)
    cat.rule("hs:0805", old_orange, Role.PRODUCT_STANDARD, condition="quả tươi")
    cat.rule(food, haccp, Role.MANAGEMENT_SYSTEM)
    cat.rule(tea_cat, qcdp, Role.MANDATORY_REGULATION)
    cat.doc("TCVN 9999:2030", status=Status.NOT_YET_IN_FORCE)
    session.commit()
    keys = {role.value: issue_key(session, f"test {role}", role).key for role in ApiRole}
    return Catalog(orange.id, pomelo.id, tea.id, keys)


@pytest.fixture
def catalog(session) -> Catalog:
    return build_catalog(session)


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
    catalog = build_catalog(session)
    indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "TIEUCHUAN_RATE_LIMIT": "0",
        "MEILI_URL": meili_server.url,
        "MEILI_SEARCH_KEY": meili_server.master_key,
        "MEILI_INDEX_PREFIX": index_prefix,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
         "--port", str(port), "--log-level", "warning", "--no-access-log"],
        cwd=REPO, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield base, catalog
    finally:
        process.terminate()
        process.wait(10)
