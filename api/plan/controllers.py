"""HTTP endpoints of the provincial plan's records (read by anyone, written by editors, every
write audited) and its figures for a period with the records behind each. Thin: the work is
in :mod:`api.plan.services` and :mod:`catalog.plan`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, delete, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter

from api.auth import requires
from api.deps import AuditLog, Plan
from api.params import MOMENT_SCHEMA, AsOf, day_asked
from api.plan import schemas as s
from api.plan.services import RECORD_KINDS, RecordKind
from api.problems import Problem, problem_responses
from catalog.reports.plan import PLAN_2021_2025
from catalog.vocab import ApiRole

Kind = Literal[
    "training", "experts", "support", "register", "outreach", "award", "trademarks", "milestones"
]
Target = Literal[
    "training",
    "experts",
    "enterprises_supported",
    "informed_share",
    "quality_award",
    "ocop_trademark_share",
]
RecordId = Annotated[
    int, PathParameter(ge=1, le=2_147_483_647, description="The record's id (as listed)")
]
FromDay = Annotated[
    str | None,
    QueryParameter(
        name="from",
        description="The period's first day (default: the plan's start, 2021-01-01)",
        schema_extra=MOMENT_SCHEMA,
        required=False,
    ),
]


def _period(from_day: str | None, as_of: str | None) -> tuple[date, date]:
    start = day_asked(from_day, "from") if from_day is not None else PLAN_2021_2025.starts
    end = day_asked(as_of)
    if start > end:
        raise Problem(400, "Invalid period", f"from ({start}) is after as_of ({end})")
    return start, end


_JSON_BODY: Any = JSONBody  # subscripted below with a body type known only at run time


def record_writer(kind: str, how: RecordKind) -> HTTPRouteHandler:
    """``POST /plan/records/<kind>``: one handler per kind, each declaring its own body."""

    def write(plan: Plan, audit: AuditLog, data: Any) -> s.SavedRecord:
        return plan.save(kind, data, audit)

    write.__name__ = write.__qualname__ = f"create_{kind}"
    write.__annotations__ = {
        "plan": Plan,
        "audit": AuditLog,
        "data": _JSON_BODY[how.body],
        "return": s.SavedRecord,
    }
    return post(
        f"/plan/records/{kind}",
        summary=f"{how.summary} (editor)",
        tags=["plan"],
        guards=[requires(ApiRole.EDITOR)],
        sync_to_thread=True,
        responses=problem_responses(400, 401, 403),
    )(write)


RECORD_WRITERS = [record_writer(kind, how) for kind, how in RECORD_KINDS.items()]


class PlanController(Controller):
    path = "/plan"
    tags = ("plan",)

    @delete(
        "/records/{kind:str}/{record_id:int}",
        summary="Remove a record (editor)",
        guards=[requires(ApiRole.EDITOR)],
        sync_to_thread=True,
        status_code=204,
        responses=problem_responses(401, 403, 404),
    )
    def remove(
        self, plan: Plan, audit: AuditLog, kind: FromPath[Kind], record_id: RecordId
    ) -> None:
        plan.delete(kind, record_id, audit)

    @get("/records", summary="The plan's records of one kind", sync_to_thread=True)
    def list_records(self, plan: Plan, kind: FromQuery[Kind]) -> s.PlanRecords:
        return plan.records(kind)

    @get("/figures", summary="The six numeric targets for a period", sync_to_thread=True)
    def figures(
        self, plan: Plan, from_day: FromDay = None, as_of: AsOf = None
    ) -> s.FiguresResponse:
        return plan.figures(*_period(from_day, as_of))

    @get(
        "/figures/{target:str}",
        summary="One target's figure and the records behind it",
        sync_to_thread=True,
    )
    def drill_down(
        self, plan: Plan, target: FromPath[Target], from_day: FromDay = None, as_of: AsOf = None
    ) -> s.DrillDown:
        return plan.drill_down(target, *_period(from_day, as_of))
