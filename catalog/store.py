"""The relational store: which database, how to connect, and a session per unit of work.

``DATABASE_URL`` selects the database (``sqlite:///…`` or ``postgresql://…``); without it the
catalog lives in ``var/tieuchuan.db``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class PoolLimits:
    """How many connections an engine keeps and how long a statement may wait.

    The defaults suit batch jobs (ingest, indexing): a long wait for a lock is better than a
    failed run. A server passes tighter limits (see ``api.settings``) so that a request blocked
    by another writer fails fast with a clear error instead of holding a thread and a connection.
    """

    size: int = 5
    overflow: int = 10
    checkout_timeout: float = 30.0  # seconds to wait for a free connection
    lock_timeout: float = 30.0  # seconds a statement waits for a lock (SQLite: busy timeout)
    statement_timeout: float | None = None  # PostgreSQL only; None: unlimited


def make_engine(url: str | None = None, limits: PoolLimits = PoolLimits()) -> Engine:
    """An engine for ``url`` (default: :func:`database_url`) within ``limits``.

    SQLite gets foreign keys enforced, WAL journaling and a busy timeout, so that it
    behaves like PostgreSQL for constraints and tolerates a concurrent reader. PostgreSQL
    connections get ``lock_timeout`` (and ``statement_timeout`` when set) as session settings.
    """
    url = url or database_url()
    pool = dict(
        pool_size=limits.size, max_overflow=limits.overflow, pool_timeout=limits.checkout_timeout
    )
    if make_url(url).get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, **pool)
        settings = {
            "lock_timeout": limits.lock_timeout,
            "statement_timeout": limits.statement_timeout,
        }

        @event.listens_for(engine, "connect")
        def _postgres_timeouts(dbapi_connection: Any, _record: Any) -> None:  # pragma: no branch
            with dbapi_connection.cursor() as cursor:
                for name, seconds in settings.items():
                    if seconds is not None:
                        cursor.execute(f"SET {name} = {int(seconds * 1000)}")
            dbapi_connection.commit()

        return engine
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": limits.lock_timeout},
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # pragma: no branch
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
