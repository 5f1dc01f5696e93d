"""Dependencies of the handlers: a database session per request, the audit log, services."""

from __future__ import annotations

from collections.abc import Generator

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlmodel import Session

from api.services.audit import Audit

DbSession = NamedDependency[Session]
AuditLog = NamedDependency[Audit]


def provide_session(state: State) -> Generator[Session, None, None]:
    """One session per request, closed after the response (writes commit explicitly)."""
    with Session(state.engine, expire_on_commit=False) as session:
        yield session


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
