"""A small hand-built catalog in the test database, and helpers to index and query it."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from factories import CatalogBuilder
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from catalog.models import saved_id
from catalog.vocab import LocalityKind, ProductKind, Role, Status
from search import indexer
from search.query import SearchService
from search.server import MeiliProcess

DOCUMENTS = [
    ("TCVN 5603:2023", "Nguyên tắc chung về vệ sinh thực phẩm", Status.IN_FORCE),
    ("TCVN 5603:2008", "Quy phạm thực hành về những nguyên tắc chung", Status.SUPERSEDED),
    ("TCVN 5613:2007", "Chè - Xác định sự hao hụt khối lượng ở 103 oC", Status.IN_FORCE),
    ("TCVN 1873:2014", "Cam quả tươi", Status.IN_FORCE),
    ("TCVN 1873:2007", "Cam tươi", Status.SUPERSEDED),
    ("TCVN 5262:1990", "Sản phẩm ong - Phương pháp thử cảm quan", Status.IN_FORCE),
    ("TCVN 9740:2013", "Chè xanh - Định nghĩa và các yêu cầu cơ bản", Status.IN_FORCE),
    ("TCVN 8000:2009", "Chế biến thực phẩm - Yêu cầu chung đối với cơ sở", Status.IN_FORCE),
    ("QCVN 8-2:2011/BYT", "Giới hạn ô nhiễm kim loại nặng trong thực phẩm", Status.IN_FORCE),
    ("QCVN 8-3:2012/BYT", "Ô nhiễm vi sinh vật trong thực phẩm", Status.IN_FORCE),
    ("QCVN 16:2023/BXD", "Sản phẩm, hàng hóa vật liệu xây dựng", Status.IN_FORCE),
    ("QCVN 16:2019/BXD", "Sản phẩm, hàng hóa vật liệu xây dựng", Status.SUPERSEDED),
    ("QCVN 16:2017/BXD", "Sản phẩm, hàng hóa vật liệu xây dựng", Status.SUPERSEDED),
    ("TCVN 4377:1993", "Thịt lợn lạnh đông", Status.IN_FORCE),
    ("TCVN 7043:2013", "Rượu trắng", Status.IN_FORCE),
    ("TCVN 12605:2019", "Mật ong", Status.IN_FORCE),
    ("TCVN 7087:2013", "Ghi nhãn thực phẩm bao gói sẵn", Status.IN_FORCE),
    ("TCVN 9994:2013", "Quy phạm thực hành vệ sinh đối với rau quả tươi", Status.IN_FORCE),
    ("TCVN ISO 22000:2018", "Hệ thống quản lý an toàn thực phẩm", Status.IN_FORCE),
]
EDITIONS = [
    ("TCVN 5603:2023", "TCVN 5603:2008"),
    ("TCVN 1873:2014", "TCVN 1873:2007"),
    ("QCVN 16:2023/BXD", "QCVN 16:2019/BXD"),
    ("QCVN 16:2019/BXD", "QCVN 16:2017/BXD"),
]


@dataclass
class SmallCatalog:
    documents: dict[str, int]  # canonical code → id
    products: dict[str, int]  # slug → id


TITLES_EN = {"TCVN 1873:2014": "Oranges", "TCVN 12605:2019": "Honey"}


def build_small_catalog(engine: Engine) -> SmallCatalog:
    with Session(engine, expire_on_commit=False) as session:
        cat = CatalogBuilder(session)
        docs = {
            code: cat.doc(code, title=title, status=status, title_en=TITLES_EN.get(code))
            for code, title, status in DOCUMENTS
        }
        for new, old in EDITIONS:
            cat.replaces(docs[new], docs[old])
        food = cat.category("Thực phẩm", name_en="Food", slug="food")
        fruit = cat.category("Quả", food, name_en="Fruit", slug="fruit")
        drinks = cat.category("Đồ uống", food, slug="drinks")
        ham_yen = cat.locality("Hàm Yên", LocalityKind.DISTRICT, slug="ham-yen")
        tq = cat.locality("Tuyên Quang", slug="tuyen-quang")
        cat.locality_succession(ham_yen, tq, date(2025, 7, 1))
        products = [
            cat.product(
                "Cam sành Hàm Yên",
                kind=ProductKind.GEOGRAPHICAL_INDICATION,
                category=fruit,
                locality=ham_yen,
                hs=("080510",),
                aliases=("Cam sành",),
            ),
            cat.product(
                "Chè Shan tuyết Na Hang",
                kind=ProductKind.GEOGRAPHICAL_INDICATION,
                category=drinks,
            ),
            cat.product("Thịt lợn đen Na Hang", slug="thit-lon-den", category=food),
            cat.product("Rượu ngô men lá Na Hang", slug="ruou-ngo-na-hang", category=drinks),
            cat.product("Mật ong Hương rừng", kind=ProductKind.OCOP, ocop_stars=4, category=food),
        ]
        cat.rule("hs:0805", docs["TCVN 1873:2014"], Role.PRODUCT_STANDARD)
        cat.rule(food, docs["QCVN 8-2:2011/BYT"], Role.MANDATORY_REGULATION)
        session.commit()
        return SmallCatalog(
            documents={code: saved_id(doc) for code, doc in docs.items()},
            products={p.slug: saved_id(p) for p in products},
        )


@pytest.fixture
def small_catalog(engine: Engine) -> SmallCatalog:
    return build_small_catalog(engine)


@pytest.fixture
def indexed(
    engine: Engine, small_catalog: SmallCatalog, meili_server: MeiliProcess, index_prefix: str
) -> SmallCatalog:
    """The small catalog, indexed under this test's prefix."""
    indexer.rebuild(engine, meili_server.url, meili_server.master_key, prefix=index_prefix)
    return small_catalog


@pytest.fixture(scope="module")
def shared_prefix() -> str:
    return f"m{secrets.token_hex(4)}_"


@pytest.fixture(scope="module")
def shared_index(
    _session_engine: Engine, meili_server: MeiliProcess, shared_prefix: str
) -> SmallCatalog:
    """The small catalog indexed once for a whole module of read-only query tests.

    Its rows are deleted right after indexing, so tests using ``engine`` start empty.
    """
    try:
        catalog = build_small_catalog(_session_engine)
        indexer.rebuild(
            _session_engine, meili_server.url, meili_server.master_key, prefix=shared_prefix
        )
    finally:
        with _session_engine.begin() as conn:
            for table in reversed(SQLModel.metadata.sorted_tables):
                conn.execute(table.delete())
    return catalog


@pytest.fixture
def run_search(meili_server: MeiliProcess, index_prefix: str) -> Callable[..., Any]:
    """Run ``await fn(service)`` with a SearchService on this test's search-only key."""
    return _runner(meili_server, index_prefix)


@pytest.fixture
def run_shared_search(meili_server: MeiliProcess, shared_prefix: str) -> Callable[..., Any]:
    """Like ``run_search``, on the module's ``shared_index``."""
    return _runner(meili_server, shared_prefix)


def _runner(meili_server: MeiliProcess, prefix: str) -> Callable[..., Any]:
    key = indexer.ensure_search_key(meili_server.url, meili_server.master_key, prefix=prefix)

    def run(fn: Callable[[SearchService], Any], **options: Any) -> Any:
        async def main() -> Any:
            async with SearchService(meili_server.url, key, prefix, **options) as service:
                return await fn(service)

        return asyncio.run(main())

    return run
