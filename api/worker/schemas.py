"""What the API says about the worker: each job's state (on /ready) and the run log."""

from __future__ import annotations

from datetime import datetime

from msgspec import Struct

from catalog.models import WorkerJob, WorkerRun


class JobState(Struct, kw_only=True):
    """A scheduled job: how its last run ended, failures in a row, when it runs next."""

    name: str
    last_status: str | None
    last_finished_at: datetime | None
    failures: int
    next_due_at: datetime | None
    running: bool  # a worker holds its lease
    last_error: str | None

    @classmethod
    def of(cls, job: WorkerJob) -> JobState:
        never = job.next_due_at is not None and job.next_due_at.year == 9999
        return cls(
            name=job.name,
            last_status=job.last_status,
            last_finished_at=job.last_finished_at,
            failures=job.failures,
            next_due_at=None if never else job.next_due_at,
            running=job.holder is not None,
            last_error=job.last_error,
        )


class RunRecord(Struct, kw_only=True):
    """One run of a worker job."""

    id: int
    job: str
    worker: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    message: str | None
    ingest_run_id: int | None

    @classmethod
    def of(cls, run: WorkerRun) -> RunRecord:
        assert run.id is not None
        return cls(
            id=run.id,
            job=run.job,
            worker=run.worker,
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            message=run.message,
            ingest_run_id=run.ingest_run_id,
        )


class RunLog(Struct, kw_only=True):
    jobs: list[JobState]
    runs: list[RunRecord]  # newest first
