"""Liveness and readiness."""

from __future__ import annotations

import logging

import anyio
import msgspec
from litestar import Request, Response, get
from litestar.openapi import ResponseSpec
from sqlalchemy import text
from sqlmodel import Session

from api.deps import Answers, DbEngine, Search
from api.schemas import AnswerStats, Health, Readiness, ResponseStats
from api.state import held_responses_of
from api.worker.controllers import job_states
from api.worker.schemas import JobState
from search.server import MeiliError, MeiliUnavailable

log = logging.getLogger(__name__)


@get("/health", summary="The process answers", tags=["system"])
async def health() -> Health:
    """Always ``ok`` while the server runs (the cheapest JSON answer: the framework's floor)."""
    return Health(status="ok")


@get(
    "/ready",
    summary="Database and Meilisearch are reachable",
    tags=["system"],
    responses={503: ResponseSpec(data_container=Readiness, description="Not ready")},
)
async def ready(
    engine: DbEngine, search: Search, answers: Answers, request: Request
) -> Response[Readiness]:
    def check_database() -> str:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:
            return f"unreachable: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        return "ok"

    def worker_jobs() -> list[JobState]:
        try:
            with Session(engine) as session:
                return job_states(session)
        except Exception as exc:  # the database line says why
            log.info("ready: cannot read the worker's jobs: %s", exc)
            return []

    database = await anyio.to_thread.run_sync(check_database)
    jobs = await anyio.to_thread.run_sync(worker_jobs) if database == "ok" else []
    searching = "not configured (set MEILI_URL)"
    if search is not None:
        try:
            with anyio.fail_after(2):
                await search.index_version()
            searching = "ok"
        except (MeiliUnavailable, TimeoutError) as exc:
            log.info("ready: search unavailable: %s", exc)  # its address stays in the log
            searching = "unavailable"
        except MeiliError as exc:  # it answered, but refused (the key, an index)
            searching = f"failing: {exc}"
    ok = database == "ok" and searching == "ok"
    return Response(
        Readiness(
            status="ready" if ok else "not ready",
            database=database,
            search=searching,
            answers=msgspec.convert(answers.stats(), AnswerStats),
            responses=ResponseStats(**held_responses_of(request.app.state).stats()),
            jobs=jobs,
        ),
        status_code=200 if ok else 503,
    )
