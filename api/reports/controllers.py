"""HTTP endpoints of the reports for officials and consultants: gaps, open comment periods,
the review queue, draft impact, the plan's indicators, and the change feed. Thin: each parses
its input, asks :mod:`api.reports.services`, and shapes the answer."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.params import FromPath, JSONBody, Parameter

from api.deps import Changes, Reports
from api.params import MAX_CHANGES, AsOf, Limit, Since, day_asked, since_asked
from api.problems import problem_responses
from api.reports.atom import ATOM_MEDIA_TYPE
from api.reports.schemas import (
    ChangesResponse,
    DraftImpactRequest,
    DraftImpactResponse,
    GapReportResponse,
    IndicatorsResponse,
    ReviewQueue,
)
from api.reports.services import draft_spec
from api.responses import XLSX, send
from catalog.reports.gaps import DEFAULT_OVERLAP_ROLES
from catalog.reports.open_comments import OpenCommentReport
from catalog.vocab import ProductKind, Role

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


class ReportController(Controller):
    path = "/reports"
    tags = ("reports",)

    @get("/gaps", summary="Gaps, stale citations and overlaps", sync_to_thread=True)
    def gaps(
        self,
        reports: Reports,
        as_of: AsOf = None,
        kind: Kinds = None,
        overlap_role: OverlapRoles = None,
    ) -> GapReportResponse:
        report = reports.gaps(
            day_asked(as_of),
            kinds=tuple(kind) if kind else tuple(ProductKind),
            overlap_roles=tuple(overlap_role) if overlap_role else DEFAULT_OVERLAP_ROLES,
        )
        return GapReportResponse(headline=report.headline, report=report)

    @get(
        "/gaps.xlsx",
        summary="The gap report as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def gaps_xlsx(self, reports: Reports, as_of: AsOf = None) -> Response[bytes]:
        return send(reports.gaps_workbook(day_asked(as_of)))

    @get(
        "/open-comments",
        summary="Open comment periods of notified drafts touching the province's products",
        sync_to_thread=True,
    )
    def open_comments(self, reports: Reports, as_of: AsOf = None) -> OpenCommentReport:
        """WTO notifications (home and importing members') whose comment period is open on the
        day and that reach at least one product, soonest deadline first."""
        return reports.open_comments(day_asked(as_of))

    @get(
        "/open-comments.xlsx",
        summary="The open comment periods as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def open_comments_xlsx(self, reports: Reports, as_of: AsOf = None) -> Response[bytes]:
        return send(reports.open_comments_workbook(day_asked(as_of)))

    @get(
        "/review",
        summary="The review queue: unverified and disputed rules and document statuses, "
        "mandatory first, then by products reached",
        sync_to_thread=True,
    )
    def review_queue(
        self,
        reports: Reports,
        limit: Annotated[int, Parameter(ge=1, le=MAX_CHANGES)] = 100,
        offset: Annotated[int, Parameter(ge=0, le=2**31 - 1)] = 0,
    ) -> ReviewQueue:
        return reports.review_queue(limit, offset)

    @get(
        "/review.xlsx",
        summary="The review queue as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def review_xlsx(self, reports: Reports) -> Response[bytes]:
        return send(reports.review_workbook())

    @get(
        "/drafts/{code:path}",
        summary="What a stored draft QCĐP would cover, duplicate and cite",
        sync_to_thread=True,
        responses=problem_responses(404),
    )
    def stored_draft_impact(
        self, reports: Reports, code: FromPath[str], as_of: AsOf = None
    ) -> DraftImpactResponse:
        return reports.draft_impact(reports.stored_draft(code.lstrip("/")), day_asked(as_of))

    @post(
        "/draft-impact",
        summary="What a draft QCĐP (not saved) would cover, duplicate and cite",
        sync_to_thread=True,
        status_code=200,
        responses=problem_responses(400),
    )
    def draft_impact_of(
        self, reports: Reports, data: JSONBody[DraftImpactRequest], as_of: AsOf = None
    ) -> DraftImpactResponse:
        return reports.draft_impact(draft_spec(data), day_asked(as_of))

    @post(
        "/draft-impact.xlsx",
        summary="The draft impact as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
        status_code=200,
        responses=problem_responses(400),
    )
    def draft_impact_xlsx(
        self, reports: Reports, data: JSONBody[DraftImpactRequest], as_of: AsOf = None
    ) -> Response[bytes]:
        return send(reports.draft_impact_workbook(draft_spec(data), day_asked(as_of)))

    @get("/indicators", summary="The provincial plan's indicators and targets", sync_to_thread=True)
    def plan_indicators(self, reports: Reports, as_of: AsOf = None) -> IndicatorsResponse:
        return IndicatorsResponse(indicators=reports.indicators(day_asked(as_of)))

    @get(
        "/indicators.xlsx",
        summary="The indicators as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def plan_indicators_xlsx(self, reports: Reports, as_of: AsOf = None) -> Response[bytes]:
        return send(reports.indicators_workbook(day_asked(as_of)))


class ChangeController(Controller):
    path = "/"
    tags = ("changes",)

    @get(
        "/changes", summary="Documents added, updated, superseded or withdrawn", sync_to_thread=True
    )
    def list_changes(
        self, changes: Changes, since: Since = None, limit: Limit = 200
    ) -> ChangesResponse:
        return changes.feed(since_asked(since), limit)

    @get(
        "/changes.atom",
        summary="The change feed as Atom",
        media_type=ATOM_MEDIA_TYPE,
        sync_to_thread=True,
    )
    def atom(self, changes: Changes, since: Since = None, limit: Limit = 200) -> Response[bytes]:
        return Response(changes.atom(since_asked(since), limit), media_type=ATOM_MEDIA_TYPE)

    @get(
        "/changes.xlsx",
        summary="The change feed as a workbook",
        media_type=XLSX,
        sync_to_thread=True,
    )
    def xlsx(
        self, changes: Changes, since: Since = None, limit: Limit = MAX_CHANGES
    ) -> Response[bytes]:
        return send(changes.workbook(since_asked(since), limit))
