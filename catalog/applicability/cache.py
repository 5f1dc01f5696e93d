"""What the engine works out once per catalog graph and shares between answers.

A :class:`~catalog.readmodel.CatalogGraph` never changes after loading, so whatever is derived
from it stays true for its lifetime: the cache hangs off the graph (``graph.engine_cache``)
and is dropped with it. :func:`~catalog.applicability.plan.prepare_graph` fills the plans
before a server serves a graph; the rest fills as answers are computed.

Reasons and entries are interned by value (a dict from a value to itself): an equal reason or
entry is then the same object, so readers may key their own caches on them cheaply, and an
answer computed twice shares its parts. The interned tables are emptied past :data:`LIMIT`
values to bound memory; that costs sharing, never correctness.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from catalog.readmodel import CatalogGraph
from catalog.vocab import Role

if TYPE_CHECKING:
    from catalog.applicability.answer import Applicability, DocumentRef, Entry, Reason
    from catalog.applicability.days import NamedDays
    from catalog.applicability.editions import ReachTimeline, StandingTimeline
    from catalog.applicability.plan import ProductPlan
    from catalog.applicability.timeline import Timeline

LIMIT = 200_000  # interned values per table
ANSWER_TIMELINES = 500  # products whose answer timelines are kept, by default
_MAKING = threading.Lock()


@dataclass(eq=False)
class EngineCache:
    """The engine's per-graph tables, each keyed by what it depends on."""

    # per product: its reference and the rules reaching it, in answer order
    plans: dict[int, ProductPlan] = field(default_factory=dict)
    # per (rule, category of the product for a category rule): the rule's reason
    rule_reasons: dict[tuple[int, int | None], Reason] = field(default_factory=dict)
    # ids of the local documents (QCĐP, or issued by a province); None until found
    local_documents: frozenset[int] | None = None
    # per document: the days its standing changes and its standing from each
    timelines: dict[int, StandingTimeline] = field(default_factory=dict)
    # per document: where naming it leads, on every day (segments walked when first asked)
    reaches: dict[int, ReachTimeline] = field(default_factory=dict)
    # per document named by a rule: the days on which what naming it brings may change
    named_days: dict[int, NamedDays] = field(default_factory=dict)
    # the days on which a locality or an issuer was succeeded; None until found
    place_days: tuple[date, ...] | None = None
    # per (product, market): its answer on every day; the first made dropped first past
    # ``answer_limit`` (None: every product's is kept)
    answers: dict[tuple[int, str | None], Timeline[Applicability]] = field(default_factory=dict)
    answer_limit: int | None = ANSWER_TIMELINES
    # per document: its reference in answers
    refs: dict[int, DocumentRef] = field(default_factory=dict)
    # "cited as mandatory by <code>", per citing code and role
    citations: dict[tuple[str, Role], Reason] = field(default_factory=dict)
    # a reason naming an edition as the one cited, per (reason, edition)
    citing: dict[tuple[Reason, str | None], Reason] = field(default_factory=dict)
    # an entry with its place in answer order, per what it is made of
    entries: dict[tuple, tuple[tuple, Entry]] = field(default_factory=dict)

    def shed(self) -> None:
        """Empty the tables that fill as answers are computed (not the plans and rule reasons
        that :func:`~catalog.applicability.plan.prepare_graph` made): they are made again when
        needed. A server that holds its answers encoded calls it once they are held."""
        for table in (
            self.timelines, self.reaches, self.named_days, self.answers, self.refs,
            self.citations, self.citing, self.entries,
        ):  # fmt: skip
            table.clear()

    @staticmethod
    def of(graph: CatalogGraph) -> EngineCache:
        """The graph's cache, made on first use."""
        found = graph.engine_cache
        if found is None:
            with _MAKING:
                found = graph.engine_cache
                if found is None:
                    found = graph.engine_cache = EngineCache()
        return found
