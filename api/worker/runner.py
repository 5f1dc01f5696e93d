"""The worker's loop: take a due job's lease, run it, record the run, schedule the next.

A job that fails is tried again after a backoff that doubles with each failure in a row
(:meth:`WorkerSettings.retry_after`); the failure is kept on the job (``/ready``) and in the
run log (``/api/v1/changes/runs``), and the other jobs go on.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session

from api.worker import lease
from api.worker.jobs import INDEX_JOB, Job, Outcome, all_jobs
from api.worker.schedule import WorkerSettings
from catalog.models import WorkerJob, WorkerRun
from catalog.vocab import RunStatus

log = logging.getLogger(__name__)


def worker_identity() -> str:
    """``host:pid:token``: unique even when a pid is reused on another host."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{secrets.token_hex(4)}"


class Worker:
    def __init__(
        self,
        engine: Engine,
        settings: WorkerSettings,
        jobs: list[Job] | None = None,
        identity: str | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.jobs = all_jobs(settings) if jobs is None else jobs
        self.identity = identity or worker_identity()
        self.stopping = threading.Event()
        lease.ensure_jobs(engine, [job.name for job in self.jobs])

    def run_forever(self) -> None:
        """Run due jobs every tick until :attr:`stopping` is set."""
        while not self.stopping.is_set():
            self.run_due()
            self.stopping.wait(self.settings.tick)

    def run_due(self) -> list[WorkerRun]:
        """One look: every job that is due and free is run, in order; the runs recorded."""
        runs = []
        for job in self.jobs:
            if self.stopping.is_set():
                break
            if lease.take(self.engine, job.name, self.identity, self.settings.lease):
                runs.append(self._run(job))
        return runs

    def _run(self, job: Job) -> WorkerRun:
        with Session(self.engine, expire_on_commit=False) as session:
            run = WorkerRun(job=job.name, worker=self.identity, started_at=lease.wall_now())
            session.add(run)
            session.commit()
        outcome: Outcome | None = None
        error: str | None = None
        status = RunStatus.FAILED
        try:
            with lease.Heartbeat(self.engine, job.name, self.identity, self.settings.lease):
                outcome = job.run(self.engine)
            status = RunStatus.SUCCEEDED
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            log.warning("worker: %s failed: %s", job.name, error)
        except BaseException:  # stopped (SIGTERM, Ctrl-C) mid-job: free it for the next worker
            self._finish(job, run, RunStatus.ABORTED, None, "stopped while running")
            raise
        self._finish(job, run, status, outcome, error)
        if outcome is not None and outcome.changed and job.name != INDEX_JOB:
            lease.make_due(self.engine, INDEX_JOB)
        return run

    def _finish(
        self,
        job: Job,
        run: WorkerRun,
        status: RunStatus,
        outcome: Outcome | None,
        error: str | None,
    ) -> None:
        now = lease.wall_now()
        with Session(self.engine, expire_on_commit=False) as session:
            state = session.get(WorkerJob, job.name)
            failures = 0 if status == RunStatus.SUCCEEDED else (state.failures if state else 0) + 1
            run.finished_at = now
            run.status = status
            run.message = outcome.message if outcome else error
            run.ingest_run_id = outcome.ingest_run_id if outcome else None
            session.add(run)
            session.commit()
        if status == RunStatus.SUCCEEDED:
            wait = job.every
            next_due = now + wait if wait else None
        else:
            next_due = now + self.settings.retry_after(failures, job.every)
        lease.release(
            self.engine,
            job.name,
            self.identity,
            status=status,
            error=error,
            failures=failures,
            next_due_at=next_due or _never(),
        )


def _never() -> datetime:
    """The due time of a job that runs only when made due (the index sync without a period)."""
    return datetime(9999, 1, 1, tzinfo=UTC)
