"""The plan's indicators, measured from the declarations registry and the product registry.

Each series has one point per year of the plan up to the day asked (31 December, or the
day itself for the current year), so the page can draw it against the plan's target:

- ``enterprises_supported``: distinct enterprises holding a declaration or certificate
  marked as supported by the plan, declared from the plan's start to that day (target ≥ 30);
- ``ocop_declared_share``: share of OCOP products (rated by that day) with a declaration
  of conformity or a self-declaration valid that day;
- ``scheme:<scheme>``: distinct enterprises holding a valid declaration or certificate of
  each scheme the plan names (ISO 9001, ISO 22000, HACCP, VietGAP, organic, traceability).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from catalog import clock
from catalog.declarations import is_valid
from catalog.models import Declaration, Product
from catalog.reports.plan import PLAN_2021_2025, Plan, Target
from catalog.reports.tables import Table
from catalog.vocab import DeclarationKind, ProductKind, Scheme

_PRODUCT_DECLARATIONS = (
    DeclarationKind.CONFORMITY_STANDARD,
    DeclarationKind.CONFORMITY_REGULATION,
    DeclarationKind.SELF_DECLARATION,
)


@dataclass(frozen=True)
class Point:
    on: date
    value: float
    numerator: int | None = None  # for shares: how many of
    denominator: int | None = None


@dataclass(frozen=True)
class Series:
    key: str
    label_vi: str
    unit: str
    points: tuple[Point, ...]
    target: Target | None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    measured: Point | None
    met: bool | None  # None when not measured here or not numeric


@dataclass(frozen=True)
class Indicators:
    plan: Plan
    as_of: date
    series: tuple[Series, ...]
    targets: tuple[TargetStatus, ...]


def indicators(session: Session, as_of: date | None = None, plan: Plan = PLAN_2021_2025):
    """Every series on the plan's years up to ``as_of`` and each target's standing."""
    day = as_of or clock.today()
    days = [min(date(year, 12, 31), day) for year in range(plan.starts.year, day.year + 1)]
    declarations = session.exec(select(Declaration)).all()
    ocop = session.exec(
        select(Product).where(
            or_(col(Product.kind) == ProductKind.OCOP, col(Product.ocop_stars).is_not(None))
        )
    ).all()
    by_metric = {t.metric: t for t in plan.targets if t.metric}
    series = [
        Series(
            "enterprises_supported",
            "Doanh nghiệp được hỗ trợ áp dụng tiêu chuẩn, truy xuất nguồn gốc, hệ thống quản lý",
            "doanh nghiệp",
            tuple(_supported(declarations, plan, d) for d in days),
            by_metric.get("enterprises_supported"),
        ),
        Series(
            "ocop_declared_share",
            "Tỷ lệ sản phẩm OCOP đã công bố tiêu chuẩn, hợp quy hoặc tự công bố",
            "%",
            tuple(_ocop_share(declarations, ocop, d) for d in days),
            by_metric.get("ocop_declared_share"),
        ),
        *(
            Series(
                f"scheme:{scheme.value}",
                f"Doanh nghiệp áp dụng {scheme.label_vi}",
                "doanh nghiệp",
                tuple(_with_scheme(declarations, scheme, d) for d in days),
                by_metric.get(f"scheme:{scheme.value}"),
            )
            for scheme in Scheme
        ),
    ]
    measured = {s.key: s.latest for s in series}
    targets = tuple(
        TargetStatus(
            t,
            measured.get(t.metric) if t.metric else None,
            t.met_by(measured[t.metric].value) if t.metric and measured.get(t.metric) else None,
        )
        for t in plan.targets
    )
    return Indicators(plan, day, tuple(series), targets)


def _supported(declarations, plan: Plan, day: date) -> Point:
    firms = {
        d.enterprise_id
        for d in declarations
        if d.program_supported and plan.starts <= d.declared_on <= day
    }
    return Point(day, len(firms))


def _ocop_share(declarations, ocop: list[Product], day: date) -> Point:
    rated = [p for p in ocop if p.ocop_rated_on is None or p.ocop_rated_on <= day]
    declared = {
        d.product_id
        for d in declarations
        if d.product_id is not None and d.kind in _PRODUCT_DECLARATIONS and is_valid(d, day)
    }
    hits = sum(p.id in declared for p in rated)
    share = round(100 * hits / len(rated), 1) if rated else 0.0
    return Point(day, share, hits, len(rated))


def _with_scheme(declarations, scheme: Scheme, day: date) -> Point:
    firms = {d.enterprise_id for d in declarations if d.scheme == scheme and is_valid(d, day)}
    return Point(day, len(firms))


def indicator_tables(report: Indicators) -> list[Table]:
    years = [p.on for p in report.series[0].points] if report.series else []
    return [
        Table(
            "Chỉ số",
            ("Chỉ số", "Đơn vị", *(d.isoformat() for d in years), "Mục tiêu kế hoạch"),
            tuple(
                (
                    s.label_vi,
                    s.unit,
                    *(p.value for p in s.points),
                    f"{s.target.comparator} {s.target.value:g}" if s.target else None,
                )
                for s in report.series
            ),
        ),
        Table(
            "Mục tiêu kế hoạch",
            ("Mục tiêu", "Chỉ tiêu", "Đơn vị", "Đo được", "Đạt", "Ghi chú"),
            tuple(
                (
                    ts.target.wording_vi,
                    f"{ts.target.comparator} {ts.target.value:g}" if ts.target.value else None,
                    ts.target.unit,
                    ts.measured.value if ts.measured else None,
                    {True: "đạt", False: "chưa đạt", None: ""}[ts.met],
                    ts.target.note,
                )
                for ts in report.targets
            ),
        ),
    ]
