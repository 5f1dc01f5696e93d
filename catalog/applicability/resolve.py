"""Assembling one answer: which documents apply to a product on a date, and why (docs/domain.md §6).

:func:`applicable` answers with an :class:`~catalog.applicability.answer.Applicability`.

The rules, in the order they are applied:

1. A rule reaches the product when its subject is the product, its category or any ancestor
   category, a prefix of one of its HS codes (``0805`` for ``080510``) or one of its ICS fields
   or an enclosing field (``67.080`` for ``67.080.10``); the rule itself must be valid that day.
2. The document a rule names is resolved to the edition in force that day by walking the
   ``REPLACES`` relations both ways: forward when it was superseded by then, back when it was
   not yet in force but replaced an edition that was. Otherwise it is reported apart: upcoming
   (with its date), or withdrawn with no successor.
3. Local documents (QCĐP, and anything issued by a provincial committee) count only for
   products of the issuing province, or of the province that succeeded it by that day
   (``LocalitySuccession``, ``IssuerSuccession``); others are reported as out of scope.
4. A mandatory document in force (QCVN, QCĐP, legal instrument, or a standard made mandatory
   itself) that ``CITES_MANDATORY`` another makes that one mandatory, with the citation as the
   reason; this is followed transitively.

Dates: a document is in force from ``effective_from`` (else ``issued_on``, else 1 January of
its year) to ``effective_to`` inclusive; a ``REPLACES`` relation switches editions on its
``effective_on`` (else the new edition's start). A status of ``withdrawn`` or ``superseded``
with no recorded end date counts from the document's start, unless a recorded successor takes
over later: then the edition is in force until that successor's date.

Answers are computed over a :class:`~catalog.readmodel.CatalogGraph`, the catalog loaded in
memory by a few bulk queries; :func:`applicable` loads one when it is not given one, and the
API keeps a shared one (:class:`~catalog.readmodel.SharedCatalogGraph`). A product's answer is
a step function of the day (:func:`answer_timeline`): its change days are named first
(:mod:`~catalog.applicability.days`), and a :class:`Resolver` evaluates it once per segment
between them, when a day in it is first asked; :func:`applicable_over` is a lookup in it.
Rules 1 and 2 are :mod:`~catalog.applicability.plan` and
:mod:`~catalog.applicability.editions`, rule 3 :mod:`~catalog.applicability.places`.
"""

from __future__ import annotations

import threading
from datetime import date

from sqlmodel import Session

from catalog import clock
from catalog.applicability.answer import (
    ROLE_ORDER,
    Applicability,
    DaySpan,
    Entry,
    Reason,
    ReviewCount,
    Standing,
    document_start,
)
from catalog.applicability.cache import EngineCache
from catalog.applicability.days import category_names, product_days
from catalog.applicability.editions import Editions
from catalog.applicability.entries import Draft, citation_reason, citing, make_entry
from catalog.applicability.places import Places
from catalog.applicability.plan import ProductPlan, local_documents, product_plan, row_of
from catalog.applicability.timeline import Timeline
from catalog.models import Product
from catalog.notifications import UnderWay, under_way
from catalog.products import ProductRef, find_product, resolve_product
from catalog.readmodel import CatalogGraph, DocumentRow, ProductRow
from catalog.vocab import Role, Status

_MAX_CITATION_DEPTH = 8
_KEEPING = threading.Lock()


def applicable(
    session: Session,
    product: Product | int | str,
    as_of: date | None = None,
    *,
    role: Role | None = None,
    mandatory_only: bool = False,
    graph: CatalogGraph | None = None,
    market: str | None = None,
) -> Applicability:
    """The documents that apply to ``product`` on ``as_of`` (default: today in the configured
    zone, :func:`catalog.clock.today`), with reasons.

    ``graph`` is the catalog read model to answer from; without it one is loaded through
    ``session`` (a few bulk queries). Callers answering many questions load it once.
    """
    graph = graph if graph is not None else CatalogGraph.load(session)
    key = product.id if isinstance(product, Product) else product
    if key is None:
        raise ValueError("the product has no id: it is not in the catalog")
    found = find_product(graph, key)
    if found is None:
        resolved = resolve_product(session, key).id
        assert resolved is not None  # a product read from the store has its id
        found = graph.products[resolved]
    return applicable_in(
        graph, found.id, as_of, role=role, mandatory_only=mandatory_only, market=market
    )


def applicable_in(
    graph: CatalogGraph,
    product_id: int,
    as_of: date | None = None,
    *,
    role: Role | None = None,
    mandatory_only: bool = False,
    market: str | None = None,
) -> Applicability:
    """:func:`applicable` for a product of ``graph`` (no database access): a lookup in the
    product's :func:`answer_timeline` when it has been made, else the answer evaluated on the
    day alone (no span is asked for, so the product's change days need not be named)."""
    day = as_of or clock.today()
    timeline = EngineCache.of(graph).answers.get((product_id, market))
    if timeline is not None:
        answer = timeline.at(day)
    else:
        answer = Resolver(graph, graph.products[product_id], day, market).run()
    if role is not None or mandatory_only:
        answer = answer.filtered(role=role, mandatory_only=mandatory_only)
    return answer.on(day)


def applicable_over(
    graph: CatalogGraph,
    product_id: int,
    as_of: date | None = None,
    *,
    role: Role | None = None,
    mandatory_only: bool = False,
    market: str | None = None,
) -> tuple[Applicability, DaySpan]:
    """:func:`applicable_in`, and the days around ``as_of`` on which the answer is the same
    but for its ``as_of`` (so an answer may be reused for any day of that span). ``market``
    is the WTO member code (``EU``, ``CHN``) of an export destination whose notifications
    under way should be listed too."""
    day = as_of or clock.today()
    answer, span = answer_timeline(graph, product_id, market).over(day)
    if role is not None or mandatory_only:
        answer = answer.filtered(role=role, mandatory_only=mandatory_only)
    return answer.on(day), span


def answer_timeline(
    graph: CatalogGraph, product_id: int, market: str | None = None
) -> Timeline[Applicability]:
    """The answer for ``product_id`` (with ``market``'s notifications) on every day, its
    ``as_of`` left at ``date.min``. Made on first use and kept in the graph's
    :class:`EngineCache`, the first made dropped first past ``answer_limit`` timelines."""
    cache = EngineCache.of(graph)
    key = (product_id, market)
    found = cache.answers.get(key)
    if found is not None:
        return found
    product = graph.products[product_id]
    editions = Editions(graph)
    days = product_days(editions, product, product_plan(graph, product), market)
    made = Timeline(days, lambda day: Resolver(graph, product, day, market).run())
    with _KEEPING:
        found = cache.answers.get(key)
        if found is not None:
            return found
        limit = cache.answer_limit
        while limit is not None and cache.answers and len(cache.answers) >= limit:
            del cache.answers[next(iter(cache.answers))]
        cache.answers[key] = made
    return made


class Resolver:
    """Applies the rules of the module docstring to one product and day, over the graph: the
    answer on every day of the segment of the product's timeline holding ``day`` (its
    ``as_of`` is left at ``date.min``)."""

    def __init__(
        self,
        graph: CatalogGraph,
        product: ProductRow,
        day: date,
        market: str | None = None,
        *,
        plan: ProductPlan | None = None,
    ) -> None:
        self.graph = graph
        self.market = market
        # A described product not in the registry brings its own plan (.anyproduct).
        self.plan = plan
        self.documents = graph.documents
        self.product = product
        self.day = day
        self.editions = Editions(graph)
        self.cache = EngineCache.of(graph)
        self.drafts: dict[tuple[Standing, int], Draft] = {}

    def add(self, doc: DocumentRow, reason: Reason, *, cited_mandatory: bool = False) -> None:
        """Record ``reason`` for ``doc``'s edition on the day."""
        reach = self.editions.reach(doc, self.day)
        final = reach.final
        if final is not doc:
            reason = citing(self.cache, reason, doc.code)
        draft = self.drafts.get((reach.standing, final.id))
        if draft is None:
            draft = self.drafts[(reach.standing, final.id)] = Draft(final, reach.standing)
        if reason not in draft.reasons:
            draft.reasons.append(reason)
        for note in reach.notes:
            if note not in draft.notes:
                draft.notes.append(note)
        draft.cited_mandatory |= cited_mandatory
        if reach.named_upcoming:
            # The cited edition is itself coming: list it as upcoming too.
            later = self.drafts.setdefault(
                (Standing.UPCOMING, doc.id), Draft(doc, Standing.UPCOMING)
            )
            if reason not in later.reasons:
                later.reasons.append(citing(self.cache, reason, None))
            start = document_start(doc)
            if start and not later.notes:
                later.notes.append(f"in force from {start.isoformat()}")

    def run(self) -> Applicability:
        plan = self.plan or product_plan(self.graph, self.product)
        documents = self.documents
        for rule, reason in plan.rules:
            if _valid(rule.valid_from, rule.valid_to, self.day):
                self.add(documents[rule.document_id], reason)
        self._follow_citations()
        self._apply_local_scope()
        return self._answer(plan.ref, self._under_way())

    def _under_way(self) -> tuple[UnderWay, ...]:
        product, graph = self.product, self.graph
        reached = {
            doc_id: graph.documents[doc_id].code
            for standing, doc_id in self.drafts
            if standing != Standing.OUT_OF_SCOPE
        }
        return under_way(
            graph.notifications,
            self.day,
            hs_codes=product.hs_codes,
            ics_codes=product.ics_codes,
            category_names=category_names(graph, product),
            documents_reached=reached,
            document_code=lambda i: graph.documents[i].code if i in graph.documents else None,
            market=self.market,
        )

    def _follow_citations(self) -> None:
        """Make mandatory what in-force mandatory entries cite as mandatory (transitively)."""
        done: set[int] = set()
        for _ in range(_MAX_CITATION_DEPTH):
            sources = {
                d.document.id: d
                for d in self.drafts.values()
                if d.standing == Standing.IN_FORCE
                and (d.document.doc_type.mandatory or d.cited_mandatory)
                and d.document.id not in done
            }
            if not sources:
                return
            done |= sources.keys()
            citations = [
                (source_id, target_id)
                for source_id in sorted(sources)
                for target_id, effective_on in self.graph.citations.get(source_id, ())
                if effective_on is None or effective_on <= self.day
            ]
            for source_id, target_id in citations:
                source = sources[source_id]
                role = min((r.role for r in source.reasons), key=ROLE_ORDER.__getitem__)
                self.add(
                    self.documents[target_id],
                    citation_reason(self.cache, source.document.code, role),
                    cited_mandatory=True,
                )

    def _apply_local_scope(self) -> None:
        """Move local documents of other provinces to ``OUT_OF_SCOPE``."""
        issuers, local_ids = self.graph.issuers, local_documents(self.graph)
        local = [
            d
            for d in self.drafts.values()
            if d.document.id in local_ids and d.standing != Standing.OUT_OF_SCOPE
        ]
        if not local:
            return
        places = Places(self.graph, self.day)
        product_places = places.around(self.product.locality_id)
        for draft in local:
            issuer = row_of(issuers, draft.document.issuer_id)
            issuer_places = places.of_issuer(issuer) if issuer else set()
            if issuer_places & product_places:
                continue
            del self.drafts[(draft.standing, draft.document.id)]
            if self.product.locality_id is None:
                why = "local regulation, and the product's locality is not recorded"
            elif not issuer_places:
                why = "local regulation whose issuing province is not recorded"
            else:
                names = ", ".join(sorted(places.name(i) for i in issuer_places))
                why = f"local regulation of {names}, not the product's province"
            draft.standing = Standing.OUT_OF_SCOPE
            draft.notes.append(why)
            self.drafts[(Standing.OUT_OF_SCOPE, draft.document.id)] = draft

    def _answer(self, product: ProductRef, notified: tuple[UnderWay, ...]) -> Applicability:
        by_standing: dict[Standing, list[tuple[tuple, Entry]]] = {s: [] for s in Standing}
        in_force_ids = {i for (s, i) in self.drafts if s == Standing.IN_FORCE}
        notified_drafts = {u.document_code for u in notified if u.document_code}
        for (standing, doc_id), draft in self.drafts.items():
            if standing != Standing.IN_FORCE and doc_id in in_force_ids:
                continue
            document = draft.document
            if document.status == Status.DRAFT and document.code in notified_drafts:
                continue  # under way, with its notification, rather than upcoming
            by_standing[standing].append(
                make_entry(self.cache, draft, self.editions.ref(draft.document))
            )
        for ordered in by_standing.values():
            ordered.sort(key=_first)
        entries = tuple(e for _, e in by_standing[Standing.IN_FORCE])
        return Applicability(
            product=product,
            as_of=date.min,
            entries=entries,
            mandatory_review=ReviewCount.of(entries),
            upcoming=tuple(e for _, e in by_standing[Standing.UPCOMING]),
            withdrawn=tuple(e for _, e in by_standing[Standing.WITHDRAWN]),
            out_of_scope=tuple(e for _, e in by_standing[Standing.OUT_OF_SCOPE]),
            under_way=notified,
            market=self.market,
        )


def _valid(start: date | None, end: date | None, day: date) -> bool:
    """Whether ``day`` is from ``start`` to ``end`` inclusive (None: open)."""
    return (start is None or start <= day) and (end is None or day <= end)


def _first(pair: tuple[tuple[object, ...], Entry]) -> tuple[object, ...]:
    return pair[0]
