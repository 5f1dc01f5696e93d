"""Applicability answers for the API, kept in memory between writes.

Answers are cached by (product reference, day, filters). A write through the API clears the
cache at once; writes made outside it (ingest) show within ``ttl`` seconds.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from api.services.products import product_not_found
from catalog.applicability import Applicability, ProductNotFound, applicable
from catalog.vocab import Role

AnswerKey = tuple[str, date, Role | None, bool]


class AnswerService:
    def __init__(self, engine: Engine, *, size: int = 4096, ttl: float = 30.0) -> None:
        self.engine = engine
        self.size = size
        self.ttl = ttl
        self._cache: OrderedDict[AnswerKey, tuple[float, Applicability]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def cached(self, key: AnswerKey) -> Applicability | None:
        """The cached answer, if fresh (safe to call from the event loop: no I/O)."""
        if self.size <= 0:
            return None
        with self._lock:
            found = self._cache.get(key)
            if found is None or time.monotonic() - found[0] > self.ttl:
                return None
            self._cache.move_to_end(key)
            self.hits += 1
            return found[1]

    def compute(self, key: AnswerKey) -> Applicability:
        """Answer from the database (blocking: run it in a worker thread)."""
        reference, day, role, mandatory_only = key
        with Session(self.engine) as session:
            try:
                answer = applicable(
                    session, reference, day, role=role, mandatory_only=mandatory_only
                )
            except ProductNotFound as exc:
                raise product_not_found(exc) from exc
        if self.size > 0:
            with self._lock:
                self.misses += 1
                self._cache[key] = (time.monotonic(), answer)
                while len(self._cache) > self.size:
                    self._cache.popitem(last=False)
        return answer

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
