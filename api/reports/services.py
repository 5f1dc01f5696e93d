"""The reports for officials, as the API and the pages serve them: gaps and overlaps, open
comment periods, the review queue, draft impact, the plan's indicators, and the change feed
(JSON, Atom, workbook). The reports themselves are :mod:`catalog.reports`; these services
choose the graph, the settings and the words around them."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from api.problems import Problem
from api.reports.atom import atom_feed
from api.reports.schemas import (
    ChangesResponse,
    DraftImpactRequest,
    DraftImpactResponse,
    ReviewQueue,
)
from api.responses import Download, workbook_download
from api.settings import ApiSettings
from catalog import clock
from catalog.plan.annual import reminder
from catalog.readmodel import SharedCatalogGraph
from catalog.reports.changes import change_table, changes
from catalog.reports.draft_impact import (
    DraftError,
    DraftImpact,
    DraftSpec,
    ScopeItem,
    draft_from_catalog,
    draft_impact,
    impact_tables,
)
from catalog.reports.gaps import DEFAULT_OVERLAP_ROLES, GapReport, gap_report, gap_tables
from catalog.reports.indicators import Indicators, indicator_tables, indicators
from catalog.reports.open_comments import OpenCommentReport, open_comments
from catalog.reports.review import review_report, review_tables
from catalog.vocab import ProductKind, Role


def day_heading(day: date) -> str:
    return f"Ngày: {day:%d/%m/%Y}"


class ReportService:
    """Reports over the store, answered from the served catalog graph where they can be."""

    def __init__(self, session: Session, graph: SharedCatalogGraph, settings: ApiSettings) -> None:
        self.session = session
        self.graph = graph
        self.settings = settings

    def gaps(
        self,
        day: date,
        kinds: tuple[ProductKind, ...] = tuple(ProductKind),
        overlap_roles: tuple[Role, ...] = DEFAULT_OVERLAP_ROLES,
    ) -> GapReport:
        return gap_report(
            self.session,
            day,
            kinds=kinds,
            overlap_roles=overlap_roles,
            graph=self.graph.current(),
            unconfirmed_months=self.settings.unconfirmed_months,
        )

    def gaps_workbook(self, day: date) -> Download:
        report = self.gaps(day)
        heading = [
            "Báo cáo rà soát tiêu chuẩn, quy chuẩn áp dụng cho sản phẩm tỉnh Tuyên Quang",
            day_heading(report.as_of),
            ", ".join(f"{k}: {v}" for k, v in report.headline.items()),
        ]
        return workbook_download(gap_tables(report), heading, f"gaps-{report.as_of}.xlsx")

    def open_comments(self, day: date) -> OpenCommentReport:
        return open_comments(self.graph.current(), day)

    def open_comments_workbook(self, day: date) -> Download:
        report = self.open_comments(day)
        heading = [
            "Dự thảo quy định đã thông báo WTO đang lấy ý kiến, liên quan sản phẩm tỉnh "
            "Tuyên Quang",
            f"{day_heading(report.as_of)} — {len(report.items)} thông báo",
        ]
        return workbook_download(report.tables(), heading, f"open-comments-{report.as_of}.xlsx")

    def review_queue(self, limit: int, offset: int) -> ReviewQueue:
        report = review_report(self.session)
        queue = report.queue
        return ReviewQueue(
            total=len(queue),
            limit=limit,
            offset=offset,
            as_of=report.as_of,
            rules=report.rules,
            documents=report.documents,
            items=list(queue[offset : offset + limit]),
        )

    def review_workbook(self) -> Download:
        report = review_report(self.session)
        heading = [
            "Hàng chờ rà soát nguồn: quy tắc áp dụng và tình trạng văn bản",
            day_heading(report.as_of),
        ]
        return workbook_download(review_tables(report), heading, f"review-{report.as_of}.xlsx")

    def stored_draft(self, code: str) -> DraftSpec:
        """The draft the catalog holds under ``code``, or a 404 problem."""
        try:
            return draft_from_catalog(self.session, code)
        except DraftError as exc:
            raise Problem(404, "Unknown draft", str(exc)) from exc

    def draft_impact(self, spec: DraftSpec, day: date) -> DraftImpactResponse:
        impact = draft_impact(self.session, spec, day)
        return DraftImpactResponse(
            impact=impact,
            duplicated_products=sum(bool(p.duplicates) for p in impact.products),
            problem_citations=len(impact.problem_citations),
        )

    def draft_impact_workbook(self, spec: DraftSpec, day: date) -> Download:
        impact: DraftImpact = draft_impact(self.session, spec, day)
        heading = [f"Đánh giá tác động dự thảo {spec.code or ''}".strip(), str(impact.as_of)]
        return workbook_download(impact_tables(impact), heading, "draft-impact.xlsx")

    def indicators(self, day: date) -> Indicators:
        return indicators(self.session, day)

    def indicators_workbook(self, day: date) -> Download:
        report = self.indicators(day)
        heading = [report.plan.title, day_heading(report.as_of)]
        return workbook_download(
            indicator_tables(report), heading, f"indicators-{report.as_of}.xlsx"
        )


def draft_spec(data: DraftImpactRequest) -> DraftSpec:
    """The draft a request describes (not saved)."""
    return DraftSpec(
        code=data.code,
        title=data.title,
        scope=tuple(ScopeItem(i.kind, i.subject, i.role) for i in data.scope),
        citations=tuple(data.citations),
    )


class ChangeService:
    """The change feed of the whole catalog, with links built on the configured public URL
    (a forged Host header must not reach feeds and links)."""

    def __init__(self, session: Session, public_url: str) -> None:
        self.session = session
        self.public_url = public_url

    def feed(self, since: datetime, limit: int) -> ChangesResponse:
        entries = changes(self.session, since, limit=limit)
        return ChangesResponse(
            since=since, count=len(entries), changes=entries, plan_report=reminder(self.session)
        )

    def atom(self, since: datetime, limit: int) -> bytes:
        return atom_feed(
            changes(self.session, since, limit=limit),
            feed_id="changes",
            title="Thay đổi tiêu chuẩn, quy chuẩn — tỉnh Tuyên Quang",
            self_url=f"{self.public_url}/api/v1/changes.atom",
            base_url=self.public_url,
            generated_at=clock.now(),
        )

    def workbook(self, since: datetime, limit: int) -> Download:
        entries = changes(self.session, since, limit=limit)
        heading = [f"Thay đổi từ {clock.shown(since)}"]
        return workbook_download([change_table(entries)], heading, "changes.xlsx")
