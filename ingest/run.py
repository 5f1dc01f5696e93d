"""One ingest run of one source: atomic, counted, timed and recorded.

The run's ``IngestRun`` row is committed first, on its own, with the process id and host
name, so that even a run that is killed leaves a trace: "running" until a later run (or
``ingest report``) on the same host finds its process gone and marks it "aborted" (see
:func:`reap_dead_runs`). Everything the run writes — records, field
changes, rejects, and the run's final counts — is then written in *one* transaction:
a crash, an exception or a kill mid-run rolls all of it back and the previous data
stays intact; rerunning completes it. A run that fails with an exception is marked
failed, with the error, in a separate transaction.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from catalog.models import IngestRun, saved_id
from catalog.processes import process_alive
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
    reap_dead_runs(engine)
    with Session(engine, expire_on_commit=False) as session:
        pid, host = this_process()
        run = IngestRun(source=source, origin=(origin or "")[:1000] or None, pid=pid, host=host)
        session.add(run)
        session.commit()
        run_id = saved_id(run)
    try:
        with Session(engine, expire_on_commit=False) as session:
            writer = StoreWriter(session, run_id)
            for item in items:
                writer.take(item)
                if progress:
                    progress(writer)
            writer.finish()
            run = session.get_one(IngestRun, run_id)
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
        mark_failed(engine, run_id, exc)
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


def mark_failed(engine: Engine, run_id: int, exc: BaseException) -> None:
    """Record that run ``run_id`` failed with ``exc`` (its transaction was rolled back)."""
    with Session(engine) as session:
        run = session.get(IngestRun, run_id)
        if run is None:
            return
        run.status = RunStatus.FAILED
        run.finished_at = datetime.now(UTC)
        run.message = f"{type(exc).__name__}: {exc}"[:2000] + " (nothing of this run was kept)"
        session.add(run)
        session.commit()


def this_process() -> tuple[int, str]:
    """The ``pid`` and ``host`` of a run started by this process."""
    return os.getpid(), socket.gethostname()[:255]


def reap_dead_runs(engine: Engine) -> list[int]:
    """Mark "aborted" the runs still "running" whose process, on this host, is gone.

    Such a run was killed (SIGKILL, SIGTERM, a crash of the machine): its one transaction
    was rolled back, so nothing of it was kept. Runs of other hosts, and runs recorded
    without a process id, are left alone: there is no telling whether they are alive. A
    process id reused by a newer process keeps its run "running" (never the other way).
    """
    _pid, host = this_process()
    with Session(engine) as session:
        running = session.exec(
            select(IngestRun).where(
                IngestRun.status == RunStatus.RUNNING,
                IngestRun.host == host,
                col(IngestRun.pid).is_not(None),
            )
        ).all()
        dead = [run for run in running if run.pid is not None and not process_alive(run.pid)]
        for run in dead:
            run.status = RunStatus.ABORTED
            run.finished_at = datetime.now(UTC)
            run.message = (
                f"aborted: its process {run.pid} on {run.host} is gone (killed?); "
                "nothing of this run was kept"
            )
            session.add(run)
        session.commit()
        return [run.id for run in dead if run.id is not None]
