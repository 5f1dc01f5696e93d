"""The plan's pages under ``/bao-cao/chi-so``: the indicators (targets for a period, series
by year, the portal's milestones, the report reminder), the records behind each figure, and
the annual report's downloads. Thin: the figures come from :mod:`catalog.plan` and
:mod:`catalog.reports.indicators`."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlmodel import Session

from api.web import report_views
from api.web.errors import BadInput, PageNotFound
from api.web.i18n import Labels, request_lang
from api.web.params import day_param
from api.web.templating import render
from catalog import clock
from catalog.plan import measure
from catalog.plan.annual import reminder
from catalog.reports.indicators import indicators
from catalog.reports.plan import PLAN_2021_2025


def period(request: Request[Any, Any, Any]) -> tuple[date, date]:
    """``tu-ngay`` (default: the plan's start) to ``ngay`` (default: today)."""
    plan = PLAN_2021_2025
    latest = date(clock.today().year, 12, 31)
    day = day_param(request, "ngay", clock.today(), earliest=plan.starts, latest=latest)
    start = day_param(request, "tu-ngay", plan.starts, earliest=plan.starts, latest=latest)
    if start > day:
        raise BadInput(
            "tu-ngay",
            start.isoformat(),
            f"Từ ngày {start:%d/%m/%Y} sau ngày {day:%d/%m/%Y}.",
            f"The period starts ({start}) after it ends ({day}).",
        )
    return start, day


class PlanPages(Controller):
    path = "/bao-cao/chi-so"
    include_in_schema = False

    @get("/", name="web:indicators", sync_to_thread=True)
    def indicator_page(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[Session]
    ) -> Response[str]:
        """The plan's targets for the period, and its indicators by year against them."""
        start, day = period(request)
        report = indicators(db_session, day, PLAN_2021_2025, start=start)
        return render(
            request,
            "reports/indicators.html",
            report=report,
            day=day,
            start=start,
            reminder=reminder(db_session),
            charts=report_views.series_views(report, Labels(request_lang(request))),
            comparators=report_views.COMPARATORS,
            target_note=report_views.target_note,
        )

    @get("/{target:str}", name="web:indicator-records", sync_to_thread=True)
    def records(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[Session],
        target: FromPath[str],
    ) -> Response[str]:
        """One target's figure for the period, with every record behind it."""
        if target not in measure.TARGETS:
            links = [(f"/bao-cao/chi-so/{key}", key) for key in measure.TARGETS]
            raise PageNotFound(target, links)
        start, day = period(request)
        figure = measure.figure(measure.load(db_session), target, start, day)
        plan_target = next(t for t in PLAN_2021_2025.targets if t.key == target)
        return render(
            request,
            "reports/indicator_records.html",
            figure=figure,
            target=plan_target,
            start=start,
            day=day,
            comparators=report_views.COMPARATORS,
        )
