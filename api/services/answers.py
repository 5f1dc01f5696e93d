"""Applicability answers for the API, computed from the shared in-memory catalog graph.

The graph (:class:`~catalog.readmodel.SharedCatalogGraph`) is rebuilt when the catalog
changes: at once after a write through the API (:meth:`AnswerService.invalidate`), and within
``check_every`` seconds after a write by another process (ingest). The JSON of an answer is
held for every day of its span (:mod:`api.services.encoded_answers`) with the graph it came
from; answers as objects (for checklists and pages) are computed each time.
"""

from __future__ import annotations

from datetime import date

from litestar.serialization import encode_json
from sqlalchemy import Engine
from sqlmodel import Session

from api.services.encoded_answers import EncodedAnswers
from api.services.products import product_not_found
from catalog.applicability import (
    Applicability,
    ProductNotFound,
    applicable_in,
    applicable_over,
    find_product,
    prepare_graph,
    resolve_product,
)
from catalog.readmodel import CatalogGraph, ProductRow, SharedCatalogGraph
from catalog.vocab import Role

AnswerKey = tuple[str, date, Role | None, bool]


class AnswerService:
    def __init__(self, engine: Engine, *, check_every: float = 2.0, held: int = 50_000) -> None:
        self.engine = engine
        self.graph = SharedCatalogGraph(engine, check_every=check_every, prepare=prepare_graph)
        self.held = held  # encoded answers held per graph; 0: none

    def answer_now(self, key: AnswerKey) -> Applicability | None:
        """The answer when it needs no database access (safe on the event loop), else None:
        a version check of the catalog is due, or the product is not in the graph."""
        graph = self.graph.fresh()
        return self._answer(graph, key) if graph is not None else None

    def answer(self, key: AnswerKey) -> Applicability:
        """The answer, checking the catalog's version first if due (blocking: run it in a
        worker thread). An unknown product raises a 404 problem with suggestions."""
        graph, product = self._product(key[0])
        return self._answer(graph, key, product)

    def json_now(self, key: AnswerKey) -> bytes | None:
        """The answer's JSON when it needs no database access, else None (as :meth:`answer_now`)."""
        graph = self.graph.fresh()
        if graph is None:
            return None
        product = find_product(graph, key[0])
        return self._json(graph, key, product) if product is not None else None

    def json(self, key: AnswerKey) -> bytes:
        """The answer's JSON (blocking, as :meth:`answer`)."""
        graph, product = self._product(key[0])
        return self._json(graph, key, product)

    def stats(self) -> dict[str, int]:
        """How many answers the current graph holds encoded, and how often they served."""
        graph = self.graph.fresh()
        held = graph.derived.get("api.encoded_answers") if graph is not None else None
        if held is None:
            return {"held": 0, "served_held": 0, "computed": 0}
        return {"held": held.held, "served_held": held.hits, "computed": held.misses}

    def invalidate(self) -> None:
        self.graph.invalidate()

    def _product(self, reference: str) -> tuple[CatalogGraph, ProductRow]:
        """The current graph and the product ``reference`` names in it, or a 404 problem."""
        graph = self.graph.current()
        found = find_product(graph, reference)
        if found is not None:
            return graph, found
        with Session(self.engine) as session:
            try:
                resolve_product(session, reference)
            except ProductNotFound as exc:
                raise product_not_found(exc) from exc
        self.graph.invalidate()  # the product is newer than the graph
        graph = self.graph.current()
        found = find_product(graph, reference)
        if found is None:
            raise product_not_found(ProductNotFound(reference, []))
        return graph, found

    @staticmethod
    def _answer(
        graph: CatalogGraph, key: AnswerKey, product: ProductRow | None = None
    ) -> Applicability | None:
        reference, day, role, mandatory_only = key
        product = product or find_product(graph, reference)
        if product is None:
            return None
        return applicable_in(graph, product.id, day, role=role, mandatory_only=mandatory_only)

    def _json(self, graph: CatalogGraph, key: AnswerKey, product: ProductRow) -> bytes:
        _, day, role, mandatory_only = key
        if not self.held:
            return encode_json(self._answer(graph, key, product))
        held = EncodedAnswers.of(graph, self.held)
        kind = (product.id, role, mandatory_only)
        found = held.get(kind, day)
        if found is not None:
            return found
        answer, span = applicable_over(
            graph, product.id, day, role=role, mandatory_only=mandatory_only
        )
        return held.put(kind, answer, span)
