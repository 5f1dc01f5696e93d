"""HTTP endpoints of the provincial plan: its records (read by anyone, written by editors,
every write audited), its figures for a period with the records behind each, the annual
report and its reminder. Thin: the work is in :mod:`catalog.plan`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, delete, get, post
from litestar.params import FromPath, FromQuery, JSONBody, PathParameter, QueryParameter
from sqlmodel import Session, col, select

from api.auth import requires
from api.deps import AuditLog, DbSession
from api.params import MOMENT_SCHEMA, AsOf, day_asked
from api.problems import Problem, problem_responses
from api.reports import plan_schemas as s
from api.reports.plan_report import PlanReportController
from catalog.models import table_name
from catalog.plan import measure, records
from catalog.plan.models import OutreachProducer, TrainingAttendance
from catalog.reports.plan import PLAN_2021_2025
from catalog.upsert import ChangeContext, UpsertResult
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
_EDIT: dict[str, Any] = {
    "guards": [requires(ApiRole.EDITOR)],
    "sync_to_thread": True,
    "responses": problem_responses(400, 401, 403),
}


def record_view(session: Session, kind: str, row: Any) -> dict[str, Any]:
    """A record as the API shows it, with its list when it has one."""
    view = row.model_dump(mode="json")
    if kind == "training" and row.listed:
        view["participants"] = [
            {"person": a.person, "organisation": a.organisation, "kind": a.kind.value}
            for a in session.exec(
                select(TrainingAttendance).where(TrainingAttendance.course_id == row.id)
            )
        ]
    if kind == "outreach" and row.listed:
        view["producers"] = [
            p.producer
            for p in session.exec(
                select(OutreachProducer).where(OutreachProducer.outreach_id == row.id)
            )
        ]
    return view


def _period(from_day: str | None, as_of: str | None) -> tuple[date, date]:
    start = day_asked(from_day, "from") if from_day is not None else PLAN_2021_2025.starts
    end = day_asked(as_of)
    if start > end:
        raise Problem(400, "Invalid period", f"from ({start}) is after as_of ({end})")
    return start, end


class PlanController(Controller):
    path = "/plan"
    tags = ("plan",)

    def _save(
        self,
        request: Request,
        session: Session,
        audit: AuditLog,
        kind: str,
        write: Callable[[ChangeContext], UpsertResult],
        data: Any,
    ) -> s.SavedRecord:
        key = getattr(request.state, "api_key", None)
        try:
            result = write(ChangeContext(actor=key.name if key else None))
        except records.PlanRecordError as exc:
            raise Problem(400, f"Invalid {kind} record", str(exc)) from exc
        before = {c.field: c.old_value for c in result.changes} or None
        audit.record(str(result.outcome), result.row.__tablename__, result.row.id, before, data)
        session.commit()
        return s.SavedRecord(
            kind=kind, outcome=str(result.outcome), record=record_view(session, kind, result.row)
        )

    @staticmethod
    def _origin(request: Request) -> dict[str, Any]:
        key = getattr(request.state, "api_key", None)
        return {"source": "api", "source_ref": key.prefix if key else None}

    @post("/records/training", summary="Record a training course (editor)", **_EDIT)
    def training(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[s.TrainingIn]
    ) -> s.SavedRecord:
        item = records.TrainingInput(
            held_on=data.held_on,
            topic=data.topic,
            organiser=data.organiser,
            place=data.place,
            ends_on=data.ends_on,
            counts=dict(data.counts),
            participants=[
                records.Participant(p.person, p.kind, p.organisation) for p in data.participants
            ],
            note=data.note,
        )
        return self._save(
            request,
            db_session,
            audit,
            "training",
            lambda c: records.save_training(
                db_session, item, context=c, provenance=self._origin(request)
            ),
            data,
        )

    @post("/records/experts", summary="Record an expert trained (editor)", **_EDIT)
    def expert(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[s.ExpertIn]
    ) -> s.SavedRecord:
        item = records.ExpertInput(
            data.person,
            data.organisation,
            data.kind,
            data.course,
            data.certified_on,
            data.certificate,
            data.note,
        )
        return self._save(
            request,
            db_session,
            audit,
            "experts",
            lambda c: records.save_expert(
                db_session, item, context=c, provenance=self._origin(request)
            ),
            data,
        )

    @post("/records/support", summary="Record support given to an enterprise (editor)", **_EDIT)
    def support(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[s.SupportIn]
    ) -> s.SavedRecord:
        item = records.SupportInput(
            data.enterprise,
            data.kind,
            data.given_on,
            data.funding,
            data.description,
            data.tax_code,
            data.amount_vnd,
            data.note,
        )
        return self._save(
            request,
            db_session,
            audit,
            "support",
            lambda c: records.save_support(
                db_session, item, context=c, provenance=self._origin(request)
            ),
            data,
        )

    @post("/records/register", summary="Record the producer register's count (editor)", **_EDIT)
    def register(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[s.RegisterIn]
    ) -> s.SavedRecord:
        item = records.RegisterInput(data.as_of, data.producers, data.source, data.note)
        return self._save(
            request,
            db_session,
            audit,
            "register",
            lambda c: records.save_register(db_session, item, context=c),
            data,
        )

    @post("/records/outreach", summary="Record outreach to producers (editor)", **_EDIT)
    def outreach(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[s.OutreachIn]
    ) -> s.SavedRecord:
        item = records.OutreachInput(
            held_on=data.held_on,
            title=data.title,
            organiser=data.organiser,
            topics=data.topics,
            producers_reached=data.producers_reached,
            producers=[records.ReachedProducer(p.producer, p.tax_code) for p in data.producers],
            channel=data.channel,
            note=data.note,
        )
        return self._save(
            request,
            db_session,
            audit,
            "outreach",
            lambda c: records.save_outreach(
                db_session, item, context=c, provenance=self._origin(request)
            ),
            data,
        )

    @post("/records/award", summary="Record a National Quality Award stage (editor)", **_EDIT)
    def award(
        self, request: Request, db_session: DbSession, audit: AuditLog, data: JSONBody[s.AwardIn]
    ) -> s.SavedRecord:
        item = records.AwardInput(
            data.enterprise,
            data.year,
            data.stage,
            data.stage_on,
            data.result,
            data.tax_code,
            data.note,
        )
        return self._save(
            request,
            db_session,
            audit,
            "award",
            lambda c: records.save_award(
                db_session, item, context=c, provenance=self._origin(request)
            ),
            data,
        )

    @post("/records/trademarks", summary="Record an OCOP product's trademark (editor)", **_EDIT)
    def trademark(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        data: JSONBody[s.TrademarkIn],
    ) -> s.SavedRecord:
        item = records.TrademarkInput(
            data.product,
            data.mark,
            data.filed_on,
            data.application_number,
            data.certificate_number,
            data.granted_on,
            data.ended_on,
            data.ended_reason,
            data.note,
        )
        return self._save(
            request,
            db_session,
            audit,
            "trademarks",
            lambda c: records.save_trademark(
                db_session, item, context=c, provenance=self._origin(request)
            ),
            data,
        )

    @post("/records/milestones", summary="Record a traceability-portal milestone (editor)", **_EDIT)
    def milestone(
        self,
        request: Request,
        db_session: DbSession,
        audit: AuditLog,
        data: JSONBody[s.MilestoneIn],
    ) -> s.SavedRecord:
        item = records.MilestoneInput(
            data.title, data.due_on, data.done_on, data.evidence, data.note
        )
        return self._save(
            request,
            db_session,
            audit,
            "milestones",
            lambda c: records.save_milestone(
                db_session, item, context=c, provenance=self._origin(request)
            ),
            data,
        )

    @delete(
        "/records/{kind:str}/{record_id:int}",
        summary="Remove a record (editor)",
        guards=[requires(ApiRole.EDITOR)],
        sync_to_thread=True,
        status_code=204,
        responses=problem_responses(401, 403, 404),
    )
    def remove(
        self, db_session: DbSession, audit: AuditLog, kind: FromPath[Kind], record_id: RecordId
    ) -> None:
        before = records.delete_record(db_session, kind, record_id)
        if before is None:
            raise Problem(404, "Unknown record", f"no {kind} record has the id {record_id}")
        audit.record("delete", table_name(records.RECORD_TABLES[kind]), record_id, before, None)
        db_session.commit()

    @get("/records", summary="The plan's records of one kind", sync_to_thread=True)
    def list_records(self, db_session: DbSession, kind: FromQuery[Kind]) -> s.PlanRecords:
        model = records.RECORD_TABLES[kind]
        rows = db_session.exec(select(model).order_by(col(model.id))).all()
        views = [record_view(db_session, kind, r) for r in rows]
        return s.PlanRecords(kind=kind, count=len(views), records=views)

    @get("/figures", summary="The six numeric targets for a period", sync_to_thread=True)
    def figures(
        self, db_session: DbSession, from_day: FromDay = None, as_of: AsOf = None
    ) -> s.FiguresResponse:
        start, end = _period(from_day, as_of)
        found = measure.figures(measure.load(db_session), start, end)
        return s.FiguresResponse(
            start=start,
            end=end,
            includes_samples=any(f.includes_samples for f in found.values()),
            figures=[f.summary() for f in found.values()],
        )

    @get(
        "/figures/{target:str}",
        summary="One target's figure and the records behind it",
        sync_to_thread=True,
    )
    def drill_down(
        self,
        db_session: DbSession,
        target: FromPath[Target],
        from_day: FromDay = None,
        as_of: AsOf = None,
    ) -> s.DrillDown:
        start, end = _period(from_day, as_of)
        found = measure.figure(measure.load(db_session), target, start, end)
        return s.DrillDown(figure=found.summary(), records=list(found.records))


PLAN_HANDLERS = [PlanController, PlanReportController]
