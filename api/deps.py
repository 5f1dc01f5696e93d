"""The handlers' dependencies, declared in one place: a database session per request, the
audit log, the caller's key, the app's services and the domain services built on them.

A handler names what it needs by parameter (``db_session: DbSession``,
``reports: Reports``…) and Litestar injects it from :data:`DEPENDENCIES`, registered on the
app. The app's long-lived services live in ``app.state`` (:mod:`api.state`); only the
providers below read them there.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation
from sqlalchemy import Engine
from sqlmodel import Session

from api.declarations.services import DeclarationService
from api.plan.services import PlanService
from api.reports.services import ChangeService, ReportService
from api.services.answers import AnswerService
from api.services.audit import Audit
from api.settings import ApiSettings
from api.state import (
    answers_of,
    engine_of,
    reindexer_of,
    search_of,
    settings_of,
)
from api.watchlists.services import WatchListService
from catalog.models import ApiKey
from search.query import SearchService

DbSession = NamedDependency[Session]
AuditLog = NamedDependency[Audit]
Caller = NamedDependency[SkipValidation[ApiKey | None]]
Settings = NamedDependency[SkipValidation[ApiSettings]]
DbEngine = NamedDependency[SkipValidation[Engine]]
Answers = NamedDependency[SkipValidation[AnswerService]]
Search = NamedDependency[SkipValidation[SearchService | None]]
Reports = NamedDependency[SkipValidation[ReportService]]
Changes = NamedDependency[SkipValidation[ChangeService]]
WatchLists = NamedDependency[SkipValidation[WatchListService]]
Declarations = NamedDependency[SkipValidation[DeclarationService]]
Plan = NamedDependency[SkipValidation[PlanService]]


async def provide_session(state: State) -> AsyncGenerator[Session, None]:
    """One session per request, closed after the response (writes commit explicitly).

    An async generator on purpose: its cleanup runs on the event loop. A sync generator is
    closed through the same thread pool as the handlers, so under load a connection came
    back only after the handlers queued in front of its cleanup, and those were waiting for a
    connection: the pool deadlocked until its timeout. Opening a session touches no
    connection, and closing one returns its connection to the pool (a rollback, which does
    not wait on locks).
    """
    session = Session(engine_of(state), expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


def provide_caller(request: Request) -> ApiKey | None:
    """The API key the request was let in with (set by the guard), or None."""
    key: ApiKey | None = getattr(request.state, "api_key", None)
    return key


def provide_audit(db_session: DbSession, caller: Caller) -> Audit:
    return Audit(db_session, caller)


def provide_settings(state: State) -> ApiSettings:
    return settings_of(state)


def provide_engine(state: State) -> Engine:
    return engine_of(state)


def provide_answers(state: State) -> AnswerService:
    return answers_of(state)


def provide_search(state: State) -> SearchService | None:
    return search_of(state)


def provide_reports(db_session: DbSession, answers: Answers, settings: Settings) -> ReportService:
    return ReportService(db_session, answers.graph, settings)


def provide_changes(db_session: DbSession, settings: Settings) -> ChangeService:
    return ChangeService(db_session, settings.public_url)


def provide_watch_lists(db_session: DbSession, settings: Settings) -> WatchListService:
    return WatchListService(db_session, settings.public_url, settings.webhook_addresses)


def provide_declarations(db_session: DbSession) -> DeclarationService:
    return DeclarationService(db_session)


def provide_plan(db_session: DbSession) -> PlanService:
    return PlanService(db_session)


def _now(provider: Callable[..., Any]) -> Provide:
    """A provider that does no I/O: called on the event loop, not in a thread."""
    return Provide(provider, sync_to_thread=False)


DEPENDENCIES = {
    "db_session": Provide(provide_session),
    "caller": _now(provide_caller),
    "audit": _now(provide_audit),
    "settings": _now(provide_settings),
    "engine": _now(provide_engine),
    "answers": _now(provide_answers),
    "search": _now(provide_search),
    "reports": _now(provide_reports),
    "changes": _now(provide_changes),
    "watch_lists": _now(provide_watch_lists),
    "declarations": _now(provide_declarations),
    "plan": _now(provide_plan),
}


def after_write(request: Request) -> None:
    """A write went through: forget cached answers, and refresh the search index if we can."""
    state = request.app.state
    answers_of(state).invalidate()
    reindex = reindexer_of(state)
    if reindex is not None:
        reindex.request()
