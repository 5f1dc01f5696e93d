"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when asked) and the real Meilisearch.

``TIEUCHUAN_TEST_DATABASE_URL=postgresql://…`` runs the suite on PostgreSQL, each session in
its own schema; otherwise each session gets a fresh SQLite file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from catalog import clock, migrate
from catalog.store import make_engine
from search import config as meili_config
from search.server import MeiliProcess, find_or_install_binary


def _postgres_schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@dataclass
class FrozenClock:
    at: datetime  # what catalog.clock reads as the current time (aware); set it to move time


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FrozenClock]:
    """The project's clock stopped at 2026-12-01 20:50 UTC (03:50 on 2 December in Hanoi),
    in a process whose own time zone is UTC, as on most servers."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    frozen = FrozenClock(datetime(2026, 12, 1, 20, 50, tzinfo=UTC))
    monkeypatch.setattr(clock, "_source", lambda: frozen.at)
    yield frozen
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A freshly migrated database for this test session."""
    base = os.environ.get("TIEUCHUAN_TEST_DATABASE_URL")
    if not base:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'catalog.db'}"
        migrate.upgrade(url)
        yield url
        return
    schema = f"t_{secrets.token_hex(6)}"
    admin = make_engine(_postgres_schema_url(base, "public"))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _postgres_schema_url(base, schema)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def _session_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(_session_engine: Engine) -> Iterator[Engine]:
    """The session's engine; every table is emptied after each test."""
    yield _session_engine
    empty_tables(_session_engine)


def empty_tables(engine: Engine) -> None:
    """Every table emptied (a module-scoped fixture's data is emptied with it at its end)."""
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{name}"' for name in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(scope="session")
def meili_binary() -> Path:
    """The real Meilisearch binary, cached in var/bin so it is fetched once."""
    return find_or_install_binary(meili_config.bin_dir())


@pytest.fixture(scope="session")
def meili_server(
    meili_binary: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MeiliProcess]:
    """One real Meilisearch for the whole session, on a free loopback port.

    Tests sharing it must use their own index names (see ``index_prefix``).
    """
    with MeiliProcess.start(meili_binary, tmp_path_factory.mktemp("meili")) as server:
        yield server


@pytest.fixture(scope="module")
def pausable_meili(
    meili_binary: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MeiliProcess]:
    """A real Meilisearch of a test module's own, for tests that pause it (see ``paused``)."""
    with MeiliProcess.start(meili_binary, tmp_path_factory.mktemp("pausable-meili")) as server:
        yield server


@contextlib.contextmanager
def _paused(server: MeiliProcess) -> Iterator[None]:
    os.kill(server.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(server.pid, signal.SIGCONT)


@pytest.fixture
def paused() -> Callable[[MeiliProcess], contextlib.AbstractContextManager[None]]:
    """``with paused(server):`` Meilisearch hung: stopped with SIGSTOP (its port still accepts
    connections, nothing answers), continued with SIGCONT on the way out whatever happens."""
    return _paused


@pytest.fixture
def index_prefix(request: pytest.FixtureRequest) -> str:
    """A prefix for index names unique to this test, so tests never see each other's data."""
    return f"t{secrets.token_hex(4)}_"
