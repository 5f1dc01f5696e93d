"""The plan's annual report over HTTP: the Word document, its Excel annex (each download is
logged as the year's report being generated) and the reminder of the 30 November deadline."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get
from litestar.params import QueryParameter
from sqlmodel import Session

from api.deps import DbSession
from api.problems import Problem, problem_responses
from catalog.plan.annual import (
    AnnualReport,
    AnnualReportError,
    Reminder,
    annex_xlsx,
    annual_report,
    record_generation,
    reminder,
)
from catalog.plan.annual_docx import report_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
        self, request: Request, db_session: DbSession, year: Year, number: Number = None
    ) -> Response[bytes]:
        report = self._annual(request, db_session, year, number)
        name = f"bao-cao-ke-hoach-nang-suat-chat-luong-{year}.docx"
        return _download(report_docx(report), DOCX, name)

    @get(
        "/annex.xlsx",
        summary="The annual report's annex: every record counted (Excel)",
        media_type=XLSX,
        sync_to_thread=True,
        responses=problem_responses(400),
    )
    def annex(self, request: Request, db_session: DbSession, year: Year) -> Response[bytes]:
        report = self._annual(request, db_session, year, None)
        return _download(annex_xlsx(report), XLSX, f"phu-luc-so-lieu-{year}.xlsx")

    @staticmethod
    def _annual(request: Request, session: Session, year: int, number: str | None) -> AnnualReport:
        try:
            report = annual_report(session, year, number=number)
        except AnnualReportError as exc:
            raise Problem(400, "Invalid report year", str(exc)) from exc
        key = getattr(request.state, "api_key", None)
        record_generation(session, report, via="web", by=key.name if key else None)
        session.commit()
        return report

    @get(
        "/reminder",
        summary="Days left to this year's report and whether it was made",
        sync_to_thread=True,
    )
    def report_reminder(self, db_session: DbSession) -> Reminder:
        return reminder(db_session)


def _download(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
