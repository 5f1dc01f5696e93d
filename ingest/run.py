"""One ingest run of one source: atomic, counted, timed and recorded.

The run's ``IngestRun`` row is committed first, on its own, so that even a run that is
killed leaves a trace ("running" forever). Everything the run writes — records, field
changes, rejects, and the run's final counts — is then written in *one* transaction:
a crash, an exception or a kill mid-run rolls all of it back and the previous data
stays intact; rerunning completes it. A run that fails with an exception is marked
failed, with the error, in a separate transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from catalog.models import IngestRun
from catalog.upsert import Outcome
from catalog.vocab import RunStatus
from ingest.records import Parsed
from ingest.writer import StoreWriter


@dataclass
class RunSummary:
    run_id: int
    source: str
    status: RunStatus
    new: int
    updated: int
    unchanged: int
    rejected: int
    stubs: int
    seconds: float

    @property
    def records(self) -> int:
        return self.new + self.updated + self.unchanged

    def line(self) -> str:
        changed = "no changes" if not (self.new or self.updated) else "changed"
        return (
            f"{self.source}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected ({changed}) in {self.seconds:.1f} s — run #{self.run_id}"
        )


def run_ingest(
    engine: Engine,
    source: str,
    origin: str | None,
    items: Iterable[Parsed],
    *,
    progress: Callable[[StoreWriter], None] | None = None,
    after_commit: Callable[[], None] | None = None,
) -> RunSummary:
    """Write ``items`` (records and rejects, possibly produced lazily) as one run."""
    started = time.perf_counter()
    with Session(engine, expire_on_commit=False) as session:
        run = IngestRun(source=source, origin=(origin or "")[:1000] or None)
        session.add(run)
        session.commit()
        run_id = run.id
    assert run_id is not None
    try:
        with Session(engine, expire_on_commit=False) as session:
            writer = StoreWriter(session, run_id)
            for item in items:
                writer.take(item)
                if progress:
                    progress(writer)
            writer.finish()
            run = session.get(IngestRun, run_id)
            assert run is not None
            run.status = RunStatus.SUCCEEDED
            run.finished_at = datetime.now(UTC)
            run.new = writer.counts[Outcome.NEW]
            run.updated = writer.counts[Outcome.UPDATED]
            run.unchanged = writer.counts[Outcome.UNCHANGED]
            run.rejected = writer.counts["rejected"]
            if writer.stubs:
                run.message = f"{writer.stubs} referenced document(s) created with their code only"
            session.add(run)
            session.commit()
    except BaseException as exc:
        _mark_failed(engine, run_id, exc)
        raise
    if after_commit:
        after_commit()
    return RunSummary(
        run_id=run_id,
        source=source,
        status=RunStatus.SUCCEEDED,
        new=run.new,
        updated=run.updated,
        unchanged=run.unchanged,
        rejected=run.rejected,
        stubs=writer.stubs,
        seconds=time.perf_counter() - started,
    )


def _mark_failed(engine: Engine, run_id: int, exc: BaseException) -> None:
    with Session(engine) as session:
        run = session.get(IngestRun, run_id)
        if run is None:
            return
        run.status = RunStatus.FAILED
        run.finished_at = datetime.now(UTC)
        run.message = f"{type(exc).__name__}: {exc}"[:2000] + " (nothing of this run was kept)"
        session.add(run)
        session.commit()
