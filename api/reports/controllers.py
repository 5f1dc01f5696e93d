"""HTTP endpoints for officials and consultants: gaps, draft impact, the change feed, watch
lists and webhooks, declarations and the plan's indicators. Thin: the work is in
:mod:`catalog.reports`, :mod:`catalog.declarations` and :mod:`catalog.webhooks`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from sqlmodel import Session, col, select

from api.auth import requires
from api.deps import AuditLog, DbSession
from api.params import AsOf, Since, day_asked, moment_asked
from api.problems import Problem, problem_responses
from api.reports.atom import ATOM_MEDIA_TYPE, atom_feed
from api.reports.plan import PLAN_HANDLERS
from api.reports.schemas import (
    ChangesResponse,
    DeclarationCreate,
    DeclarationsResponse,
    DeliveryRecord,
    DraftImpactRequest,
    DraftImpactResponse,
    GapReportResponse,
    IndicatorsResponse,
    ReviewQueue,
    WatchListCreate,
    WatchListResponse,
    WebhookCreate,
    WebhookResponse,
)
from catalog import clock
from catalog.declarations import (
    DeclarationError,
    DeclarationInput,
    declaration_table,
    list_declarations,
    save_declaration,
)
from catalog.models import WatchList, Webhook, WebhookDelivery, saved_id
from catalog.plan.annual import reminder
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
from catalog.reports.gaps import DEFAULT_OVERLAP_ROLES, gap_report, gap_tables
from catalog.reports.indicators import indicator_tables, indicators
from catalog.reports.open_comments import OpenCommentReport, open_comments
from catalog.reports.review import review_report, review_tables
from catalog.reports.tables import workbook
from catalog.reports.watch import (
    WatchListError,
    create_watch_list,
    describe,
    find_watch_list,
    watched_changes,
)
from catalog.upsert import ChangeContext
from catalog.vocab import ApiRole, DeclarationKind, ProductKind, Role
from catalog.webhooks import SIGNATURE_HEADER, WebhookError, add_webhook, public_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_WINDOW = timedelta(days=30)
MAX_CHANGES = 1000

Limit = Annotated[int, Parameter(ge=1, le=MAX_CHANGES, description="At most this many")]
Kinds = Annotated[
    list[ProductKind] | None, Parameter(description="Product kinds to examine (default all)")
]
OverlapRoles = Annotated[
    list[Role] | None,
    Parameter(
        description="Roles checked for overlaps (default: all but test methods and "
        "mandatory regulations)"
    ),
]
Token = Annotated[str, Parameter(min_length=8, max_length=64, description="The watch list token")]


def _xlsx(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _since(value: str | None) -> datetime:
    """The moment ``since`` names (default: 30 days ago), aware."""
    return moment_asked(value, lambda: clock.now() - DEFAULT_WINDOW)


def _base_url(request: Request) -> str:
    """The configured public URL: a forged Host header must not reach feeds and links."""
    return request.app.state.settings.public_url


class ReportController(Controller):
    path = "/reports"
    tags = ("reports",)

    @get("/gaps", summary="Gaps, stale citations and overlaps", sync_to_thread=True)
    def gaps(
        self,
        request: Request,
        db_session: DbSession,
        as_of: AsOf = None,
        kind: Kinds = None,
        overlap_role: OverlapRoles = None,
    ) -> GapReportResponse:
        report = gap_report(
            db_session,
            day_asked(as_of),
            kinds=tuple(kind) if kind else tuple(ProductKind),
            overlap_roles=tuple(overlap_role) if overlap_role else DEFAULT_OVERLAP_ROLES,
            graph=request.app.state.answers.graph.current(),
            unconfirmed_months=request.app.state.settings.unconfirmed_months,
        )
        return GapReportResponse(headline=report.headline, report=report)

    @get(
        "/open-comments",
        summary="Open comment periods of notified drafts touching the province's products",
        sync_to_thread=True,
    )
    def open_comments(self, request: Request, as_of: AsOf = None) -> OpenCommentReport:
        """WTO notifications (home and importing members') whose comment period is open on the
        day and that reach at least one product, soonest deadline first."""
        return open_comments(request.app.state.answers.graph.current(), day_asked(as_of))

    @get(
        "/open-comments.xlsx",
        summary="The open comment periods as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def open_comments_xlsx(self, request: Request, as_of: AsOf = None) -> Response[bytes]:
        report = open_comments(request.app.state.answers.graph.current(), day_asked(as_of))
        heading = [
            "Dự thảo quy định đã thông báo WTO đang lấy ý kiến, liên quan sản phẩm tỉnh "
            "Tuyên Quang",
            f"Ngày: {report.as_of.strftime('%d/%m/%Y')} — {len(report.items)} thông báo",
        ]
        return _xlsx(workbook(report.tables(), heading), f"open-comments-{report.as_of}.xlsx")

    @get(
        "/gaps.xlsx",
        summary="The gap report as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def gaps_xlsx(
        self, request: Request, db_session: DbSession, as_of: AsOf = None
    ) -> Response[bytes]:
        report = gap_report(
            db_session,
            day_asked(as_of),
            graph=request.app.state.answers.graph.current(),
            unconfirmed_months=request.app.state.settings.unconfirmed_months,
        )
        heading = [
            "Báo cáo rà soát tiêu chuẩn, quy chuẩn áp dụng cho sản phẩm tỉnh Tuyên Quang",
            f"Ngày: {report.as_of.strftime('%d/%m/%Y')}",
            ", ".join(f"{k}: {v}" for k, v in report.headline.items()),
        ]
        return _xlsx(workbook(gap_tables(report), heading), f"gaps-{report.as_of}.xlsx")

    @get(
        "/review",
        summary="The review queue: unverified and disputed rules and document statuses, "
        "mandatory first, then by products reached",
        sync_to_thread=True,
    )
    def review_queue(
        self,
        db_session: DbSession,
        limit: Annotated[int, Parameter(ge=1, le=MAX_CHANGES)] = 100,
        offset: Annotated[int, Parameter(ge=0, le=2**31 - 1)] = 0,
    ) -> ReviewQueue:
        report = review_report(db_session)
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

    @get(
        "/review.xlsx",
        summary="The review queue as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def review_xlsx(self, db_session: DbSession) -> Response[bytes]:
        report = review_report(db_session)
        heading = [
            "Hàng chờ rà soát nguồn: quy tắc áp dụng và tình trạng văn bản",
            f"Ngày: {report.as_of.strftime('%d/%m/%Y')}",
        ]
        return _xlsx(workbook(review_tables(report), heading), f"review-{report.as_of}.xlsx")

    @get(
        "/drafts/{code:path}",
        summary="What a stored draft QCĐP would cover, duplicate and cite",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def stored_draft_impact(
        self, db_session: DbSession, code: FromPath[str], as_of: AsOf = None
    ) -> DraftImpactResponse:
        try:
            spec = draft_from_catalog(db_session, code.lstrip("/"))
        except DraftError as exc:
            raise Problem(404, "Unknown draft", str(exc)) from exc
        return _impact_response(draft_impact(db_session, spec, day_asked(as_of)))

    @post(
        "/draft-impact",
        summary="What a draft QCĐP (not saved) would cover, duplicate and cite",
        sync_to_thread=True,
        status_code=200,
        responses=problem_responses(400),
    )
    def draft_impact_of(
        self, db_session: DbSession, data: JSONBody[DraftImpactRequest], as_of: AsOf = None
    ) -> DraftImpactResponse:
        spec = DraftSpec(
            code=data.code,
            title=data.title,
            scope=tuple(ScopeItem(i.kind, i.subject, i.role) for i in data.scope),
            citations=tuple(data.citations),
        )
        return _impact_response(draft_impact(db_session, spec, day_asked(as_of)))

    @post(
        "/draft-impact.xlsx",
        summary="The draft impact as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
        status_code=200,
        responses=problem_responses(400),
    )
    def draft_impact_xlsx(
        self, db_session: DbSession, data: JSONBody[DraftImpactRequest], as_of: AsOf = None
    ) -> Response[bytes]:
        spec = DraftSpec(
            code=data.code,
            title=data.title,
            scope=tuple(ScopeItem(i.kind, i.subject, i.role) for i in data.scope),
            citations=tuple(data.citations),
        )
        impact = draft_impact(db_session, spec, day_asked(as_of))
        heading = [f"Đánh giá tác động dự thảo {spec.code or ''}".strip(), str(impact.as_of)]
        return _xlsx(workbook(impact_tables(impact), heading), "draft-impact.xlsx")

    @get("/indicators", summary="The provincial plan's indicators and targets", sync_to_thread=True)
    def plan_indicators(self, db_session: DbSession, as_of: AsOf = None) -> IndicatorsResponse:
        return IndicatorsResponse(indicators=indicators(db_session, day_asked(as_of)))

    @get(
        "/indicators.xlsx",
        summary="The indicators as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def plan_indicators_xlsx(self, db_session: DbSession, as_of: AsOf = None) -> Response[bytes]:
        report = indicators(db_session, day_asked(as_of))
        heading = [report.plan.title, f"Ngày: {report.as_of.strftime('%d/%m/%Y')}"]
        return _xlsx(workbook(indicator_tables(report), heading), f"indicators-{report.as_of}.xlsx")


def _impact_response(impact: DraftImpact) -> DraftImpactResponse:
    return DraftImpactResponse(
        impact=impact,
        duplicated_products=sum(bool(p.duplicates) for p in impact.products),
        problem_citations=len(impact.problem_citations),
    )


class ChangeController(Controller):
    path = "/"
    tags = ("changes",)

    @get(
        "/changes", summary="Documents added, updated, superseded or withdrawn", sync_to_thread=True
    )
    def list_changes(
        self, db_session: DbSession, since: Since = None, limit: Limit = 200
    ) -> ChangesResponse:
        start = _since(since)
        entries = changes(db_session, start, limit=limit)
        return ChangesResponse(
            since=start, count=len(entries), changes=entries, plan_report=reminder(db_session)
        )

    @get(
        "/changes.atom",
        summary="The change feed as Atom",
        media_type=ATOM_MEDIA_TYPE,
        sync_to_thread=True,
    )
    def atom(
        self, request: Request, db_session: DbSession, since: Since = None, limit: Limit = 200
    ) -> Response[bytes]:
        entries = changes(db_session, _since(since), limit=limit)
        base = _base_url(request)
        body = atom_feed(
            entries,
            feed_id="changes",
            title="Thay đổi tiêu chuẩn, quy chuẩn — tỉnh Tuyên Quang",
            self_url=f"{base}/api/v1/changes.atom",
            base_url=base,
            generated_at=clock.now(),
        )
        return Response(body, media_type=ATOM_MEDIA_TYPE)

    @get(
        "/changes.xlsx",
        summary="The change feed as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def xlsx(
        self, db_session: DbSession, since: Since = None, limit: Limit = MAX_CHANGES
    ) -> Response[bytes]:
        start = _since(since)
        entries = changes(db_session, start, limit=limit)
        heading = [f"Thay đổi từ {clock.shown(start)}"]
        return _xlsx(workbook([change_table(entries)], heading), "changes.xlsx")


class WatchListController(Controller):
    path = "/watchlists"
    tags = ("watch lists",)
    # The token in the URL is the capability to read the list: its answers are private.
    opt: Mapping[str, Any] | None = {"private": True}

    @post(
        "/",
        summary="Save a watch list of products, categories and export markets (any API key)",
        guards=[requires(ApiRole.READER)],
        sync_to_thread=True,
        responses=problem_responses(400, 401),
    )
    def create(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        data: JSONBody[WatchListCreate],
    ) -> WatchListResponse:
        try:
            watch = create_watch_list(
                db_session,
                data.name,
                owner=data.owner,
                products=data.products,
                categories=data.categories,
                markets=data.markets,
            )
        except WatchListError as exc:
            raise Problem(400, "Invalid watch list", str(exc)) from exc
        audit.record("create", "watch_list", watch.id, None, data)
        db_session.commit()
        return _watch_response(request, db_session, watch)

    @get(
        "/{token:str}",
        summary="A watch list",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def read(self, request: Request, db_session: DbSession, token: Token) -> WatchListResponse:
        return _watch_response(request, db_session, _watch(db_session, token))

    @get(
        "/{token:str}/changes",
        summary="Changes touching the list's products",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def watch_changes(
        self, db_session: DbSession, token: Token, since: Since = None, limit: Limit = 200
    ) -> ChangesResponse:
        start = _since(since)
        entries = watched_changes(db_session, _watch(db_session, token), start, limit=limit)
        return ChangesResponse(since=start, count=len(entries), changes=entries)

    @get(
        "/{token:str}/changes.atom",
        summary="Changes touching the list's products, as Atom",
        media_type=ATOM_MEDIA_TYPE,
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def watch_atom(
        self,
        request: Request,
        db_session: DbSession,
        token: Token,
        since: Since = None,
        limit: Limit = 200,
    ) -> Response[bytes]:
        watch = _watch(db_session, token)
        entries = watched_changes(db_session, watch, _since(since), limit=limit)
        base = _base_url(request)
        body = atom_feed(
            entries,
            feed_id=f"watchlist:{watch.token}",
            title=f"Thay đổi theo dõi: {watch.name}",
            self_url=f"{base}/api/v1/watchlists/{watch.token}/changes.atom",
            base_url=base,
            generated_at=watch.created_at,
        )
        return Response(body, media_type=ATOM_MEDIA_TYPE)

    @post(
        "/{token:str}/webhooks",
        summary="POST the list's changes to a URL, signed with HMAC-SHA256 (any API key)",
        guards=[requires(ApiRole.READER)],
        sync_to_thread=True,
        responses=problem_responses(400, 401, 404),
    )
    def add_hook(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        token: Token,
        data: JSONBody[WebhookCreate],
    ) -> WebhookResponse:
        watch = _watch(db_session, token)
        addresses = request.app.state.settings.webhook_addresses
        try:
            hook = add_webhook(db_session, watch, data.url, data.secret, addresses)
        except WebhookError as exc:
            raise Problem(400, "Invalid webhook", str(exc)) from exc
        audit.record("create", "webhook", hook.id, None, {"url": hook.url, "watch": watch.id})
        db_session.commit()
        return WebhookResponse(
            id=saved_id(hook),
            url=hook.url,
            secret=hook.secret,
            signature_header=SIGNATURE_HEADER,
            active=hook.active,
        )

    @get(
        "/{token:str}/deliveries",
        summary="The delivery log of the list's webhooks, newest first",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def deliveries(self, db_session: DbSession, token: Token) -> list[DeliveryRecord]:
        watch = _watch(db_session, token)
        rows = db_session.exec(
            select(WebhookDelivery)
            .join(Webhook, col(Webhook.id) == WebhookDelivery.webhook_id)
            .where(Webhook.watch_list_id == watch.id)
            .order_by(col(WebhookDelivery.id).desc())
            .limit(500)
        ).all()
        return [
            DeliveryRecord(
                delivery_id=r.delivery_id,
                attempt=r.attempt,
                at=r.at,
                entries=r.entries,
                status_code=r.status_code,
                succeeded=r.succeeded,
                error=public_error(r.status_code, r.error),
                duration_ms=r.duration_ms,
            )
            for r in rows
        ]


def _watch(session: Session, token: str) -> WatchList:
    watch = find_watch_list(session, token)
    if watch is None:
        raise Problem(404, "Unknown watch list", f"no watch list has the token {token!r}")
    return watch


def _watch_response(request: Request, session: Session, watch: WatchList) -> WatchListResponse:
    view = describe(session, watch)
    base = f"{_base_url(request)}/api/v1/watchlists/{view.token}"
    return WatchListResponse(
        token=view.token,
        name=view.name,
        owner=view.owner,
        created_at=clock.local(view.created_at),
        products=list(view.products),
        categories=list(view.categories),
        markets=list(view.markets),
        covered=list(view.covered),
        feed_url=f"{base}/changes",
        atom_url=f"{base}/changes.atom",
    )


class DeclarationController(Controller):
    path = "/"
    tags = ("declarations",)

    @get(
        "/declarations",
        summary="Declarations of conformity, self-declarations, certificates",
        sync_to_thread=True,
    )
    def list_all(
        self,
        db_session: DbSession,
        as_of: AsOf = None,
        kind: FromQuery[DeclarationKind | None] = None,
        enterprise: Annotated[str | None, Parameter(max_length=200)] = None,
        product: Annotated[str | None, Parameter(max_length=200)] = None,
        valid_only: FromQuery[bool] = False,
    ) -> DeclarationsResponse:
        views = list_declarations(
            db_session,
            day=day_asked(as_of),
            kind=kind,
            enterprise=enterprise,
            product=product,
            valid_only=valid_only,
        )
        return DeclarationsResponse(count=len(views), declarations=views)

    @get(
        "/declarations.xlsx",
        summary="The registry as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def xlsx(self, db_session: DbSession, as_of: AsOf = None) -> Response[bytes]:
        views = list_declarations(db_session, day=day_asked(as_of))
        heading = ["Sổ theo dõi công bố hợp chuẩn, hợp quy, tự công bố và chứng nhận"]
        return _xlsx(workbook([declaration_table(views)], heading), "declarations.xlsx")

    @post(
        "/declarations",
        summary="Record a declaration or certificate (editor)",
        guards=[requires(ApiRole.EDITOR)],
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403),
    )
    def create(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        data: JSONBody[DeclarationCreate],
    ) -> DeclarationsResponse:
        key = getattr(request.state, "api_key", None)
        item = DeclarationInput(
            kind=data.kind,
            enterprise=data.enterprise,
            declared_on=data.declared_on,
            number=data.number,
            tax_code=data.tax_code,
            product=data.product,
            document=data.document,
            certifying_body=data.certifying_body,
            valid_until=data.valid_until,
            program_supported=data.program_supported,
            note=data.note,
        )
        try:
            result = save_declaration(
                db_session,
                item,
                context=ChangeContext(actor=key.name if key else None),
                provenance={"source": "api", "source_ref": key.prefix if key else None},
            )
        except DeclarationError as exc:
            raise Problem(400, "Invalid declaration", str(exc)) from exc
        before = {c.field: c.old_value for c in result.changes} or None
        audit.record(str(result.outcome), "declaration", result.row.id, before, data)
        db_session.commit()
        views = [v for v in list_declarations(db_session) if v.id == result.row.id]
        return DeclarationsResponse(count=len(views), declarations=views)


REPORT_HANDLERS = [
    ReportController,
    ChangeController,
    WatchListController,
    DeclarationController,
    *PLAN_HANDLERS,
]
