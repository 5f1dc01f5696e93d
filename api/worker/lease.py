"""Job leases in the database: at most one worker runs a job at a time, whatever the host.

A lease is taken with one conditional UPDATE, atomic on SQLite and PostgreSQL alike: the
row changes only if the job is due and its lease is free, expired or already ours. A worker
that dies holding a lease blocks the job only until ``lease_until``; a live one renews it
(:class:`Heartbeat`). Times are the workers' own UTC clocks, so hosts sharing a database
must keep their clocks in step (NTP), within a small part of the lease.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from catalog.models import WorkerJob
from catalog.vocab import RunStatus

log = logging.getLogger(__name__)


def wall_now() -> datetime:
    """The real time, in UTC: leases and schedules follow the wall clock, not the catalog's."""
    return datetime.now(UTC)


def ensure_jobs(engine: Engine, names: Iterable[str]) -> None:
    """A row for every job name (due at once); rows added by another worker meanwhile are fine."""
    for name in names:
        with Session(engine) as session:
            if session.get(WorkerJob, name) is not None:
                continue
            session.add(WorkerJob(name=name))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()  # another worker added it first


def take(engine: Engine, job: str, holder: str, seconds: float) -> bool:
    """Take the lease on ``job`` for ``seconds`` if it is due and nobody else holds it."""
    now = wall_now()
    statement = (
        update(WorkerJob)
        .where(
            col(WorkerJob.name) == job,
            or_(col(WorkerJob.next_due_at).is_(None), col(WorkerJob.next_due_at) <= now),
            or_(
                col(WorkerJob.holder).is_(None),
                col(WorkerJob.lease_until) < now,
                col(WorkerJob.holder) == holder,
            ),
        )
        .values(holder=holder, lease_until=now + timedelta(seconds=seconds))
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def renew(engine: Engine, job: str, holder: str, seconds: float) -> bool:
    """Push our lease on ``job`` ``seconds`` ahead; False if it is no longer ours."""
    statement = (
        update(WorkerJob)
        .where(and_(col(WorkerJob.name) == job, col(WorkerJob.holder) == holder))
        .values(lease_until=wall_now() + timedelta(seconds=seconds))
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def release(
    engine: Engine,
    job: str,
    holder: str,
    *,
    status: RunStatus,
    error: str | None,
    failures: int,
    next_due_at: datetime,
) -> None:
    """Give up our lease on ``job`` and record how its run ended and when it is due again."""
    statement = (
        update(WorkerJob)
        .where(and_(col(WorkerJob.name) == job, col(WorkerJob.holder) == holder))
        .values(
            holder=None,
            lease_until=None,
            last_status=status,
            last_error=error,
            last_finished_at=wall_now(),
            failures=failures,
            next_due_at=next_due_at,
        )
    )
    with engine.begin() as connection:
        connection.execute(statement)


def make_due(engine: Engine, job: str) -> None:
    """Run ``job`` at the next look (the index sync, after a source changed the catalog)."""
    with engine.begin() as connection:
        connection.execute(
            update(WorkerJob).where(col(WorkerJob.name) == job).values(next_due_at=wall_now())
        )


class Heartbeat:
    """Renews a lease every third of its length while a job runs, in a background thread."""

    def __init__(self, engine: Engine, job: str, holder: str, seconds: float) -> None:
        self._args = (engine, job, holder, seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{job}", daemon=True)

    def _beat(self) -> None:
        engine, job, holder, seconds = self._args
        while not self._stop.wait(seconds / 3):
            try:
                if not renew(engine, job, holder, seconds):
                    log.error("worker: lost the lease on %s (expired and taken over?)", job)
                    return
            except Exception:
                log.exception("worker: could not renew the lease on %s", job)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
