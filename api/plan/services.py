"""The plan's records, figures and annual report over the store, for the API.

Every kind of record is written the same way: the API body becomes the catalog's input of
that kind (the fields have the same names, so :func:`msgspec.convert` maps one onto the
other, lists included), :mod:`catalog.plan.records` checks and upserts it, and the write is
audited with what it changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec
from sqlmodel import Session, col, select

from api.plan import schemas as s
from api.problems import Problem
from api.responses import DOCX, XLSX, Download
from api.services.audit import Audit
from catalog.models import table_name
from catalog.plan import measure, records
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
from catalog.plan.models import OutreachProducer, TrainingAttendance
from catalog.upsert import UpsertResult


@dataclass(frozen=True)
class RecordKind:
    """How the API writes one kind of record."""

    body: type[msgspec.Struct]  # what the API takes
    input: type  # what catalog.plan.records takes
    save: Callable[..., UpsertResult]
    summary: str
    with_provenance: bool = True  # the producer register's count carries none


RECORD_KINDS: dict[str, RecordKind] = {
    "training": RecordKind(
        s.TrainingIn, records.TrainingInput, records.save_training, "Record a training course"
    ),
    "experts": RecordKind(
        s.ExpertIn, records.ExpertInput, records.save_expert, "Record an expert trained"
    ),
    "support": RecordKind(
        s.SupportIn,
        records.SupportInput,
        records.save_support,
        "Record support given to an enterprise",
    ),
    "register": RecordKind(
        s.RegisterIn,
        records.RegisterInput,
        records.save_register,
        "Record the producer register's count",
        with_provenance=False,
    ),
    "outreach": RecordKind(
        s.OutreachIn, records.OutreachInput, records.save_outreach, "Record outreach to producers"
    ),
    "award": RecordKind(
        s.AwardIn,
        records.AwardInput,
        records.save_award,
        "Record a National Quality Award stage",
    ),
    "trademarks": RecordKind(
        s.TrademarkIn,
        records.TrademarkInput,
        records.save_trademark,
        "Record an OCOP product's trademark",
    ),
    "milestones": RecordKind(
        s.MilestoneIn,
        records.MilestoneInput,
        records.save_milestone,
        "Record a traceability-portal milestone",
    ),
}


def record_view(session: Session, kind: str, row: Any) -> dict[str, Any]:
    """A record as the API shows it, with its list when it has one."""
    view: dict[str, Any] = row.model_dump(mode="json")
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


class PlanService:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, kind: str, data: msgspec.Struct, audit: Audit) -> s.SavedRecord:
        """Write one record of ``kind`` from its API body; a bad one is a 400 problem."""
        how = RECORD_KINDS[kind]
        item: Any = msgspec.convert(data, how.input, from_attributes=True)
        extra = {"provenance": audit.provenance()} if how.with_provenance else {}
        try:
            result = how.save(self.session, item, context=audit.context(), **extra)
        except records.PlanRecordError as exc:
            raise Problem(400, f"Invalid {kind} record", str(exc)) from exc
        audit.record_upsert(result, data)
        self.session.commit()
        return s.SavedRecord(
            kind=kind,
            outcome=str(result.outcome),
            record=record_view(self.session, kind, result.row),
        )

    def delete(self, kind: str, record_id: int, audit: Audit) -> None:
        before = records.delete_record(self.session, kind, record_id)
        if before is None:
            raise Problem(404, "Unknown record", f"no {kind} record has the id {record_id}")
        audit.record("delete", table_name(records.RECORD_TABLES[kind]), record_id, before, None)
        self.session.commit()

    def records(self, kind: str) -> s.PlanRecords:
        model = records.RECORD_TABLES[kind]
        rows = self.session.exec(select(model).order_by(col(model.id))).all()
        views = [record_view(self.session, kind, r) for r in rows]
        return s.PlanRecords(kind=kind, count=len(views), records=views)

    def figures(self, start: date, end: date) -> s.FiguresResponse:
        found = measure.figures(measure.load(self.session), start, end)
        return s.FiguresResponse(
            start=start,
            end=end,
            includes_samples=any(f.includes_samples for f in found.values()),
            figures=[f.summary() for f in found.values()],
        )

    def drill_down(self, target: str, start: date, end: date) -> s.DrillDown:
        found = measure.figure(measure.load(self.session), target, start, end)
        return s.DrillDown(figure=found.summary(), records=list(found.records))

    def report_docx(self, year: int, number: str | None, by: str | None) -> Download:
        report = self._annual(year, number, by)
        name = f"bao-cao-ke-hoach-nang-suat-chat-luong-{year}.docx"
        return Download(report_docx(report), DOCX, name)

    def annex(self, year: int, by: str | None) -> Download:
        report = self._annual(year, None, by)
        return Download(annex_xlsx(report), XLSX, f"phu-luc-so-lieu-{year}.xlsx")

    def reminder(self) -> Reminder:
        return reminder(self.session)

    def _annual(self, year: int, number: str | None, by: str | None) -> AnnualReport:
        """The year's report, logged as generated through the web (a bad year: 400)."""
        try:
            report = annual_report(self.session, year, number=number)
        except AnnualReportError as exc:
            raise Problem(400, "Invalid report year", str(exc)) from exc
        record_generation(self.session, report, via="web", by=by)
        self.session.commit()
        return report
