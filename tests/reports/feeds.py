"""A small catalog with a known history of document changes, for the feed and webhook tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from factories import CatalogBuilder
from sqlmodel import Session

from api.webhooks.addresses import system_resolve
from catalog.models import Document, Product
from catalog.upsert import ChangeContext, upsert
from catalog.vocab import Role, Status

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
T2 = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
T3 = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)


@dataclass
class History:
    orange: Product
    tea: Product
    haccp_old: Document
    haccp_new: Document
    heavy_metals: Document
    withdrawn: Document


def build_catalog(session: Session) -> tuple[CatalogBuilder, History]:
    """Food > citrus (orange), food > tea (green tea); three rules; no history yet."""
    cat = CatalogBuilder(session)
    food = cat.category("Thực phẩm")
    citrus = cat.category("Cây có múi", food)
    tea_cat = cat.category("Chè", food)
    orange = cat.product("Cam sành Hàm Yên", category=citrus)
    tea = cat.product("Chè xanh Ngọc Thuý", category=tea_cat)
    heavy = cat.doc("QCVN 8-2:2011/BYT", title="Giới hạn ô nhiễm kim loại nặng")
    haccp_old = cat.doc("TCVN 5603:2008", title="Quy phạm thực hành về nguyên tắc chung")
    gone = cat.doc("TCVN 9999:2000", title="Cam quả tươi (cũ)")
    for doc in (heavy, haccp_old, gone):
        doc.created_at = LONG_AGO
    cat.rule(food, heavy, Role.MANDATORY_REGULATION)
    cat.rule(tea_cat, haccp_old, Role.MANAGEMENT_SYSTEM)
    cat.rule(citrus, gone, Role.PRODUCT_STANDARD)
    session.commit()
    return cat, History(orange, tea, haccp_old, None, heavy, gone)  # type: ignore[arg-type]


def record_history(session: Session, cat: CatalogBuilder, history: History) -> None:
    """T1: TCVN 5603:2023 added, replacing 5603:2008 (superseded); T2: QCVN 8-2's title
    corrected by an API key; T3: TCVN 9999:2000 withdrawn by ingest run-less change."""
    new = cat.doc("TCVN 5603:2023", title="Nguyên tắc chung về vệ sinh thực phẩm")
    new.created_at = T1
    cat.replaces(new, history.haccp_old)
    history.haccp_new = new
    upsert(
        session,
        Document,
        {"code": "TCVN 5603:2008"},
        {"status": Status.SUPERSEDED},
        context=ChangeContext(at=T1),
        record_key="TCVN 5603:2008",
    )
    upsert(
        session,
        Document,
        {"code": "QCVN 8-2:2011/BYT"},
        {"title_vi": "Giới hạn ô nhiễm kim loại nặng trong thực phẩm"},
        context=ChangeContext(at=T2, actor="so-khcn"),
        record_key="QCVN 8-2:2011/BYT",
    )
    upsert(
        session,
        Document,
        {"code": "TCVN 9999:2000"},
        {"status": Status.WITHDRAWN},
        context=ChangeContext(at=T3),
        record_key="TCVN 9999:2000",
    )
    session.commit()


def fake_dns(names: dict[str, list[str]]):
    """A resolver for :class:`~api.webhooks.addresses.AddressPolicy` answering from ``names``
    (no DNS is reachable in tests); IP literals resolve to themselves."""

    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return names[host]
        return system_resolve(host, port)  # literals and localhost need no DNS server

    return resolve
