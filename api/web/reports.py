"""The report pages for officials and consultants, under ``/bao-cao``: gaps and overlaps,
draft QCĐP impact, the change feed, watch lists, the declarations registry and the plan's
indicators (in :mod:`api.web.plan_pages`). Thin handlers: the reports come from
:mod:`catalog.reports` and :mod:`catalog.declarations`; the workbooks a page offers are the
API's where the API can express what the page shows, else built here from the same report
tables.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from sqlmodel import Session

from api.declarations.services import register_workbook
from api.deps import Declarations, Reports
from api.responses import send, workbook_download
from api.web import report_views, views
from api.web.errors import BadInput, PageNotFound
from api.web.params import day_param
from api.web.templating import render
from catalog import clock
from catalog.plan.annual import reminder
from catalog.reports.changes import DEFAULT_WINDOW, Change, changes
from catalog.reports.draft_impact import (
    DraftSpec,
    draft_from_catalog,
    draft_impact,
    impact_tables,
)
from catalog.reports.gaps import Gap
from catalog.reports.review import review_report
from catalog.reports.watch import describe, find_watch_list, watched_changes
from catalog.vocab import DeclarationKind, Status

MAX_FILTER = 200
CHANGES_SHOWN = 200
TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def text_param(request: Request[Any, Any, Any], name: str) -> str:
    value = (request.query_params.get(name) or "").strip()
    if len(value) > MAX_FILTER:
        raise BadInput(
            name,
            value[:20] + "…",
            f"Nội dung lọc «{name}» quá dài: tối đa {MAX_FILTER} ký tự.",
            f"The filter {name!r} is too long: at most {MAX_FILTER} characters.",
        )
    return value


def kind_param(request: Request[Any, Any, Any]) -> DeclarationKind | None:
    value = request.query_params.get("loai") or ""
    if not value:
        return None
    try:
        return DeclarationKind(value)
    except ValueError:
        raise BadInput(
            "loai",
            value,
            f"Bộ lọc «loai» không nhận giá trị «{value}».",
            f"The filter 'loai' does not take {value!r}.",
        ) from None


def since_param(request: Request[Any, Any, Any]) -> date:
    """``tu-ngay``: the first day of the changes shown (default: 30 days ago)."""
    default = (clock.now() - DEFAULT_WINDOW).date()
    return day_param(request, "tu-ngay", default)


def latest_changes(entries: list[Change]) -> tuple[list[Change], bool]:
    """The entries shown, and whether more were left out."""
    return entries[:CHANGES_SHOWN], len(entries) > CHANGES_SHOWN


class ReportPages(Controller):
    path = "/bao-cao"
    include_in_schema = False

    @get("/", name="web:reports")
    async def index(self, request: Request[Any, Any, Any]) -> Response[str]:
        return render(request, "reports/index.html")

    @get("/khoang-trong", name="web:gaps", sync_to_thread=True)
    def gaps(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        reports: Reports,
    ) -> Response[str]:
        """Gaps, stale citations and overlaps on the chosen day."""
        day = day_param(request, "ngay", clock.today())
        report = reports.gaps(day)
        return render(
            request,
            "reports/gaps.html",
            report=report,
            day=day,
            gap_kinds=list(Gap),
            by_gap={gap: [p for p in report.product_gaps if gap in p.gaps] for gap in Gap},
            slugs=report_views.document_slugs(db_session, report_views.gap_codes(report)),
            categories=views.category_names(db_session),
            products=report_views.product_names(db_session),
            describe_via=report_views.describe_via,
        )

    @get("/ra-soat", name="web:review", sync_to_thread=True)
    def review(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[str]:
        return render(request, "reports/review.html", report=review_report(db_session))

    @get("/gop-y", name="web:open-comments", sync_to_thread=True)
    def open_comments(self, request: Request[Any, Any, Any], reports: Reports) -> Response[str]:
        """Comment periods open on the chosen day for notified drafts touching our products."""
        day = day_param(request, "ngay", clock.today())
        report = reports.open_comments(day)
        return render(request, "reports/open_comments.html", report=report, day=day)

    @get("/du-thao", name="web:drafts", sync_to_thread=True)
    def drafts(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[str]:
        return render(request, "reports/drafts.html", drafts=report_views.saved_drafts(db_session))

    @get("/du-thao/{slug:str}", name="web:draft", sync_to_thread=True)
    def draft(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        slug: FromPath[str],
    ) -> Response[str]:
        """What a saved draft would cover, duplicate and cite, on the chosen day."""
        day = day_param(request, "ngay", clock.today())
        impact = draft_impact(db_session, self._draft_spec(db_session, slug), day)
        codes = [e.code for p in impact.products for e in p.existing]
        codes += [c.code for c in impact.citations]
        codes += [c.in_force for c in impact.citations if c.in_force is not None]
        return render(
            request,
            "reports/draft.html",
            impact=impact,
            slug=slug,
            day=day,
            draft_status=Status.DRAFT,
            categories=views.category_names(db_session),
            slugs=report_views.document_slugs(db_session, codes),
        )

    @get("/du-thao/{slug:str}/bang-tinh.xlsx", name="web:draft-xlsx", sync_to_thread=True)
    def draft_xlsx(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        slug: FromPath[str],
    ) -> Response[bytes]:
        day = day_param(request, "ngay", clock.today())
        impact = draft_impact(db_session, self._draft_spec(db_session, slug), day)
        heading = [f"Đánh giá tác động dự thảo {impact.draft.code}", f"Ngày: {day:%d/%m/%Y}"]
        return send(workbook_download(impact_tables(impact), heading, f"du-thao-{slug}-{day}.xlsx"))

    @staticmethod
    def _draft_spec(session: Session, slug: str) -> DraftSpec:
        doc = views.document_by_slug(session, slug)
        if doc is None or doc.status != Status.DRAFT:
            links = [(f"/van-ban/{doc.slug}", doc.code)] if doc else []
            links += [
                (f"/bao-cao/du-thao/{d.slug}", d.code) for d in report_views.saved_drafts(session)
            ]
            raise PageNotFound(slug, links)
        return draft_from_catalog(session, doc.code)

    @get("/thay-doi", name="web:changes", sync_to_thread=True)
    def change_feed(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[str]:
        """Document changes from the chosen day, newest first, with the products concerned."""
        since = since_param(request)
        entries, more = latest_changes(
            changes(db_session, clock.day_start(since), limit=CHANGES_SHOWN + 1)
        )
        return render(
            request,
            "reports/changes.html",
            reminder=reminder(db_session),
            entries=entries,
            more=more,
            since=since,
            api_since=since.isoformat(),
        )

    @get("/theo-doi", name="web:watch", sync_to_thread=True)
    def watch(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """How to make a watch list, and a box to open one by its token."""
        token = (request.query_params.get("ma") or "").strip()
        if token:
            self._check_token(token)
            return Redirect(f"/bao-cao/theo-doi/{token}", status_code=303)
        return render(request, "reports/watch.html")

    @get("/theo-doi/{token:str}", name="web:watch-list", sync_to_thread=True)
    def watch_list(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        token: FromPath[str],
    ) -> Response[str]:
        """A watch list by its token, with the changes that touch its products."""
        self._check_token(token)
        watch = find_watch_list(db_session, token)
        if watch is None:
            raise PageNotFound(token, [("/bao-cao/theo-doi", "Danh sách theo dõi")])
        since = since_param(request)
        entries, more = latest_changes(
            watched_changes(db_session, watch, clock.day_start(since), limit=CHANGES_SHOWN + 1)
        )
        return render(
            request,
            "reports/watch_list.html",
            watch=describe(db_session, watch),
            categories=views.category_names(db_session),
            entries=entries,
            more=more,
            since=since,
            api_since=since.isoformat(),
        )

    @staticmethod
    def _check_token(token: str) -> None:
        if not TOKEN.match(token):
            raise BadInput(
                "ma",
                token[:20],
                "Mã danh sách theo dõi không hợp lệ: mã gồm 8–64 chữ cái, chữ số, «-» hoặc «_».",
                "The watch list token is not valid: 8–64 letters, digits, '-' or '_'.",
            )

    @get("/cong-bo", name="web:declarations", sync_to_thread=True)
    def declarations(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        declarations: Declarations,
    ) -> Response[str]:
        """The registry, filtered by enterprise, product, kind and validity on a day."""
        filters = self._declaration_filters(request)
        found = declarations.list(**filters)
        return render(
            request,
            "reports/declarations.html",
            declarations=found,
            filters=filters,
            kinds=list(DeclarationKind),
            slugs=report_views.document_slugs(db_session, (v.document_code for v in found)),
            query=request.url.query,
        )

    @get("/cong-bo.xlsx", name="web:declarations-xlsx", sync_to_thread=True)
    def declarations_xlsx(
        self, request: Request[Any, Any, Any], declarations: Declarations
    ) -> Response[bytes]:
        """The registry as filtered on the page, as a workbook."""
        filters = self._declaration_filters(request)
        found = declarations.list(**filters)
        heading = [f"Ngày: {filters['day']:%d/%m/%Y}"]
        return send(register_workbook(found, heading, "cong-bo.xlsx"))

    @staticmethod
    def _declaration_filters(request: Request[Any, Any, Any]) -> dict[str, Any]:
        return {
            "day": day_param(request, "ngay", clock.today()),
            "kind": kind_param(request),
            "enterprise": text_param(request, "doanh-nghiep") or None,
            "product": text_param(request, "san-pham") or None,
            "valid_only": request.query_params.get("con-hieu-luc") in ("1", "on"),
        }
