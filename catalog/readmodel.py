"""The catalog graph in memory: what the applicability engine reads, as plain records.

:meth:`CatalogGraph.load` reads the rules, the category tree, products with their codes and
aliases, documents with their dates, the ``REPLACES`` and ``CITES_MANDATORY`` relations,
places and issuers with their successions, in one bulk ``SELECT`` of plain columns per
table (no ORM objects). An answer is then pure Python over dictionaries.

:class:`SharedCatalogGraph` keeps one graph for a long-running process (the API server) and
rebuilds it when the catalog changes: at most every ``check_every`` seconds it reads
:func:`catalog_version`, a fingerprint of the tables the graph is made of, so changes made by
other processes (ingest) are seen too; writes made in-process call
:meth:`SharedCatalogGraph.invalidate` and are seen by the next answer.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from catalog.codes import DocType
from catalog.fact_index import FactIndex, load_fact_index
from catalog.models import (
    ApplicabilityRule,
    AuditLog,
    Document,
    DocumentRelation,
    FactReview,
    FactSource,
    FieldChange,
    IngestRun,
    Issuer,
    IssuerSuccession,
    Locality,
    LocalitySuccession,
    Product,
    ProductAlias,
    ProductCategory,
    ProductCode,
)
from catalog.models_wto import (
    Notification,
    NotificationCategory,
    NotificationCode,
    NotificationUpdate,
)
from catalog.notifications import NotificationIndex
from catalog.review import Review, load_reviews
from catalog.vocab import CodeScheme, IssuerKind, LocalityKind, RelationKind, Role, Status

if TYPE_CHECKING:
    from catalog.applicability.cache import EngineCache

logger = logging.getLogger(__name__)

# What a change to the graph's tables moves: row counts and highest ids catch inserts and
# deletes; the field-change and audit logs catch updates in place (ingest and the API write
# through catalog.upsert, which records every changed field, and the API audits its writes).
# All are index lookups: a max(updated_at) would scan the document table (~0.1 s at 100,000).
_COUNTED = (
    Document,
    DocumentRelation,
    ApplicabilityRule,
    Product,
    ProductCode,
    ProductAlias,
    ProductCategory,
    Locality,
    LocalitySuccession,
    Issuer,
    IssuerSuccession,
    FactReview,
    FactSource,
    Notification,
    NotificationCode,
    NotificationCategory,
    NotificationUpdate,
)
_WITH_ID = (
    Document,
    DocumentRelation,
    ApplicabilityRule,
    Product,
    ProductAlias,
    ProductCategory,
    Locality,
    Issuer,
    FieldChange,
    AuditLog,
    IngestRun,
    FactReview,
    FactSource,
    Notification,
    NotificationUpdate,
)

CatalogVersion = tuple


def catalog_version(session: Session) -> CatalogVersion:
    """A fingerprint of the catalog tables the graph is built from.

    One plain aggregate query per table and figure, each answered from an index (SQLite
    counts rows from its smallest index only for a plain top-level ``count(*)``).
    """
    counts = [select(func.count()).select_from(model) for model in _COUNTED]
    highest = [select(func.max(model.id)) for model in _WITH_ID]
    return tuple(session.scalar(query) for query in (*counts, *highest))


def document_start(
    effective_from: date | None, issued_on: date | None, year: int | None
) -> date | None:
    """When a document came into force: its effective date, else its issue date, else its
    year's first day."""
    if effective_from:
        return effective_from
    if issued_on:
        return issued_on
    return date(year, 1, 1) if year else None


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    code: str
    slug: str
    doc_type: DocType
    title_vi: str | None
    title_en: str | None
    status: Status
    issued_on: date | None
    effective_from: date | None
    effective_to: date | None
    year: int | None
    issuer_id: int | None
    issuer_code: str | None
    start: date | None  # document_start()


@dataclass(frozen=True, slots=True)
class RuleRow:
    id: int
    subject_kind: str
    product_id: int | None
    category_id: int | None
    subject_code: str | None
    subject_key: str
    document_id: int
    role: Role
    condition: str | None
    legal_basis: str | None
    legal_basis_document_id: int | None
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class ProductRow:
    id: int
    slug: str
    name_vi: str
    name_en: str | None
    kind: str
    category_id: int | None
    locality_id: int | None
    locality_text: str | None
    hs_codes: tuple[str, ...]
    ics_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CategoryRow:
    id: int
    name_vi: str
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class LocalityRow:
    id: int
    name_vi: str
    kind: LocalityKind
    parent_id: int | None


@dataclass(frozen=True, slots=True)
class IssuerRow:
    id: int
    kind: IssuerKind
    locality_id: int | None


@dataclass
class CatalogGraph:
    """The catalog as dictionaries keyed by id; built by :meth:`load`, then only read."""

    version: CatalogVersion
    documents: dict[int, DocumentRow] = field(default_factory=dict)
    # REPLACES: newer editions of a document (source id, switch date) and older ones it replaces.
    successors: dict[int, list[tuple[int, date | None]]] = field(default_factory=dict)
    predecessors: dict[int, list[int]] = field(default_factory=dict)
    # When newer editions take over a document: (switch date or date.min, newer code, newer id,
    # switch date), soonest first; drafts left out (a draft replaces nothing yet).
    switches: dict[int, list[tuple[date, str, int, date | None]]] = field(default_factory=dict)
    # CITES_MANDATORY from a document: (target id, from when), by target id.
    citations: dict[int, list[tuple[int, date | None]]] = field(default_factory=dict)
    products: dict[int, ProductRow] = field(default_factory=dict)
    product_by_slug: dict[str, int] = field(default_factory=dict)
    product_by_alias: dict[str, int] = field(default_factory=dict)  # folded alias → lowest id
    categories: dict[int, CategoryRow] = field(default_factory=dict)
    rules_by_product: dict[int, list[RuleRow]] = field(default_factory=dict)
    rules_by_category: dict[int, list[RuleRow]] = field(default_factory=dict)
    rules_by_hs: dict[str, list[RuleRow]] = field(default_factory=dict)
    rules_by_ics: dict[str, list[RuleRow]] = field(default_factory=dict)
    localities: dict[int, LocalityRow] = field(default_factory=dict)
    locality_successors: dict[int, list[tuple[int, date]]] = field(default_factory=dict)
    issuers: dict[int, IssuerRow] = field(default_factory=dict)
    issuer_successors: dict[int, list[tuple[int, date]]] = field(default_factory=dict)
    # Review state and sources (catalog.review): of rules, and of documents' facts, by id.
    rule_reviews: dict[int, Review] = field(default_factory=dict)
    document_reviews: dict[int, Review] = field(default_factory=dict)
    notifications: NotificationIndex = field(default_factory=NotificationIndex)
    facts: FactIndex = field(default_factory=FactIndex)  # typed conditions, default facts
    # What the engine derives from the graph once and reuses (the graph is not changed after
    # loading, so what it derives stays true): catalog.applicability.cache.
    engine_cache: EngineCache | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, session: Session, version: CatalogVersion | None = None) -> CatalogGraph:
        """Read the graph through ``session`` (so it sees the session's own flushed rows).

        ``version`` is the fingerprint read before loading, when the caller has it.
        """
        graph = cls(version if version is not None else catalog_version(session))
        graph._load_documents(session)
        graph._load_products(session)
        graph._load_rules(session)
        graph._load_places(session)
        graph.rule_reviews, graph.document_reviews = load_reviews(session)
        graph.notifications = NotificationIndex.load(session)
        graph.facts = load_fact_index(session)
        return graph

    def _load_documents(self, session: Session) -> None:
        d = Document
        rows = session.exec(
            select(
                d.id, d.code, d.slug, d.doc_type, d.title_vi, d.title_en, d.status, d.issued_on,
                d.effective_from, d.effective_to, d.year, d.issuer_id, d.issuer_code,
            )
        )  # fmt: skip
        self.documents = {
            row[0]: DocumentRow(*row, document_start(row.effective_from, row.issued_on, row.year))
            for row in rows
        }
        r = DocumentRelation
        relations = session.exec(
            select(r.source_id, r.target_id, r.kind, r.effective_on)
            .where(col(r.kind).in_([RelationKind.REPLACES, RelationKind.CITES_MANDATORY]))
            .order_by(col(r.source_id), col(r.target_id))
        )
        successors, predecessors, citations = (
            defaultdict(list),
            defaultdict(list),
            defaultdict(list),
        )
        for source, target, kind, effective_on in relations:
            if kind == RelationKind.REPLACES:
                successors[target].append((source, effective_on))
                predecessors[source].append(target)
            else:
                citations[source].append((target, effective_on))
        self.successors, self.predecessors = dict(successors), dict(predecessors)
        self.citations = dict(citations)
        for target, newer in self.successors.items():
            switches = []
            for source, effective_on in newer:
                row = self.documents[source]
                if row.status != Status.DRAFT:
                    when = effective_on or row.start
                    switches.append((when or date.min, row.code, source, when))
            self.switches[target] = sorted(switches)

    def _load_products(self, session: Session) -> None:
        codes: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"hs": [], "ics": []})
        for product_id, scheme, code in session.exec(
            select(ProductCode.product_id, ProductCode.scheme, ProductCode.code).order_by(
                col(ProductCode.product_id), col(ProductCode.scheme), col(ProductCode.code)
            )
        ):
            codes[product_id]["hs" if scheme == CodeScheme.HS else "ics"].append(code)
        p = Product
        for row in session.exec(
            select(
                p.id, p.slug, p.name_vi, p.name_en, p.kind, p.category_id, p.locality_id,
                p.locality_text,
            )
        ):  # fmt: skip
            found = codes.get(row[0], {"hs": (), "ics": ()})
            product = ProductRow(*row, tuple(found["hs"]), tuple(found["ics"]))
            self.products[product.id] = product
            self.product_by_slug[product.slug] = product.id
        for product_id, folded in session.exec(
            select(ProductAlias.product_id, ProductAlias.alias_folded).order_by(
                col(ProductAlias.product_id)
            )
        ):
            self.product_by_alias.setdefault(folded, product_id)
        c = ProductCategory
        self.categories = {
            row[0]: CategoryRow(*row) for row in session.exec(select(c.id, c.name_vi, c.parent_id))
        }

    def _load_rules(self, session: Session) -> None:
        r = ApplicabilityRule
        rows = session.exec(
            select(
                r.id, r.subject_kind, r.product_id, r.category_id, r.subject_code,
                r.subject_key, r.document_id, r.role, r.condition, r.legal_basis,
                r.legal_basis_document_id, r.valid_from, r.valid_to,
            ).order_by(col(r.id))
        )  # fmt: skip
        by_product, by_category = defaultdict(list), defaultdict(list)
        by_hs, by_ics = defaultdict(list), defaultdict(list)
        for row in rows:
            rule = RuleRow(*row)
            if rule.subject_kind == "product":
                by_product[rule.product_id].append(rule)
            elif rule.subject_kind == "category":
                by_category[rule.category_id].append(rule)
            elif rule.subject_kind == "hs_prefix":
                by_hs[rule.subject_code].append(rule)
            else:
                by_ics[rule.subject_code].append(rule)
        self.rules_by_product, self.rules_by_category = dict(by_product), dict(by_category)
        self.rules_by_hs, self.rules_by_ics = dict(by_hs), dict(by_ics)

    def _load_places(self, session: Session) -> None:
        loc = Locality
        self.localities = {
            row[0]: LocalityRow(*row)
            for row in session.exec(select(loc.id, loc.name_vi, loc.kind, loc.parent_id))
        }
        self.issuers = {
            row[0]: IssuerRow(*row)
            for row in session.exec(select(Issuer.id, Issuer.kind, Issuer.locality_id))
        }
        for model, target in (
            (LocalitySuccession, self.locality_successors),
            (IssuerSuccession, self.issuer_successors),
        ):
            for predecessor, successor, on in session.exec(
                select(model.predecessor_id, model.successor_id, model.effective_on).order_by(
                    col(model.predecessor_id), col(model.successor_id)
                )
            ):
                target.setdefault(predecessor, []).append((successor, on))


class SharedCatalogGraph:
    """One :class:`CatalogGraph` for a process, rebuilt when :func:`catalog_version` moves.

    :meth:`fresh` never touches the database (safe on an event loop); :meth:`current` may
    (run it in a worker thread). After :meth:`invalidate` (a write in this process), callers
    wait on the lock while the new graph loads, so they read their own writes.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        check_every: float = 2.0,
        prepare: Callable[[CatalogGraph], None] | None = None,
        serving: Callable[[CatalogGraph], None] | None = None,
    ) -> None:
        self.engine = engine
        self.check_every = check_every
        self.prepare = prepare  # run on each new graph before it is served (fills its caches)
        self.serving = serving  # run on each new graph once it is served
        self._graph: CatalogGraph | None = None
        self._checked = 0.0
        self._wanted = 0  # bumped by invalidate()
        self._built_for = -1  # the value of _wanted the graph was built after
        self._lock = threading.Lock()
        self._checking = False  # a background version check is running
        self.loads = 0

    def fresh(self) -> CatalogGraph | None:
        """The graph, without touching the database; None when it must be (re)built first
        (call :meth:`current`). When a version check is due, one starts in the background and
        the graph serves meanwhile: a change by another process is seen ``check_every``
        seconds after it, plus the time of a check."""
        graph = self._graph
        if graph is None or self._built_for != self._wanted:
            return None
        if time.monotonic() - self._checked > self.check_every and not self._checking:
            self._checking = True
            threading.Thread(target=self._check, name="catalog-check", daemon=True).start()
        return graph

    def _check(self) -> None:
        try:
            self.current()
        except Exception:  # the database is away: the next check tries again
            logger.warning("catalog version check failed", exc_info=True)
        finally:
            self._checking = False

    @property
    def last(self) -> CatalogGraph | None:
        """The graph last built, whether or not a check is due (None before the first)."""
        return self._graph

    def current(self) -> CatalogGraph:
        """The graph, after checking the catalog's version if a check is due (blocking)."""
        with self._lock:
            graph, wanted = self._graph, self._wanted
            stale = graph is None or self._built_for != wanted
            if stale or time.monotonic() - self._checked > self.check_every:
                with Session(self.engine) as session:
                    version = catalog_version(session)
                    new = stale or version != graph.version
                    if new:
                        graph = CatalogGraph.load(session, version)
                        if self.prepare is not None:
                            self.prepare(graph)
                        self.loads += 1
                self._graph, self._built_for, self._checked = graph, wanted, time.monotonic()
                if new and self.serving is not None:
                    self.serving(graph)
            return graph

    def invalidate(self) -> None:
        """The catalog was written in this process: rebuild before the next answer."""
        self._wanted += 1
