"""The plan's annual report over HTTP: the Word document, its Excel annex (each download is
logged as the year's report being generated) and the reminder of the 30 November deadline."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.params import QueryParameter

from api.deps import Caller, Plan
from api.problems import problem_responses
from api.responses import DOCX, XLSX, send
from catalog.plan.annual import Reminder

Year = Annotated[int, QueryParameter(ge=2021, le=2100, description="The report's year")]
Number = Annotated[
    str | None,
    QueryParameter(
        max_length=20,
        pattern=r"^[0-9A-Za-z.-]*$",
        description="The report's number, when the office has assigned it",
        required=False,
    ),
]


class PlanReportController(Controller):
    path = "/plan"
    tags = ("plan",)

    @get(
        "/report.docx",
        summary="The annual report to the province and the ministry (Word)",
        media_type=DOCX,
        sync_to_thread=True,
        responses=problem_responses(400),
    )
    def report_docx(
        self, plan: Plan, caller: Caller, year: Year, number: Number = None
    ) -> Response[bytes]:
        return send(plan.report_docx(year, number, caller.name if caller else None))

    @get(
        "/annex.xlsx",
        summary="The annual report's annex: every record counted (Excel)",
        media_type=XLSX,
        sync_to_thread=True,
        responses=problem_responses(400),
    )
    def annex(self, plan: Plan, caller: Caller, year: Year) -> Response[bytes]:
        return send(plan.annex(year, caller.name if caller else None))

    @get(
        "/reminder",
        summary="Days left to this year's report and whether it was made",
        sync_to_thread=True,
    )
    def report_reminder(self, plan: Plan) -> Reminder:
        return plan.reminder()
