"""Importing one of the plan's spreadsheets (:mod:`ingest.plan_sheets`) as one ingest run.

A row that cannot be read, or that the record checks refuse (an unknown OCOP product, a
participant list for a course not recorded, a row repeating an earlier one), is rejected
with its ``file:row`` and the reason; the rest is imported. Each row is saved in a
savepoint, so a refused row leaves nothing behind; the run is atomic like every ingest run
(its ``IngestRun`` row is committed first, then everything else in one transaction).
Participant lists are saved per course once the whole sheet is read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from catalog.models import IngestReject, IngestRun, saved_id
from catalog.plan import records as r
from catalog.upsert import ChangeContext, Outcome, UpsertResult
from catalog.vocab import RunStatus
from ingest import plan_sheets
from ingest.records import Reject, RejectError
from ingest.run import RunSummary, mark_failed, reap_dead_runs, this_process
from ingest.sheets import SheetRow, read_sheet

KINDS = tuple(plan_sheets.PARSERS)
_SAVERS: dict[str, Callable[..., UpsertResult]] = {
    "training": r.save_training,
    "experts": r.save_expert,
    "support": r.save_support,
    "outreach": r.save_outreach,
    "award": r.save_award,
    "trademarks": r.save_trademark,
    "milestones": r.save_milestone,
}


def _excerpt(row: SheetRow) -> str:
    return " | ".join(str(v) for v in row.cells.values() if v not in (None, ""))[:300]


class _Run:
    """The counts and rejects of one import, written in its session."""

    def __init__(self, session: Session, run_id: int, path: Path) -> None:
        self.session = session
        self.run_id = run_id
        self.path = path
        self.context = ChangeContext(run_id=run_id)
        self.fetched = datetime.now(UTC)
        self.counts: dict[Any, int] = {o: 0 for o in Outcome} | {"rejected": 0}
        self.saved: dict[tuple[str, int], str] = {}  # record → the row that saved it

    def reject(self, location: str, reason: str, excerpt: str | None = None) -> None:
        self.counts["rejected"] += 1
        self.session.add(
            IngestReject(run_id=self.run_id, location=location, reason=reason, excerpt=excerpt)
        )

    def provenance(self, location: str) -> dict[str, Any]:
        return {
            "source": str(self.path),
            "source_ref": location,
            "fetched_at": self.fetched,
            "ingest_run_id": self.run_id,
        }

    def save(
        self, kind: str, location: str, excerpt: str, write: Callable[[], UpsertResult]
    ) -> None:
        """Write one record in a savepoint; a refusal or a repeated record is a reject."""
        savepoint = self.session.begin_nested()
        try:
            result = write()
        except r.PlanRecordError as exc:
            savepoint.rollback()
            self.reject(location, str(exc), excerpt)
            return
        mark = (kind, saved_id(result.row))
        if mark in self.saved:
            savepoint.rollback()
            self.reject(location, f"duplicate of row {self.saved[mark]}", excerpt)
            return
        savepoint.commit()
        self.saved[mark] = location.rsplit(":", 1)[-1]
        self.counts[result.outcome] += 1


def _rows(run: _Run, kind: str) -> Iterator[tuple[str, str, Any]]:
    """Parsed rows with their location, excerpt and input (the ``*Input`` of ``kind``);
    unreadable rows become rejects."""
    for row in read_sheet(run.path):
        if isinstance(row, Reject):
            run.reject(row.location, row.reason, row.excerpt)
            continue
        try:
            yield row.location, _excerpt(row), plan_sheets.parse(kind, row)
        except RejectError as exc:
            run.reject(row.location, str(exc), _excerpt(row))


def _import_records(run: _Run, kind: str) -> None:
    if kind == "register":
        for location, excerpt, item in _rows(run, kind):
            write = partial(r.save_register, run.session, item, context=run.context)
            run.save(kind, location, excerpt, write)
        return
    saver = _SAVERS[kind]
    for location, excerpt, item in _rows(run, kind):
        provenance = run.provenance(location)
        write = partial(saver, run.session, item, context=run.context, provenance=provenance)
        run.save(kind, location, excerpt, write)


def _import_attendance(run: _Run) -> None:
    """Participant lists: rows grouped by course, each course's list saved whole."""
    lists: dict[tuple[date, str], list[tuple[str, str, r.Participant]]] = {}
    for location, excerpt, item in _rows(run, "attendance"):
        lists.setdefault((item.held_on, item.topic), []).append(
            (location, excerpt, item.participant)
        )
    for (held_on, topic), rows in lists.items():
        course = r.find_training(run.session, held_on, topic)
        if course is None:
            for location, excerpt, _ in rows:
                run.reject(
                    location,
                    f"Chủ đề lớp: no course {topic!r} on {held_on:%d/%m/%Y} "
                    "is recorded (import the courses first)",
                    excerpt,
                )
            continue
        kept: dict[str, tuple[str, r.Participant]] = {}
        for location, excerpt, person in rows:
            key = r.person_key(person.person, person.organisation)
            if key in kept:
                run.reject(
                    location,
                    f"duplicate of row {kept[key][0].rsplit(':', 1)[-1]} ({person.person})",
                    excerpt,
                )
                continue
            kept[key] = (location, person)
        item = r.TrainingInput(
            held_on=course.held_on,
            topic=course.topic,
            organiser=course.organiser,
            place=course.place,
            ends_on=course.ends_on,
            participants=[p for _, p in kept.values()],
            note=course.note,
        )
        first = next(iter(kept.values()))[0]
        write = partial(
            r.save_training,
            run.session,
            item,
            context=run.context,
            provenance=run.provenance(first),
            sample=course.sample,
        )
        run.save("attendance", first, "", write)


def import_plan_sheet(engine: Engine, kind: str, path: Path) -> RunSummary:
    """Import the sheet of ``kind`` (one of :data:`KINDS`) at ``path`` as one run."""
    if kind not in KINDS:
        raise ValueError(f"unknown plan sheet {kind!r}: one of {', '.join(KINDS)}")
    source = f"plan:{kind}"
    started = time.perf_counter()
    reap_dead_runs(engine)
    with Session(engine, expire_on_commit=False) as session:
        pid, host = this_process()
        row = IngestRun(source=source, origin=str(path)[:1000], pid=pid, host=host)
        session.add(row)
        session.commit()
        run_id = saved_id(row)
    try:
        with Session(engine, expire_on_commit=False) as session:
            run = _Run(session, run_id, path)
            if kind == "attendance":
                _import_attendance(run)
            else:
                _import_records(run, kind)
            done = session.get_one(IngestRun, run_id)
            done.status = RunStatus.SUCCEEDED
            done.finished_at = datetime.now(UTC)
            done.new, done.updated = run.counts[Outcome.NEW], run.counts[Outcome.UPDATED]
            done.unchanged, done.rejected = run.counts[Outcome.UNCHANGED], run.counts["rejected"]
            session.add(done)
            session.commit()
            counts = run.counts
    except BaseException as exc:
        mark_failed(engine, run_id, exc)
        raise
    return RunSummary(
        run_id=run_id,
        source=source,
        status=RunStatus.SUCCEEDED,
        new=counts[Outcome.NEW],
        updated=counts[Outcome.UPDATED],
        unchanged=counts[Outcome.UNCHANGED],
        rejected=counts["rejected"],
        stubs=0,
        seconds=time.perf_counter() - started,
    )
