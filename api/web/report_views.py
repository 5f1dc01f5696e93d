"""What the report pages need around the reports of :mod:`catalog.reports`: the saved drafts,
which cited codes have a page, rule subjects and indicator series in the reader's language,
and each series as a chart. The reports themselves are computed by the catalog, never here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from api.web.charts import LineChart, line_chart
from api.web.i18n import LABELS, Labels
from catalog.models import Document, Product, ProductCategory
from catalog.reports.gaps import GapReport
from catalog.reports.indicators import Indicators, Series
from catalog.reports.plan import Target
from catalog.vocab import Scheme, Status


def saved_drafts(session: Session) -> list[Document]:
    """Documents saved with draft status (draft QCĐP), by code."""
    return list(
        session.exec(
            select(Document).where(Document.status == Status.DRAFT).order_by(col(Document.code))
        ).all()
    )


def document_slugs(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """Slugs of the codes that are documents in the catalog (the others get no link)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    rows = session.exec(select(Document.code, Document.slug).where(col(Document.code).in_(wanted)))
    return dict(rows.all())


def gap_codes(report: GapReport) -> set[str]:
    """Every document code a gap report names."""
    codes: set[str] = set()
    for row in report.product_gaps:
        codes.update(row.technical_regulations, row.product_standards, row.test_methods)
    for stale in report.stale:
        codes.update(c for c in (stale.cited, stale.in_force) if c)
    for overlap in report.overlaps:
        codes.update(overlap.documents)
    return codes


def product_names(session: Session) -> dict[str, Product]:
    """Products by rule subject key (``product:<slug>``)."""
    return {f"product:{p.slug}": p for p in session.exec(select(Product))}


def describe_via(
    via: str,
    t: Labels,
    categories: dict[str, ProductCategory],
    products: dict[str, Product],
) -> str:
    """A rule subject (``category:cay-co-mui``, ``hs_prefix:0805``…) or a citing document's
    code, as a reader says it: "nhóm Cây có múi", "mã HS 0805", "viện dẫn bắt buộc trong …"."""
    kind, _, key = via.partition(":")
    if kind == "category" and via in categories:
        category = categories[via]
        return f"{t('via_category')} {t.pick(category.name_vi, category.name_en)}"
    if kind == "product" and via in products:
        product = products[via]
        return f"{t('via_product')} {t.pick(product.name_vi, product.name_en)}"
    if kind == "hs_prefix":
        return f"{t('via_hs')} {key}"
    if kind == "ics":
        return f"{t('via_ics')} {key}"
    if kind in ("category", "product"):
        return f"{t(f'via_{kind}')} {key}"
    return f"{t('via_citation')} {via}"


@dataclass(frozen=True)
class SeriesView:
    """One indicator as the page shows it: its label, unit, chart and goal."""

    series: Series
    label: str
    unit: str
    chart: LineChart
    goal: str | None  # "≥ 30"


COMPARATORS = {">": ">", ">=": "≥"}


def target_note(target: Target, t: Labels) -> str:
    """Why a target is not measured here, in the reader's language."""
    key = f"target_note_{target.key}"
    return t(key) if key in LABELS else target.note


def series_label(series: Series, t: Labels) -> str:
    if series.key.startswith("scheme:"):
        scheme = Scheme(series.key.removeprefix("scheme:"))
        return f"{t('ind_scheme')} {t.of(scheme)}"
    return t(f"ind_{series.key}")


def series_views(report: Indicators, t: Labels) -> list[SeriesView]:
    views = []
    for series in report.series:
        share = series.unit == "%"
        target = series.target.value if series.target else None
        goal = (
            f"{COMPARATORS.get(series.target.comparator or '', '')} {series.target.value:g}".strip()
            if series.target and series.target.value is not None
            else None
        )
        views.append(
            SeriesView(
                series=series,
                label=series_label(series, t),
                unit="%" if share else t(f"unit_{series.unit}"),
                chart=line_chart(
                    [(str(p.on.year), p.value) for p in series.points],
                    target,
                    ceiling=100 if share else None,
                    integers=not share,
                ),
                goal=goal,
            )
        )
    return views
