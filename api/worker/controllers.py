"""``GET /api/v1/changes/runs``: the worker's jobs and latest runs (the change feed's run log)."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.params import Parameter
from sqlmodel import Session, col, select

from api.deps import DbSession
from api.worker.schemas import JobState, RunLog, RunRecord
from catalog.models import WorkerJob, WorkerRun


def job_states(session: Session) -> list[JobState]:
    jobs = session.exec(select(WorkerJob).order_by(col(WorkerJob.name))).all()
    return [JobState.of(job) for job in jobs]


@get(
    "/changes/runs",
    summary="The worker's jobs (sources, index, webhooks) and its latest runs",
    tags=["changes"],
    sync_to_thread=True,
)
def run_log(
    db_session: DbSession,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
    job: Annotated[str | None, Parameter(max_length=80)] = None,
) -> RunLog:
    query = select(WorkerRun).order_by(col(WorkerRun.id).desc()).limit(limit)
    if job:
        query = query.where(col(WorkerRun.job) == job)
    runs = db_session.exec(query).all()
    return RunLog(jobs=job_states(db_session), runs=[RunRecord.of(run) for run in runs])
