"""A small hand-built catalog in the test database, and helpers to index and query it."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel

from catalog.codes import parse_code
from catalog.models import (
    ApplicabilityRule,
    Document,
    DocumentRelation,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
)
from catalog.text import fold
from catalog.vocab import (
    CodeScheme,
    LocalityKind,
    ProductKind,
    RelationKind,
    Role,
    Status,
    SubjectKind,
)
from search import indexer
from search.query import SearchService
from search.server import MeiliProcess


def make_document(code: str, title_vi: str, status: Status, **fields: Any) -> Document:
    parsed = parse_code(code)
    return Document(
        code=parsed.canonical(),
        slug=parsed.slug(),
        compact=parsed.compact(),
        family=parsed.family_key(),
        doc_type=parsed.doc_type,
        number=parsed.number,
        part=parsed.part,
        year=parsed.year,
        issuer_code=parsed.issuer,
        title_vi=title_vi,
        status=status,
        **fields,
    )


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


def build_small_catalog(engine: Engine) -> SmallCatalog:
    with Session(engine, expire_on_commit=False) as session:
        docs = {code: make_document(code, title, status) for code, title, status in DOCUMENTS}
        docs["TCVN 1873:2014"].title_en = "Oranges"
        docs["TCVN 12605:2019"].title_en = "Honey"
        session.add_all(docs.values())
        session.flush()
        for new, old in EDITIONS:
            session.add(
                DocumentRelation(
                    source_id=docs[new].id, target_id=docs[old].id, kind=RelationKind.REPLACES
                )
            )
        food = ProductCategory(slug="food", name_vi="Thực phẩm", name_en="Food")
        session.add(food)
        session.flush()
        fruit = ProductCategory(slug="fruit", name_vi="Quả", name_en="Fruit", parent_id=food.id)
        drinks = ProductCategory(slug="drinks", name_vi="Đồ uống", parent_id=food.id)
        session.add_all([fruit, drinks])
        session.flush()
        ham_yen = Locality(slug="ham-yen", name_vi="Hàm Yên", kind=LocalityKind.DISTRICT)
        tq = Locality(slug="tuyen-quang", name_vi="Tuyên Quang", kind=LocalityKind.PROVINCE)
        session.add_all([ham_yen, tq])
        session.flush()
        session.add(
            LocalitySuccession(
                predecessor_id=ham_yen.id, successor_id=tq.id, effective_on=date(2025, 7, 1)
            )
        )
        products = {
            "cam-sanh-ham-yen": Product(
                slug="cam-sanh-ham-yen",
                name_vi="Cam sành Hàm Yên",
                kind=ProductKind.GEOGRAPHICAL_INDICATION,
                category_id=fruit.id,
                locality_id=ham_yen.id,
            ),
            "che-shan-tuyet-na-hang": Product(
                slug="che-shan-tuyet-na-hang",
                name_vi="Chè Shan tuyết Na Hang",
                kind=ProductKind.GEOGRAPHICAL_INDICATION,
                category_id=drinks.id,
            ),
            "thit-lon-den": Product(
                slug="thit-lon-den",
                name_vi="Thịt lợn đen Na Hang",
                kind=ProductKind.SPECIALTY,
                category_id=food.id,
            ),
            "ruou-ngo-na-hang": Product(
                slug="ruou-ngo-na-hang",
                name_vi="Rượu ngô men lá Na Hang",
                kind=ProductKind.SPECIALTY,
                category_id=drinks.id,
            ),
            "mat-ong-huong-rung": Product(
                slug="mat-ong-huong-rung",
                name_vi="Mật ong Hương rừng",
                kind=ProductKind.OCOP,
                ocop_stars=4,
                category_id=food.id,
            ),
        }
        session.add_all(products.values())
        session.flush()
        alias = "Cam sành"
        session.add(
            ProductAlias(
                product_id=products["cam-sanh-ham-yen"].id, alias=alias, alias_folded=fold(alias)
            )
        )
        session.add(
            ProductCode(
                product_id=products["cam-sanh-ham-yen"].id, scheme=CodeScheme.HS, code="080510"
            )
        )
        session.add(
            ApplicabilityRule(
                subject_kind=SubjectKind.HS_PREFIX,
                subject_code="0805",
                subject_key="hs_prefix:0805",
                document_id=docs["TCVN 1873:2014"].id,
                role=Role.PRODUCT_STANDARD,
            )
        )
        session.add(
            ApplicabilityRule(
                subject_kind=SubjectKind.CATEGORY,
                category_id=food.id,
                subject_key="category:food",
                document_id=docs["QCVN 8-2:2011/BYT"].id,
                role=Role.MANDATORY_REGULATION,
            )
        )
        session.commit()
        return SmallCatalog(
            documents={code: doc.id for code, doc in docs.items()},
            products={slug: p.id for slug, p in products.items()},
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
