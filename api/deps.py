"""Dependencies of the handlers: a database session per request, the audit log, services."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlmodel import Session

from api.services.audit import Audit

DbSession = NamedDependency[Session]
AuditLog = NamedDependency[Audit]


async def provide_session(state: State) -> AsyncGenerator[Session, None]:
    """One session per request, closed after the response (writes commit explicitly).

    An async generator on purpose: its cleanup runs on the event loop. A sync generator is
    closed through the same thread pool as the handlers, so under load a connection came
    back only after the handlers queued in front of its cleanup, and those were waiting for a
    connection: the pool deadlocked until its timeout. Opening a session touches no
    connection, and closing one returns its connection to the pool (a rollback, which does
    not wait on locks).
    """
    session = Session(state.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


def provide_audit(request: Request, db_session: DbSession) -> Audit:
    return Audit(db_session, getattr(request.state, "api_key", None))


DEPENDENCIES = {
    "db_session": Provide(provide_session),
    "audit": Provide(provide_audit, sync_to_thread=False),
}


def after_write(request: Request) -> None:
    """A write went through: forget cached answers, and refresh the search index if we can."""
    state = request.app.state
    state.answers.invalidate()
    reindex = state.get("reindex")
    if reindex is not None:
        reindex.request()
