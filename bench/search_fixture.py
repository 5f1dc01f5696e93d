"""Shared set-up of the search benchmarks: the bundled dataset in a scratch database,
indexed into a Meilisearch (MEILI_URL/MEILI_MASTER_KEY, else a fresh local one)."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from catalog import migrate
from catalog.store import make_engine
from ingest.jobs import BUNDLED_DATASET, ingest_bundled
from search import indexer
from search.config import bin_dir
from search.server import MeiliProcess, find_or_install_binary


@dataclass
class Setup:
    engine: Engine
    url: str
    master_key: str | None
    prefix: str
    search_key: str
    build_seconds: float
    documents: int
    products: int
    database_url: str
    meili_pid: int | None  # None when MEILI_URL names a server run elsewhere


@contextlib.contextmanager
def bundled_setup(prefix: str) -> Iterator[Setup]:
    with (
        tempfile.TemporaryDirectory(prefix="tieuchuan-bench-") as tmp,
        _meili(Path(tmp)) as (url, master_key, meili_pid),
    ):
        db_url = f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(db_url)
        engine = make_engine(db_url)
        started = time.monotonic()
        ingest_bundled(engine, BUNDLED_DATASET)
        print(
            f"loaded the bundled dataset ({BUNDLED_DATASET}) in {time.monotonic() - started:.1f} s"
        )
        report = indexer.rebuild(engine, url, master_key, prefix=prefix)
        key = indexer.ensure_search_key(url, master_key, prefix=prefix)
        try:
            yield Setup(
                engine,
                url,
                master_key,
                prefix,
                key,
                report.seconds,
                report.documents,
                report.products,
                db_url,
                meili_pid,
            )
        finally:
            engine.dispose()


@contextlib.contextmanager
def _meili(tmp: Path) -> Iterator[tuple[str, str | None, int | None]]:
    if os.environ.get("MEILI_URL"):
        yield os.environ["MEILI_URL"], os.environ.get("MEILI_MASTER_KEY"), None
        return
    binary = find_or_install_binary(bin_dir(), log=lambda _m: None)
    with MeiliProcess.start(binary, tmp / "meili") as server:
        print(f"started Meilisearch {server.url} (pid {server.pid}) for the benchmark")
        yield server.url, server.master_key, server.pid
