"""The plan's indicators: its six numeric targets measured from the plan's records
(:mod:`catalog.plan.measure`), and what the declarations registry shows beside them.

Each series has one point per year of the plan up to the day asked (31 December, or the
day itself for the current year), counted from the plan's start, so the page can draw it
against the plan's target. The targets' standing is measured for a period (from the plan's
start, or any day, to the day asked), with the records behind each figure. Beside them:

- ``ocop_declared_share``: share of OCOP products (rated by that day) with a declaration
  of conformity or a self-declaration valid that day (no target of its own);
- ``scheme:<scheme>``: distinct enterprises holding a valid declaration or certificate of
  each scheme the plan names (ISO 9001, ISO 22000, HACCP, VietGAP, organic, traceability).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from catalog import clock
from catalog.declarations import is_valid
from catalog.models import Declaration, Product
from catalog.plan import measure
from catalog.plan.measure import Figure
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
    met: bool | None  # None when not measured or not numeric
    figure: Figure | None = None  # how it was measured (records: see the drill-down)


@dataclass(frozen=True)
class Milestone:
    title: str
    due_on: date | None
    done_on: date | None
    done: bool
    evidence: str | None
    sample: bool


@dataclass(frozen=True)
class Indicators:
    plan: Plan
    start: date
    as_of: date
    series: tuple[Series, ...]
    targets: tuple[TargetStatus, ...]
    milestones: tuple[Milestone, ...]
    includes_samples: bool  # some figure counts the demo's sample records


_SERIES_LABELS = {
    "training": "Lượt người được đào tạo, tập huấn về năng suất, chất lượng",
    "experts": "Người được đào tạo chuyên gia năng suất, chất lượng",
    "enterprises_supported": "Doanh nghiệp được hỗ trợ áp dụng tiêu chuẩn, quy chuẩn, truy "
    "xuất nguồn gốc, hệ thống quản lý, công cụ cải tiến",
    "informed_share": "Tỷ lệ tổ chức, cá nhân sản xuất nông lâm thủy sản, thực phẩm được "
    "thông tin, tập huấn",
    "quality_award": "Doanh nghiệp tham gia Giải thưởng chất lượng quốc gia",
    "ocop_trademark_share": "Tỷ lệ sản phẩm OCOP được đăng ký bảo hộ nhãn hiệu",
}


def indicators(
    session: Session,
    as_of: date | None = None,
    plan: Plan = PLAN_2021_2025,
    start: date | None = None,
) -> Indicators:
    """Every series on the plan's years up to ``as_of``, and each target's standing for the
    period ``start`` (default: the plan's start) to ``as_of``."""
    day = as_of or clock.today()
    start = start or plan.starts
    days = [min(date(year, 12, 31), day) for year in range(plan.starts.year, day.year + 1)]
    snap = measure.load(session)
    by_year = {d: measure.figures(snap, plan.starts, d) for d in days}
    period = measure.figures(snap, start, day)
    declarations = session.exec(select(Declaration)).all()
    ocop = session.exec(
        select(Product).where(
            or_(col(Product.kind) == ProductKind.OCOP, col(Product.ocop_stars).is_not(None))
        )
    ).all()
    by_metric = {t.metric: t for t in plan.targets if t.metric}
    series = [
        *(
            Series(
                key,
                _SERIES_LABELS[key],
                by_metric[key].unit,
                tuple(_point(by_year[d][key], d) for d in days),
                by_metric[key],
            )
            for key in measure.TARGETS
            if key in by_metric
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
    targets = tuple(_status(t, period.get(t.metric or ""), day) for t in plan.targets)
    milestones = tuple(
        Milestone(m.title, m.due_on, m.done_on, done, m.evidence, m.sample)
        for m, done in measure.milestones(snap, day)
    )
    samples = any(f.includes_samples for f in period.values()) or any(m.sample for m in milestones)
    return Indicators(plan, start, day, tuple(series), targets, milestones, samples)


def _point(figure: Figure, day: date) -> Point:
    return Point(day, figure.value or 0.0, figure.numerator, figure.denominator)


def _status(target: Target, figure: Figure | None, day: date) -> TargetStatus:
    if figure is None:
        return TargetStatus(target, None, None)
    if figure.value is None:
        return TargetStatus(target, None, None, figure.summary())
    point = Point(day, figure.value, figure.numerator, figure.denominator)
    return TargetStatus(target, point, target.met_by(figure.value), figure.summary())


def _ocop_share(declarations: Sequence[Declaration], ocop: Sequence[Product], day: date) -> Point:
    rated = [p for p in ocop if p.ocop_rated_on is None or p.ocop_rated_on <= day]
    declared = {
        d.product_id
        for d in declarations
        if d.product_id is not None and d.kind in _PRODUCT_DECLARATIONS and is_valid(d, day)
    }
    hits = sum(p.id in declared for p in rated)
    share = round(100 * hits / len(rated), 1) if rated else 0.0
    return Point(day, share, hits, len(rated))


def _with_scheme(declarations: Sequence[Declaration], scheme: Scheme, day: date) -> Point:
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
