"""Keeps Meilisearch in step with API writes: one background sync at a time, coalesced."""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from search import indexer

log = logging.getLogger("tieuchuan.api")


class Reindexer:
    """``request()`` after a write; a worker thread sends what changed (``indexer.sync``)."""

    def __init__(self, engine: Engine, url: str, master_key: str | None, prefix: str) -> None:
        self.engine, self.url, self.master_key, self.prefix = engine, url, master_key, prefix
        self._wanted = threading.Event()
        self._running = threading.Lock()

    def request(self) -> None:
        self._wanted.set()
        if self._running.acquire(blocking=False):
            threading.Thread(target=self._run, name="reindex", daemon=True).start()

    def _run(self) -> None:
        try:
            while self._wanted.is_set():
                self._wanted.clear()
                try:
                    report = indexer.sync(
                        self.engine, self.url, self.master_key, prefix=self.prefix
                    )
                    log.info("search index synced: %s", report)
                except Exception:  # a search outage must not fail writes
                    log.exception("search index sync failed; `tieuchuan index sync` will catch up")
        finally:
            self._running.release()
