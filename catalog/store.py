"""The relational store: which database, how to connect, and a session per unit of work.

``DATABASE_URL`` selects the database (``sqlite:///…`` or ``postgresql://…``); without it the
catalog lives in ``var/tieuchuan.db``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

from catalog.paths import var_dir


def database_url() -> str:
    """The configured database URL, with a driver that is installed (psycopg 3 for PostgreSQL)."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir() / 'tieuchuan.db'}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`).

    SQLite gets foreign keys enforced, WAL journaling and a busy timeout, so that it
    behaves like PostgreSQL for constraints and tolerates a concurrent reader.
    """
    url = url or database_url()
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no branch
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
