"""The web catalog (:mod:`tests.web.dataset`) with what the report pages show added, so every
report has known answers:

- gaps (on any day after 2023-11-01): Cam sành and Chè Shan tuyết have no test method,
  Mật ong Hương rừng (test method TCVN 5263:1990 on honey) has no product standard; every
  product has QCVN 8-2 in force. Stale citations: the citrus rule names TCVN 1873:2007 (in
  force: 2014), the farm rule names TCVN 5603:2008 (in force: 2023). Overlap: two green tea
  standards (TCVN 9740:2013, TCVN 1455:1993) on the tea category;
- a saved draft QCĐP 01:2026/TQ on tea (and HS 1701, matching nothing) citing TCVN 9740:2013
  (in force), TCVN 5603:2008 (superseded) and TCVN 1457:1983 (withdrawn);
- changes, relative to the time of loading: TCVN 1873:2014's title corrected 60 days ago
  (ingest), TCVN 1457:1983 withdrawn 10 days ago, TCVN 7087:2013's title corrected 5 days
  ago by an API key, the draft added 2 days ago; everything else created long ago;
- a watch list on the tea category;
- four declarations (three enterprises), and four support records (three enterprises, one
  supported twice) giving the plan's enterprises supported by year.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from factories import CatalogBuilder
from sqlmodel import Session, select

from api.app import create_app
from api.settings import ApiSettings
from catalog.models import Document, Product, ProductCategory
from catalog.plan.records import SupportInput, save_support
from catalog.plan.samples import load_samples
from catalog.plan.vocab import FundingSource, SupportKind
from catalog.reports.watch import create_watch_list
from catalog.store import make_engine
from catalog.upsert import ChangeContext, upsert
from catalog.vocab import DeclarationKind, RelationKind, Role, Scheme, Status

from . import dataset
from .conftest import _empty as empty
from .serving import Server

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
DRAFT = "QCĐP 01:2026/TQ"


@dataclass(frozen=True)
class Loaded:
    now: datetime
    watch_token: str


def load(session: Session) -> Loaded:
    dataset.load(session)
    now = datetime.now(UTC).replace(microsecond=0)
    cat = CatalogBuilder(session)
    tea = _category(session, "che")
    honey = _category(session, "mat-ong")
    cat.rule(
        tea,
        cat.doc("TCVN 9740:2013", title="Chè xanh - Định nghĩa và các yêu cầu cơ bản"),
        Role.PRODUCT_STANDARD,
    )
    cat.rule(tea, cat.doc("TCVN 1455:1993", title="Chè xanh"), Role.PRODUCT_STANDARD)
    cat.rule(
        honey,
        cat.doc("TCVN 5263:1990", title="Sản phẩm ong - Phương pháp xác định hàm lượng nước"),
        Role.TEST_METHOD,
    )
    packing = cat.doc(
        "TCVN 1457:1983", title="Chè đen, chè xanh - Bao gói, ghi nhãn, vận chuyển và bảo quản"
    )
    draft = cat.doc(
        DRAFT, status=Status.DRAFT, title="Quy chuẩn kỹ thuật địa phương về chè Shan tuyết"
    )
    cat.rule(tea, draft, Role.MANDATORY_REGULATION)
    cat.rule("hs:1701", draft, Role.MANDATORY_REGULATION)
    for code in ("TCVN 9740:2013", "TCVN 5603:2008"):
        cited = session.exec(select(Document).where(Document.code == code)).one()
        cat.relate(draft, RelationKind.CITES, cited)
    cat.relate(draft, RelationKind.CITES, packing)
    for doc in session.exec(select(Document)).all():
        doc.created_at = LONG_AGO
    draft.created_at = now - timedelta(days=2)
    session.commit()

    def change(code: str, values: dict, days: int, actor: str | None = None) -> None:
        upsert(
            session,
            Document,
            {"code": code},
            values,
            context=ChangeContext(at=now - timedelta(days=days), actor=actor),
            record_key=code,
        )

    change("TCVN 1873:2014", {"title_vi": "Cam quả tươi (sửa tên)"}, 60)
    change("TCVN 1457:1983", {"status": Status.WITHDRAWN}, 10)
    change("TCVN 7087:2013", {"title_vi": "Ghi nhãn thực phẩm bao gói sẵn (sửa)"}, 5, "so-khcn")
    watch = create_watch_list(
        session, "Chè của HTX Na Hang", owner="HTX chè Na Hang", categories=["che"]
    )

    products = {p.slug: p for p in session.exec(select(Product)).all()}
    orange_coop = cat.enterprise("HTX Cam sành Hàm Yên", "5000123456")
    tea_company = cat.enterprise("Công ty CP Chè Na Hang", "5000654321")
    honey_coop = cat.enterprise("HTX Mật ong Hương rừng")
    cat.declaration(
        orange_coop,
        DeclarationKind.SELF_DECLARATION,
        date(2022, 3, 15),
        product=products["cam-sanh-ham-yen"],
        document="TCVN 1873:2014",
        supported=True,
        number="01/2022/HTXCS",
    )
    cat.declaration(
        tea_company,
        DeclarationKind.CERTIFICATION,
        date(2023, 5, 10),
        document="TCVN 11892-1:2017",
        valid_until=date(2026, 5, 9),
        supported=True,
        number="VG-2023-118",
    )
    cat.declaration(
        honey_coop,
        DeclarationKind.SELF_DECLARATION,
        date(2024, 9, 1),
        product=products["mat-ong-huong-rung"],
        document="TCVN 12605:2019",
        supported=True,
        number="03/2024/MOHR",
    )
    cat.declaration(
        honey_coop,
        DeclarationKind.CERTIFICATION,
        date(2025, 2, 1),
        document="TCVN ISO 22000:2018",
        scheme=Scheme.ISO_22000,
        valid_until=date(2028, 1, 31),
        number="ISO22-2025-07",
    )
    context = ChangeContext(actor="test")
    for firm, kind, on, what in (
        (orange_coop, SupportKind.STANDARDS, date(2022, 3, 1), "Xây dựng tiêu chuẩn cơ sở"),
        (tea_company, SupportKind.MANAGEMENT_SYSTEM, date(2023, 4, 1), "Áp dụng VietGAP"),
        (tea_company, SupportKind.TRACEABILITY, date(2023, 9, 1), "Tem truy xuất nguồn gốc"),
        (honey_coop, SupportKind.STANDARDS, date(2024, 8, 1), "Tự công bố sản phẩm"),
    ):
        item = SupportInput(firm.name, kind, on, FundingSource.SCIENCE_BUDGET, what, firm.tax_code)
        save_support(session, item, context=context)
    session.commit()
    return Loaded(now=now, watch_token=watch.token)


def _category(session: Session, slug: str) -> ProductCategory:
    return session.exec(select(ProductCategory).where(ProductCategory.slug == slug)).one()


@dataclass(frozen=True)
class ReportSite:
    url: str
    loaded: Loaded


@contextmanager
def serve(database_url: str, *, samples: bool = False) -> Iterator[ReportSite]:
    """The app (without search: the report pages do not need it) on this catalog, with the
    plan's demo samples when asked; the tables are emptied afterwards."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            loaded = load(session)
            if samples:
                load_samples(session)
                session.commit()
        settings = ApiSettings(database_url=database_url, rate_limit_per_minute=None)
        with Server(create_app(settings, engine=engine)) as url:
            yield ReportSite(url=url, loaded=loaded)
    finally:
        empty(engine)
        engine.dispose()
