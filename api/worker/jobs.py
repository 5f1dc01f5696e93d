"""The worker's jobs: a scheduled source, the search index sync and webhook delivery.

Each job is a function of the engine that returns what it did as a :class:`Outcome`, or
raises: the runner records either, and a failure never stops the other jobs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from api.webhooks.addresses import AddressPolicy
from api.webhooks.delivery import dispatch
from api.worker.schedule import SourceSchedule, WorkerSettings
from catalog.paths import var_dir

INDEX_JOB = "index"
WEBHOOKS_JOB = "webhooks"


@dataclass(frozen=True)
class Outcome:
    message: str
    changed: bool = False  # the catalog changed: the index should be synced now
    ingest_run_id: int | None = None


class JobFailed(RuntimeError):
    """A job ran but did not do all its work (webhook batches left undelivered)."""


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta | None  # None: only when made due (the index, after a change)
    run: Callable[[Engine], Outcome]


def source_job(schedule: SourceSchedule) -> Job:
    def run(engine: Engine) -> Outcome:
        from ingest.jobs import ingest

        origin = schedule.origin
        remote = origin is not None and origin.startswith(("http://", "https://"))
        summary = ingest(
            engine,
            schedule.name,
            origin=Path(origin) if origin and not remote else None,
            base_url=origin if remote else None,
        )
        return Outcome(
            summary.line(),
            changed=bool(summary.new or summary.updated),
            ingest_run_id=summary.run_id,
        )

    return Job(schedule.job, schedule.every, run)


def index_job(every: timedelta | None) -> Job:
    def run(engine: Engine) -> Outcome:
        from search import indexer
        from search.server import MeiliError, resolve_server

        url, master_key = resolve_server(var_dir())
        prefix = os.environ.get("MEILI_INDEX_PREFIX", "")
        try:
            report = indexer.sync(engine, url, master_key, prefix=prefix)
        except MeiliError as exc:
            if "has no sync time" not in str(exc):
                raise
            built = indexer.rebuild(engine, url, master_key, prefix=prefix)
            return Outcome(f"no index yet: built one of {built.documents} document(s)")
        return Outcome(
            f"sent {report.documents} document(s) and {report.products} product(s), "
            f"deleted {report.deleted}, changed since {report.since}"
        )

    return Job(INDEX_JOB, every, run)


def webhooks_job(every: timedelta | None) -> Job:
    def run(engine: Engine) -> Outcome:
        with Session(engine) as session:
            summary = dispatch(session, addresses=AddressPolicy.from_env())
        message = (
            f"{summary.webhooks} webhook(s): {summary.delivered} batch(es) delivered "
            f"({summary.changes} change(s)), {summary.failed} failed, {summary.attempts} attempt(s)"
        )
        if summary.failed:
            raise JobFailed(f"{message}: " + "; ".join(summary.failures))
        return Outcome(message)

    return Job(WEBHOOKS_JOB, every, run)


def all_jobs(settings: WorkerSettings) -> list[Job]:
    return [
        *(source_job(s) for s in settings.sources),
        index_job(settings.index_every),
        *([webhooks_job(settings.webhooks_every)] if settings.webhooks_every else []),
    ]
