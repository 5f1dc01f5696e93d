"""Applicability answers for the API, computed from the shared in-memory catalog graph.

The graph (:class:`~catalog.readmodel.SharedCatalogGraph`) is rebuilt when the catalog
changes: at once after a write through the API (:meth:`AnswerService.invalidate`), and within
``check_every`` seconds after a write by another process (ingest). Answers themselves are not
cached: each is computed from the graph, in memory, for whatever product and day is asked.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from api.services.products import product_not_found
from catalog.applicability import (
    Applicability,
    ProductNotFound,
    applicable_in,
    find_product,
    prepare_graph,
    resolve_product,
)
from catalog.readmodel import CatalogGraph, SharedCatalogGraph
from catalog.vocab import Role

AnswerKey = tuple[str, date, Role | None, bool]


class AnswerService:
    def __init__(self, engine: Engine, *, check_every: float = 2.0) -> None:
        self.engine = engine
        self.graph = SharedCatalogGraph(engine, check_every=check_every, prepare=prepare_graph)

    def answer_now(self, key: AnswerKey) -> Applicability | None:
        """The answer when it needs no database access (safe on the event loop), else None:
        a version check of the catalog is due, or the product is not in the graph."""
        graph = self.graph.fresh()
        return self._answer(graph, key) if graph is not None else None

    def answer(self, key: AnswerKey) -> Applicability:
        """The answer, checking the catalog's version first if due (blocking: run it in a
        worker thread). An unknown product raises a 404 problem with suggestions."""
        found = self._answer(self.graph.current(), key)
        if found is not None:
            return found
        reference = key[0]
        with Session(self.engine) as session:
            try:
                resolve_product(session, reference)
            except ProductNotFound as exc:
                raise product_not_found(exc) from exc
        self.graph.invalidate()  # the product is newer than the graph
        found = self._answer(self.graph.current(), key)
        if found is None:
            raise product_not_found(ProductNotFound(reference, []))
        return found

    def invalidate(self) -> None:
        self.graph.invalidate()

    @staticmethod
    def _answer(graph: CatalogGraph, key: AnswerKey) -> Applicability | None:
        reference, day, role, mandatory_only = key
        product = find_product(graph, reference)
        if product is None:
            return None
        return applicable_in(graph, product.id, day, role=role, mandatory_only=mandatory_only)
