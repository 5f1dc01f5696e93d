"""Applicability answers for the API, computed from the shared in-memory catalog graph.

The graph (:class:`~catalog.readmodel.SharedCatalogGraph`) is rebuilt when the catalog
changes: at once after a write through the API (:meth:`AnswerService.invalidate`), and within
``check_every`` seconds after a write by another process (ingest). The JSON of an answer is
held for every day of its span (:mod:`api.services.encoded_answers`), one set per graph
served; answers as objects (for checklists and pages) are computed each time.

Once a new graph serves, a background thread holds every product's answer for today, then its
answers for all other days, span by span, so that any question is served without computing
(under a second for the bundled data, about half a minute for 10,000 products). Until it is
done, an answer not yet held is computed when asked, and held from then on.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
from datetime import date, timedelta
from functools import partial

from sqlalchemy import Engine
from sqlmodel import Session

from api.services.encoded_answers import ANSWERS_HELD_MB, EncodedAnswer, EncodedAnswers, tagged
from api.services.facts_json import facts_answer_json
from api.services.products import product_not_found
from catalog import clock
from catalog.answer_facts import FactsAnswer, apply_facts
from catalog.applicability import (
    Applicability,
    DaySpan,
    applicable_in,
    applicable_over,
    prepare_graph,
)
from catalog.applicability.cache import EngineCache
from catalog.facts import NO_FACTS, Facts
from catalog.products import ProductNotFound, find_product, resolve_product
from catalog.readmodel import CatalogGraph, ProductRow, SharedCatalogGraph
from catalog.vocab import Role

HELD_BYTES = ANSWERS_HELD_MB * 2**20
SHED_EVERY = 500  # products
AnswerKey = tuple[str, date, Role | None, bool, str | None]  # product, day, role, mandatory, market


class AnswerService:
    def __init__(
        self, engine: Engine, *, check_every: float = 2.0, held_bytes: int = HELD_BYTES
    ) -> None:
        self.engine = engine
        self.graph = SharedCatalogGraph(
            engine, check_every=check_every, prepare=self._prepare, serving=self._serving
        )
        self.held_bytes = held_bytes  # the budget of the answers held per graph; 0: none
        # The encoded answers of the graph served last (a new set with each new graph).
        self._encoded: tuple[CatalogGraph, EncodedAnswers] | None = None
        self._encoded_lock = threading.Lock()

    def answer_now(self, key: AnswerKey) -> Applicability | None:
        """The answer when it needs no database access (safe on the event loop), else None:
        the graph must be rebuilt first, or the product is not in it."""
        found = self._product_now(key[0])
        return self._answer(*found, key) if found is not None else None

    def answer(self, key: AnswerKey) -> Applicability:
        """The answer, checking the catalog's version first if due (blocking: run it in a
        worker thread). An unknown product raises a 404 problem with suggestions."""
        return self._answer(*self._product(key[0]), key)

    def json_now(self, key: AnswerKey) -> EncodedAnswer | None:
        """The answer's JSON when it needs no database access, else None (as :meth:`answer_now`)."""
        found = self._product_now(key[0])
        return self._json(*found, key) if found is not None else None

    def json(self, key: AnswerKey) -> EncodedAnswer:
        """The answer's JSON (blocking, as :meth:`answer`)."""
        return self._json(*self._product(key[0]), key)

    def facts_now(self, key: AnswerKey, facts: Facts) -> FactsAnswer | None:
        """The answer settled by ``facts`` (issue 14) when it needs no database access."""
        found = self._product_now(key[0])
        return self._settled(*found, key, facts) if found is not None else None

    def facts(self, key: AnswerKey, facts: Facts) -> FactsAnswer:
        """The answer settled by ``facts`` (blocking, as :meth:`answer`). Computed each time:
        only answers without facts are held; its entity tag is a hash of its body."""
        return self._settled(*self._product(key[0]), key, facts)

    def stats(self) -> dict[str, int | bool]:
        """How many answers the current graph holds encoded, how often they served, and
        whether every day of every product is held."""
        found = self._encoded
        if found is None or found[0] is not self.graph.last:
            return EncodedAnswers(self.held_bytes).stats()
        return found[1].stats()

    def invalidate(self) -> None:
        self.graph.invalidate()

    def _prepare(self, graph: CatalogGraph) -> None:
        """Ready a new graph to serve, and keep the garbage collector from walking it: it is
        hundreds of thousands of long-lived objects (at 100,000 documents), and each full
        collection would otherwise pause answers for a tenth of a second."""
        prepare_graph(graph)
        return_freed_memory()  # what loading the graph made and dropped
        gc.freeze()

    def _serving(self, graph: CatalogGraph) -> None:
        self._encoded_of(graph)  # the previous graph's answers are dropped now
        if self.held_bytes:
            threading.Thread(
                target=self._hold_every_day, args=(graph,), name="hold-answers", daemon=True
            ).start()

    def _hold_every_day(self, graph: CatalogGraph) -> None:
        """Hold every product's answer for today (the question most asked), then for all
        other days, span after span, while ``graph`` is the one served and the budget allows
        (past it, what requests ask for is held in place of what they do not)."""
        held = self._encoded_of(graph)
        held.every_day = self._hold_all(graph, held)
        if self.graph.last is not graph:
            return
        # What the engine made while computing every answer (edition timelines, entries) now
        # sits in the answers held: it is made again if a request needs it.
        EngineCache.of(graph).shed()
        return_freed_memory()
        gc.freeze()  # the answers held are long-lived too

    def _hold_all(self, graph: CatalogGraph, held: EncodedAnswers) -> bool:
        """Whether every span of every product is held (False: stopped by the budget or a
        newer graph)."""
        products = list(graph.products.values())
        today = clock.today()
        for count, product in enumerate(products, 1):
            if self._hold(graph, held, product, today) is None:
                return False
            _shed_now_and_then(graph, count)
        for count, product in enumerate(products, 1):
            _shed_now_and_then(graph, count)
            day = date.min
            while (span := self._hold(graph, held, product, day)) is not None:
                if span.last == date.max:
                    break
                day = span.last + timedelta(days=1)
            if span is None:
                return False
        return True

    def _hold(
        self, graph: CatalogGraph, held: EncodedAnswers, product: ProductRow, day: date
    ) -> DaySpan | None:
        """The span of the product's unfiltered answer held for ``day``, held now if it was
        not; None when holding must stop (a newer graph serves, or the budget is reached)."""
        if self.graph.last is not graph:
            return None
        if not held.room_for_more():
            held.full = True
            return None
        kind = (product.id, None, False, None)
        span = held.span_at(kind, day)
        if span is None:
            answer, span = applicable_over(graph, product.id, day)
            held.put(kind, answer, span)
        return span

    def _encoded_of(self, graph: CatalogGraph) -> EncodedAnswers:
        """The encoded answers of ``graph``. Only the newest graph's are kept: a request still
        answering from an older graph gets a set of its own, dropped after it."""
        found = self._encoded
        if found is not None and found[0] is graph:
            return found[1]
        with self._encoded_lock:
            found = self._encoded
            if found is not None and found[0] is graph:
                return found[1]
            made = EncodedAnswers(self.held_bytes, partial(_settled_by_defaults, graph))
            if graph is self.graph.last:
                self._encoded = (graph, made)
            return made

    def _product_now(self, reference: str) -> tuple[CatalogGraph, ProductRow] | None:
        """The served graph and the product ``reference`` names in it, without touching the
        database; None when the graph must be rebuilt first or the product is not in it."""
        graph = self.graph.fresh()
        if graph is None:
            return None
        product = find_product(graph, reference)
        return (graph, product) if product is not None else None

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
    def _answer(graph: CatalogGraph, product: ProductRow, key: AnswerKey) -> Applicability:
        _, day, role, mandatory_only, market = key
        return applicable_in(
            graph, product.id, day, role=role, mandatory_only=mandatory_only, market=market
        )

    def _settled(
        self, graph: CatalogGraph, product: ProductRow, key: AnswerKey, facts: Facts
    ) -> FactsAnswer:
        return apply_facts(self._answer(graph, product, key), facts, graph.facts)

    def _json(self, graph: CatalogGraph, product: ProductRow, key: AnswerKey) -> EncodedAnswer:
        _, day, role, mandatory_only, market = key
        if not self.held_bytes:
            return tagged(facts_answer_json(self._settled(graph, product, key, NO_FACTS)))
        held = self._encoded_of(graph)
        kind = (product.id, role, mandatory_only, market)
        found = held.get(kind, day)
        if found is not None:
            return found
        answer, span = applicable_over(
            graph, product.id, day, role=role, mandatory_only=mandatory_only, market=market
        )
        return held.put(kind, answer, span)


def return_freed_memory() -> None:
    """Collect garbage, and have glibc's allocator give freed memory back to the system: it
    keeps what a graph load or the engine's dropped tables freed, and the process would stay
    that large (decisions/0011 measures it)."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _shed_now_and_then(graph: CatalogGraph, products: int) -> None:
    """Empty the engine's growing tables every :data:`SHED_EVERY` products while every answer
    is held: what they keep serves answers of products near each other, and memory freed often
    is reused by the next products, where memory freed once at the end stays with the process
    (decisions/0011 measures both)."""
    if products % SHED_EVERY == 0:
        EngineCache.of(graph).shed()


def _settled_by_defaults(graph: CatalogGraph, answer: Applicability) -> FactsAnswer:
    """An answer as held: settled by the product's default facts alone."""
    return apply_facts(answer, NO_FACTS, graph.facts)
