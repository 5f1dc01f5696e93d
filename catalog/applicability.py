"""Which documents apply to a product on a date, and why (DOMAIN.md §6).

:func:`applicable` answers with an :class:`Applicability`: plain frozen dataclasses that the
API serialises, the CLI prints as a table and the checklist writes as CSV or XLSX.

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
API keeps a shared one (:class:`~catalog.readmodel.SharedCatalogGraph`). The resolver looks at
the day only through a :class:`_Clock`, which records the span of days on which every date
comparison made comes out the same: :func:`applicable_over` returns that span with the answer,
and the answer is the same (but for its ``as_of``) on each of its days.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from sqlalchemy import or_
from sqlmodel import Session, col, select

from catalog import clock
from catalog.codes import DocType
from catalog.limits import ROW_ID_MAX
from catalog.models import Document, Locality, Product, ProductAlias, ProductCategory
from catalog.notifications import UnderWay, under_way
from catalog.readmodel import (
    CatalogGraph,
    CategoryRow,
    DocumentRow,
    IssuerRow,
    ProductRow,
    RuleRow,
)
from catalog.readmodel import document_start as start_of
from catalog.review import NOT_REVIEWED, Review, strongest
from catalog.text import clean, fold, slugify
from catalog.vocab import IssuerKind, LocalityKind, ReviewState, Role, Status

ROLE_ORDER = {role: index for index, role in enumerate(Role)}
# Mandatory documents are listed regulations first, then legal instruments, then what they bind.
_MANDATORY_TYPE_ORDER = {
    DocType.QCVN: 0,
    DocType.QCDP: 1,
    DocType.LAW: 2,
    DocType.DECREE: 3,
    DocType.RESOLUTION: 4,
    DocType.CIRCULAR: 5,
    DocType.DECISION: 6,
}
_MAX_CITATION_DEPTH = 8


class ProductNotFound(LookupError):
    """No product matches a reference; ``suggestions`` holds the nearest ones."""

    def __init__(self, reference: str, suggestions: list[ProductRef]) -> None:
        self.reference = reference
        self.suggestions = suggestions
        hint = ", ".join(s.name_vi for s in suggestions)
        super().__init__(
            f"no product matches {reference!r}" + (f"; did you mean: {hint}?" if hint else "")
        )


class ReasonKind(StrEnum):
    """How a document reached the product."""

    PRODUCT = "product"  # a rule on the product itself
    CATEGORY = "category"  # a rule on its category or an ancestor category
    HS_PREFIX = "hs_prefix"
    ICS = "ics"
    CITATION = "citation"  # made mandatory by an applicable document


class Standing(StrEnum):
    """Where an entry stands on the day asked."""

    IN_FORCE = "in_force"
    UPCOMING = "upcoming"
    WITHDRAWN = "withdrawn"
    OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class ProductRef:
    id: int
    slug: str
    name_vi: str
    name_en: str | None
    kind: str
    category: str | None
    locality: str | None


@dataclass(frozen=True, slots=True)
class DocumentRef:
    id: int
    code: str
    slug: str
    doc_type: DocType
    title_vi: str | None
    title_en: str | None
    status: Status
    effective_from: date | None
    effective_to: date | None
    issuer_code: str | None
    review: Review = NOT_REVIEWED  # of its status, dates and succession


@dataclass(frozen=True)
class Reason:
    """One path from the product to the document."""

    kind: ReasonKind
    text: str  # "inherited from category Cây có múi", "cited as mandatory by QCVN 8-2:2011/BYT"
    role: Role
    rule_id: int | None = None
    subject: str | None = None  # the rule's subject key, or the citing document's code
    condition: str | None = None
    legal_basis: str | None = None
    cited_edition: str | None = None  # the edition the rule or citation names, when not this one
    review: Review | None = None  # the rule's; a citation is not a reviewed rule (None)


@dataclass(frozen=True)
class Entry:
    """One document in the answer, with every reason that led to it."""

    document: DocumentRef
    standing: Standing
    mandatory: bool
    role: Role  # the first of ``roles`` in checklist order
    roles: tuple[Role, ...]
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...] = ()
    # The rules' review: verified when one rule that reaches it is; a citation counts as
    # unverified. A mandatory entry that is not verified is shown apart (issue 13).
    review_state: ReviewState = ReviewState.UNVERIFIED

    @property
    def confirmed(self) -> bool:
        return self.review_state == ReviewState.VERIFIED

    @property
    def conditions(self) -> tuple[str, ...]:
        return _unique(r.condition for r in self.reasons)

    @property
    def legal_bases(self) -> tuple[str, ...]:
        return _unique(r.legal_basis for r in self.reasons)


@dataclass(frozen=True)
class ReviewCount:
    """How many mandatory entries in force are verified, unverified and disputed."""

    verified: int = 0
    unverified: int = 0
    disputed: int = 0

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> ReviewCount:
        states = [e.review_state for e in entries if e.mandatory]
        return cls(*(states.count(s) for s in ReviewState))


@dataclass(frozen=True)
class Applicability:
    """The answer for one product on one day."""

    product: ProductRef
    as_of: date
    entries: tuple[Entry, ...]  # in force: mandatory first, then voluntary by role
    upcoming: tuple[Entry, ...]  # not yet in force that day, by date
    withdrawn: tuple[Entry, ...]  # no longer in force and no successor
    out_of_scope: tuple[Entry, ...]  # local documents of another province
    mandatory_review: ReviewCount = ReviewCount()  # of the mandatory entries in force
    # Drafts notified to the WTO and not yet adopted (catalog.notifications): at home, and
    # in the market asked about; a notified draft is listed here, not under ``upcoming``.
    under_way: tuple[UnderWay, ...] = ()
    market: str | None = None  # the WTO member whose notifications were asked for

    @property
    def mandatory(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.mandatory)

    @property
    def voluntary(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if not e.mandatory)

    def filtered(self, *, role: Role | None = None, mandatory_only: bool = False) -> Applicability:
        """The same answer keeping only entries with ``role`` and/or only mandatory ones."""

        def keep(entry: Entry) -> bool:
            return (role is None or role in entry.roles) and (not mandatory_only or entry.mandatory)

        entries = tuple(filter(keep, self.entries))
        return replace(
            self,
            entries=entries,
            mandatory_review=ReviewCount.of(entries),
            upcoming=tuple(filter(keep, self.upcoming)),
            withdrawn=tuple(filter(keep, self.withdrawn)),
            out_of_scope=tuple(filter(keep, self.out_of_scope)),
        )


@dataclass(frozen=True)
class DaySpan:
    """Consecutive days, both ends included."""

    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


# --- finding the product ---------------------------------------------------------------------


def row_id(reference: int | str) -> int | None:
    """``reference`` as a row id when it is one: ASCII digits (not "²" or "٣", which
    ``str.isdigit`` accepts) of a value a database integer column can hold."""
    if isinstance(reference, int):
        number = reference
    elif reference.isascii() and reference.isdecimal() and len(reference.lstrip("0")) < 20:
        number = int(reference)  # 20 digits or more: beyond any 64-bit value
    else:
        return None
    return number if 0 < number <= ROW_ID_MAX else None


def resolve_product(session: Session, reference: int | str) -> Product:
    """The product with this id, slug, name or alias (any case, with or without diacritics).

    Raises :class:`ProductNotFound` with suggestions when nothing matches exactly.
    """
    text = clean(str(reference)) or ""
    product_id = row_id(text)
    if product_id is not None:
        product = session.get(Product, product_id)
        if product is not None:
            return product
    slug = slugify(text)
    if slug:
        product = session.exec(select(Product).where(Product.slug == slug)).first()
        if product is not None:
            return product
        product = session.exec(
            select(Product)
            .join(ProductAlias, col(ProductAlias.product_id) == Product.id)
            .where(ProductAlias.alias_folded == fold(text))
            .order_by(col(Product.id))
        ).first()
        if product is not None:
            return product
    raise ProductNotFound(str(reference), suggest_products(session, text))


def suggest_products(session: Session, text: str, limit: int = 5) -> list[ProductRef]:
    """Products whose slug or an alias shares words with ``text``, most shared words first."""
    words = [w for w in slugify(text).split("-") if len(w) > 1]
    if not words:
        return []
    alias_hits = select(ProductAlias.product_id).where(
        or_(*(col(ProductAlias.alias_folded).contains(w) for w in words))
    )
    candidates = session.exec(
        select(Product).where(
            or_(*(col(Product.slug).contains(w) for w in words), col(Product.id).in_(alias_hits))
        )
    ).all()
    aliases: dict[int, list[str]] = {}
    if candidates:
        for product_id, alias in session.exec(
            select(ProductAlias.product_id, ProductAlias.alias_folded).where(
                col(ProductAlias.product_id).in_([p.id for p in candidates])
            )
        ):
            aliases.setdefault(product_id, []).append(alias)

    def score(product: Product) -> tuple[int, str]:
        haystacks = [product.slug, *(slugify(a) for a in aliases.get(product.id, []))]
        best = max(sum(w in set(h.split("-")) for w in words) for h in haystacks)
        return (-best, product.slug)

    ranked = sorted(candidates, key=score)[:limit]
    return [_product_ref(session, p) for p in ranked]


def search_products_by_text(
    session: Session, text: str, *, limit: int, offset: int = 0
) -> tuple[list[Product], int]:
    """Products whose name (folded, via its slug) or an alias contains every word of ``text``."""
    words = [w for w in slugify(text).split("-") if w]
    conditions = []
    for word in words:
        in_alias = select(ProductAlias.product_id).where(
            col(ProductAlias.alias_folded).contains(word)
        )
        conditions.append(or_(col(Product.slug).contains(word), col(Product.id).in_(in_alias)))
    query = select(Product).where(*conditions).order_by(col(Product.name_vi), col(Product.id))
    rows = session.exec(query).all()
    return list(rows[offset : offset + limit]), len(rows)


# --- the answer ----------------------------------------------------------------------------


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
    found = find_product(graph, key)
    if found is None:
        found = graph.products[resolve_product(session, key).id]
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
    """:func:`applicable` for a product of ``graph`` (no database access)."""
    answer, _ = applicable_over(
        graph, product_id, as_of, role=role, mandatory_only=mandatory_only, market=market
    )
    return answer


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
    resolver = _Resolver(graph, graph.products[product_id], as_of or clock.today(), market)
    answer = resolver.run()
    if role is not None or mandatory_only:
        answer = answer.filtered(role=role, mandatory_only=mandatory_only)
    return answer, resolver.clock.span()


def find_product(graph: CatalogGraph, reference: int | str) -> ProductRow | None:
    """The product of ``graph`` with this id, slug or alias (as :func:`resolve_product`)."""
    found = graph.products.get(row_id(reference))  # an id, as the API mostly asks
    if found is not None:
        return found
    text = clean(str(reference)) or ""
    found = graph.products.get(row_id(text))
    if found is not None:
        return found
    slug = slugify(text)
    if not slug:
        return None
    product_id = graph.product_by_slug.get(slug)
    if product_id is None:
        product_id = graph.product_by_alias.get(fold(text))
    return graph.products.get(product_id) if product_id is not None else None


@dataclass(frozen=True)
class EditionInForce:
    """Which edition of a cited document is in force on a day."""

    cited: DocumentRef
    cited_standing: Standing  # of the cited edition itself
    edition: DocumentRef  # in force on the day, or where the walk of REPLACES ends
    standing: Standing  # of ``edition``
    notes: tuple[str, ...]  # the walk, in words
    status_note: str | None  # what the edition's own status says, when it decides


def edition_in_force(
    session: Session,
    document_id: int,
    as_of: date | None = None,
    *,
    graph: CatalogGraph | None = None,
) -> EditionInForce:
    """Walk ``REPLACES`` from document ``document_id`` to the edition in force on ``as_of``."""
    graph = graph if graph is not None else CatalogGraph.load(session)
    resolver = _Resolver(graph, None, as_of or clock.today())
    cited = graph.documents[document_id]
    final, state, notes = resolver.edition_in_force(cited)
    return EditionInForce(
        cited=resolver.ref(cited),
        cited_standing=resolver.state(cited).standing,
        edition=resolver.ref(final),
        standing=state.standing,
        notes=tuple(notes),
        status_note=state.note,
    )


@dataclass
class _Draft:
    """An entry being assembled."""

    document: DocumentRow
    standing: Standing
    reasons: list[Reason] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cited_mandatory: bool = False


# The days a document's standing may change (the first is date.min), and its standing from each.
_Timeline = tuple[tuple[date, ...], tuple["_State", ...]]


@dataclass(frozen=True)
class _State:
    standing: Standing
    successor_id: int | None = None
    since: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Reach:
    """Where a rule or citation naming a document leads on a day: the edition in force (or
    where the walk of REPLACES ends), its standing, the notes saying so, and whether the named
    edition is itself coming (then it is listed as upcoming too)."""

    final: DocumentRow
    standing: Standing
    notes: tuple[str, ...]
    named_upcoming: bool


class _Clock:
    """The day asked about, and the span of days around it on which every comparison made
    with it so far comes out the same. An answer that looks at the day only through a clock
    is, but for its ``as_of``, the answer for every day of :meth:`span`."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.first = date.min
        self.end: date | None = None  # the first day after the span; None: no end

    def reached(self, when: date) -> bool:
        """Whether ``when`` is on or before the day."""
        if when <= self.day:
            self.first = max(self.first, when)
            return True
        self.end = when if self.end is None else min(self.end, when)
        return False

    def within(self, start: date | None, end: date | None) -> bool:
        """Whether the day is from ``start`` to ``end`` inclusive (None: open)."""
        if start is not None and not self.reached(start):
            return False
        return end is None or end == date.max or not self.reached(end + timedelta(days=1))

    def place(self, days: tuple[date, ...]) -> int:
        """The index of the last of ``days`` (sorted, the first date.min) on or before the day."""
        index = bisect_right(days, self.day) - 1
        self.first = max(self.first, days[index])
        if index + 1 < len(days):
            self.reached(days[index + 1])
        return index

    def narrow(self, first: date, end: date | None) -> None:
        """Keep only the days from ``first`` to before ``end`` (None: no end) in the span."""
        self.first = max(self.first, first)
        if end is not None:
            self.reached(end)

    def span(self) -> DaySpan:
        last = date.max if self.end is None else self.end - timedelta(days=1)
        return DaySpan(self.first, last)


class _Resolver:
    """Applies the rules of the module docstring to one product and day, over the graph."""

    def __init__(
        self, graph: CatalogGraph, product: ProductRow | None, day: date, market: str | None = None
    ) -> None:
        self.graph = graph
        self.market = market
        self.documents = graph.documents
        self.product = product
        self.clock = _Clock(day)  # the only way the resolver looks at the day
        self.drafts: dict[tuple[Standing, int], _Draft] = {}
        self._reaches: dict[int, list[tuple[date, date | None, _Reach]]] = graph.derived.setdefault(
            "applicability.reaches", {}
        )
        self._timelines: dict[int, _Timeline] = graph.derived.setdefault(
            "applicability.timelines", {}
        )
        self._refs: dict[int, DocumentRef] = graph.derived.setdefault("applicability.refs", {})
        self._memo = _Memo.of(graph)

    def ref(self, doc: DocumentRow) -> DocumentRef:
        """The reference of ``doc``, made once per graph and shared between answers."""
        found = self._refs.get(doc.id)
        if found is None:
            review = self.graph.document_reviews.get(doc.id, NOT_REVIEWED)
            found = self._refs[doc.id] = document_ref(doc, review)
        return found

    # -- dates --

    def state(self, doc: DocumentRow) -> _State:
        """Where ``doc`` stands on the day."""
        days, states = self._timelines.get(doc.id) or self.timeline(doc)
        return states[self.clock.place(days)]

    def timeline(self, doc: DocumentRow) -> _Timeline:
        """Where ``doc`` stands on every day, as the days its standing may change and the
        standing from each (:meth:`_state` compares the day only with these); made once."""
        changes = {doc.start}
        switches = self.graph.switches.get(doc.id)
        if switches:
            changes.add(switches[0][3])
        if doc.effective_to is not None and doc.effective_to < date.max:
            changes.add(doc.effective_to + timedelta(days=1))
        days = (date.min, *sorted(d for d in changes if d is not None and d > date.min))
        timeline = self._timelines[doc.id] = (days, tuple(self._state(doc, day) for day in days))
        return timeline

    def _state(self, doc: DocumentRow, day: date) -> _State:
        start = doc.start
        if doc.status == Status.DRAFT:
            return _State(Standing.UPCOMING, note="draft, not yet issued")
        if start is not None and day < start:
            return _State(Standing.UPCOMING, since=start)
        switches = self.graph.switches.get(doc.id)
        if switches:  # soonest first: the first has taken over by the day, or none has
            _, _, source_id, when = switches[0]
            if when is None or when <= day:
                return _State(Standing.WITHDRAWN, successor_id=source_id, since=when)
        replaced_later = bool(switches)
        if doc.effective_to is not None and day > doc.effective_to:
            return _State(Standing.WITHDRAWN, since=doc.effective_to, note="withdrawn")
        # A status of superseded or withdrawn without an end date says how things stand now;
        # when a recorded successor takes over later, this edition is in force until then.
        if (
            doc.status in (Status.WITHDRAWN, Status.SUPERSEDED)
            and doc.effective_to is None
            and not replaced_later
        ):
            word = "withdrawn" if doc.status == Status.WITHDRAWN else "superseded"
            return _State(Standing.WITHDRAWN, note=f"{word} (date not recorded)")
        if doc.status == Status.NOT_YET_IN_FORCE and start is None:
            return _State(Standing.UPCOMING, note="not yet in force (date not recorded)")
        return _State(Standing.IN_FORCE, since=start)

    def edition_in_force(self, doc: DocumentRow) -> tuple[DocumentRow, _State, list[str]]:
        """Walk REPLACES from ``doc`` to the edition in force on the day (or where it ends)."""
        notes: list[str] = []
        state = self.state(doc)
        if state.standing == Standing.UPCOMING:
            earlier = self._earlier_in_force(doc)
            if earlier is not None:
                notes.append(
                    f"cites {doc.code}{_from(document_start(doc))}; in force is {earlier.code}"
                )
                return earlier, self.state(earlier), notes
            return doc, state, notes
        current, seen = doc, {doc.id}
        while state.successor_id is not None and state.successor_id not in seen:
            newer = self.documents[state.successor_id]
            seen.add(newer.id)
            since = f" since {state.since.isoformat()}" if state.since else ""
            notes.append(f"{current.code} was replaced by {newer.code}{since}")
            current, state = newer, self.state(newer)
        if current is not doc and state.standing == Standing.IN_FORCE:
            notes.append(f"cites {doc.code}; in force is {current.code}")
        return current, state, notes

    def _earlier_in_force(self, doc: DocumentRow) -> DocumentRow | None:
        """An edition that ``doc`` replaces (directly or not) in force on the day."""
        queue, seen = list(self.graph.predecessors.get(doc.id, ())), {doc.id}
        while queue:
            older = self.documents.get(queue.pop(0))
            if older is None or older.id in seen:
                continue
            seen.add(older.id)
            if self.state(older).standing == Standing.IN_FORCE:
                return older
            queue.extend(self.graph.predecessors.get(older.id, ()))
        return None

    # -- assembling --

    def reach(self, doc: DocumentRow) -> _Reach:
        """Where naming ``doc`` leads on the day, worked out once per span of days and graph."""
        spans = self._reaches.get(doc.id)
        day = self.clock.day
        for first, end, found in spans or ():
            if first <= day and (end is None or day < end):
                self.clock.narrow(first, end)
                return found
        outer = self.clock
        self.clock = _Clock(day)  # to learn this walk's own span
        try:
            final, state, notes = self.edition_in_force(doc)
            named_upcoming = final is not doc and self.state(doc).standing == Standing.UPCOMING
            span = self.clock
        finally:
            self.clock = outer
        standing = state.standing
        if standing == Standing.WITHDRAWN and state.successor_id is None:
            when = f" on {state.since.isoformat()}" if state.since else ""
            notes.append(f"{state.note or 'withdrawn'}{when}; no successor recorded")
        elif standing == Standing.UPCOMING:
            notes.append(
                f"in force from {state.since.isoformat()}" if state.since else state.note or ""
            )
        found = _Reach(final, standing, tuple(note for note in notes if note), named_upcoming)
        self._reaches.setdefault(doc.id, []).append((span.first, span.end, found))
        outer.narrow(span.first, span.end)
        return found

    def add(self, doc: DocumentRow, reason: Reason, *, cited_mandatory: bool = False) -> None:
        """Record ``reason`` for ``doc``'s edition on the day."""
        reach = self.reach(doc)
        final = reach.final
        if final is not doc:
            reason = self._memo.citing(reason, doc.code)
        draft = self.drafts.get((reach.standing, final.id))
        if draft is None:
            draft = self.drafts[(reach.standing, final.id)] = _Draft(final, reach.standing)
        if reason not in draft.reasons:
            draft.reasons.append(reason)
        for note in reach.notes:
            if note not in draft.notes:
                draft.notes.append(note)
        draft.cited_mandatory |= cited_mandatory
        if reach.named_upcoming:
            # The cited edition is itself coming: list it as upcoming too.
            later = self.drafts.setdefault(
                (Standing.UPCOMING, doc.id), _Draft(doc, Standing.UPCOMING)
            )
            if reason not in later.reasons:
                later.reasons.append(self._memo.citing(reason, None))
            start = document_start(doc)
            if start and not later.notes:
                later.notes.append(f"in force from {start.isoformat()}")

    def run(self) -> Applicability:
        plan = product_plan(self.graph, self.product)
        documents = self.documents
        for rule, reason in plan.rules:
            if self.clock.within(rule.valid_from, rule.valid_to):
                self.add(documents[rule.document_id], reason)
        self._follow_citations()
        self._apply_local_scope()
        return self._answer(plan.ref, self._under_way())

    def _under_way(self) -> tuple[UnderWay, ...]:
        product, graph = self.product, self.graph
        categories: dict[int, str] = {}
        category_id = product.category_id
        while category_id is not None and category_id not in categories:
            category = graph.categories[category_id]
            categories[category_id] = category.name_vi
            category_id = category.parent_id
        reached = {
            doc_id: graph.documents[doc_id].code
            for standing, doc_id in self.drafts
            if standing != Standing.OUT_OF_SCOPE
        }
        return under_way(
            graph.notifications,
            self.clock,
            hs_codes=product.hs_codes,
            ics_codes=product.ics_codes,
            category_names=categories,
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
                if effective_on is None or self.clock.reached(effective_on)
            ]
            for source_id, target_id in citations:
                source = sources[source_id]
                role = min((r.role for r in source.reasons), key=ROLE_ORDER.__getitem__)
                self.add(
                    self.documents[target_id],
                    self._memo.citation(source.document.code, role),
                    cited_mandatory=True,
                )

    def _apply_local_scope(self) -> None:
        """Move local documents of other provinces to ``OUT_OF_SCOPE``."""
        issuers, local_ids = self.graph.issuers, _local_documents(self.graph)
        local = [
            d
            for d in self.drafts.values()
            if d.document.id in local_ids and d.standing != Standing.OUT_OF_SCOPE
        ]
        if not local:
            return
        places = _Places(self.graph, self.clock)
        product_places = places.around(self.product.locality_id)
        for draft in local:
            issuer = issuers.get(draft.document.issuer_id)
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
            by_standing[standing].append(self._memo.entry(draft, self.ref(draft.document)))
        for ordered in by_standing.values():
            ordered.sort(key=_first)
        entries = tuple(e for _, e in by_standing[Standing.IN_FORCE])
        return Applicability(
            product=product,
            as_of=self.clock.day,
            entries=entries,
            mandatory_review=ReviewCount.of(entries),
            upcoming=tuple(e for _, e in by_standing[Standing.UPCOMING]),
            withdrawn=tuple(e for _, e in by_standing[Standing.WITHDRAWN]),
            out_of_scope=tuple(e for _, e in by_standing[Standing.OUT_OF_SCOPE]),
            under_way=notified,
            market=self.market,
        )


def _first(pair: tuple) -> tuple:
    return pair[0]


class _Memo:
    """Reasons and entries made once per graph and shared between answers: the same value is
    then the same object, which spares making it again, and lets callers keep what they derive
    from an entry (its JSON) by identity. Emptied past ``limit`` objects to bound memory."""

    limit = 200_000

    def __init__(self) -> None:
        self._citations: dict[tuple[str, Role], Reason] = {}
        self._citing: dict[tuple[int, str | None], tuple[Reason, Reason]] = {}
        self._entries: dict[tuple, tuple[tuple, Entry]] = {}

    @classmethod
    def of(cls, graph: CatalogGraph) -> _Memo:
        found = graph.derived.get("applicability.memo")
        if found is None:
            found = graph.derived.setdefault("applicability.memo", cls())
        return found

    def citation(self, code: str, role: Role) -> Reason:
        """The reason "cited as mandatory by ``code``", for a citing entry of ``role``."""
        found = self._citations.get((code, role))
        if found is None:
            found = Reason(
                kind=ReasonKind.CITATION,
                text=f"cited as mandatory by {code}",
                role=role,
                subject=code,
                legal_basis=code,
            )
            self._citations[(code, role)] = found
        return found

    def citing(self, reason: Reason, edition: str | None) -> Reason:
        """``reason`` naming ``edition`` as the one cited."""
        found = self._citing.get((id(reason), edition))
        if found is None:  # the pair keeps ``reason`` alive, so its id stays its own
            if len(self._citing) >= self.limit:
                self._citing = {}
            found = self._citing[(id(reason), edition)] = (
                reason,
                replace(reason, cited_edition=edition),
            )
        return found[1]

    def entry(self, draft: _Draft, document: DocumentRef) -> tuple[tuple, Entry]:
        """The entry a draft makes, with its place in answer order."""
        doc = draft.document
        mandatory = doc.doc_type.mandatory or draft.cited_mandatory
        key = (draft.standing, doc.id, mandatory, *map(id, draft.reasons), *draft.notes)
        found = self._entries.get(key)
        if found is not None:
            return found
        if len(draft.reasons) == 1:  # most entries
            reasons = tuple(draft.reasons)
            roles = (reasons[0].role,)
        else:
            roles = tuple(sorted({r.role for r in draft.reasons}, key=ROLE_ORDER.__getitem__))
            reasons = tuple(sorted(draft.reasons, key=_reason_order))
        entry = Entry(
            document=document,
            standing=draft.standing,
            mandatory=mandatory,
            role=roles[0],
            roles=roles,
            reasons=reasons,
            notes=tuple(draft.notes),
            review_state=strongest(
                r.review.state if r.review else ReviewState.UNVERIFIED for r in reasons
            ),
        )
        order = entry_order(entry)
        if draft.standing == Standing.UPCOMING:
            order = (document.effective_from or date.max, *order)
        if len(self._entries) >= self.limit:
            self._entries = {}
        found = self._entries[key] = (order, entry)
        return found


@dataclass(frozen=True, slots=True)
class ProductPlan:
    """What reaches a product whatever the day: its reference, and the rules on it, its
    categories, HS and ICS prefixes in answer order, each with its reason."""

    ref: ProductRef
    rules: tuple[tuple[RuleRow, Reason], ...]


def prepare_graph(graph: CatalogGraph) -> None:
    """Make every product's plan at once (for a server: else the first request for each
    product would make it)."""
    for product in graph.products.values():
        product_plan(graph, product)
    _local_documents(graph)


def product_plan(graph: CatalogGraph, product: ProductRow) -> ProductPlan:
    """The :class:`ProductPlan` of ``product``, made once per graph."""
    plans = graph.derived.setdefault("applicability.plans", {})
    plan = plans.get(product.id)
    if plan is None:
        plan = plans[product.id] = _make_plan(graph, product)
    return plan


def _make_plan(graph: CatalogGraph, product: ProductRow) -> ProductPlan:
    categories: list[CategoryRow] = []  # the product's category and its ancestors, nearest first
    current = graph.categories.get(product.category_id)
    while current is not None and current not in categories:
        categories.append(current)
        current = graph.categories.get(current.parent_id)
    rules = list(graph.rules_by_product.get(product.id, ()))
    for category in categories:
        rules += graph.rules_by_category.get(category.id, ())
    for prefix in sorted({p for code in product.hs_codes for p in hs_prefixes(code)}):
        rules += graph.rules_by_hs.get(prefix, ())
    for prefix in sorted({p for code in product.ics_codes for p in ics_prefixes(code)}):
        rules += graph.rules_by_ics.get(prefix, ())
    depth = {c.id: i for i, c in enumerate(categories)}
    names = {c.id: c for c in categories}
    rules.sort(key=lambda r: (_SUBJECT_ORDER[r.subject_kind], depth.get(r.category_id, 0), r.id))
    category = graph.categories.get(product.category_id)
    locality = graph.localities.get(product.locality_id)
    ref = ProductRef(
        id=product.id,
        slug=product.slug,
        name_vi=product.name_vi,
        name_en=product.name_en,
        kind=str(product.kind),
        category=category.name_vi if category else None,
        locality=locality.name_vi if locality else product.locality_text,
    )
    reasons = graph.derived.setdefault("applicability.reasons", {})
    planned = []
    for rule in rules:
        # A rule's reason depends on the product only through its category (for category rules).
        key = (rule.id, product.category_id if rule.subject_kind == "category" else None)
        reason = reasons.get(key)
        if reason is None:
            reason = reasons[key] = _rule_reason(graph, product, rule, names)
        planned.append((rule, reason))
    return ProductPlan(ref, tuple(planned))


def _rule_reason(
    graph: CatalogGraph, product: ProductRow, rule: RuleRow, categories: dict[int, CategoryRow]
) -> Reason:
    if rule.subject_kind == "product":
        kind, text = ReasonKind.PRODUCT, "rule on the product itself"
    elif rule.subject_kind == "category":
        category = categories[rule.category_id]
        kind, text = (
            ReasonKind.CATEGORY,
            (
                f"rule on its category {category.name_vi}"
                if category.id == product.category_id
                else f"inherited from category {category.name_vi}"
            ),
        )
    elif rule.subject_kind == "hs_prefix":
        kind, text = ReasonKind.HS_PREFIX, f"HS {rule.subject_code} prefix"
    else:
        kind, text = ReasonKind.ICS, f"ICS {rule.subject_code}"
    basis = rule.legal_basis
    if basis is None and rule.legal_basis_document_id in graph.documents:
        basis = graph.documents[rule.legal_basis_document_id].code
    return Reason(
        kind=kind,
        text=text,
        role=rule.role,
        rule_id=rule.id,
        subject=rule.subject_key,
        condition=rule.condition,
        legal_basis=basis,
        review=graph.rule_reviews.get(rule.id, NOT_REVIEWED),
    )


def _local_documents(graph: CatalogGraph) -> frozenset[int]:
    """Ids of the graph's local documents (QCĐP, or issued by a province), found once."""
    found = graph.derived.get("applicability.local")
    if found is None:
        issuers = graph.issuers
        found = graph.derived["applicability.local"] = frozenset(
            doc.id for doc in graph.documents.values() if _is_local(doc, issuers.get(doc.issuer_id))
        )
    return found


_SUBJECT_ORDER = {"product": 0, "category": 1, "hs_prefix": 2, "ics": 3}
_REASON_ORDER = {kind: i for i, kind in enumerate(ReasonKind)}


def _reason_order(reason: Reason) -> tuple:
    return (_REASON_ORDER[reason.kind], ROLE_ORDER[reason.role], reason.subject or "", reason.text)


def entry_order(entry: Entry) -> tuple:
    """Mandatory first (regulations, legal instruments, then what they bind), then by role."""
    doc = entry.document
    if entry.mandatory:
        group = (0, _MANDATORY_TYPE_ORDER.get(doc.doc_type, 9), ROLE_ORDER[entry.role])
    else:
        group = (1, ROLE_ORDER[entry.role], 0)
    return (*group, natural_key(doc.code), doc.id)


@lru_cache(maxsize=1 << 16)
def natural_key(code: str) -> tuple:
    """Sort key comparing digit runs as numbers: TCVN 1873 before TCVN 11892."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|\D+", fold(code))
    )


def hs_prefixes(code: str) -> list[str]:
    """HS prefixes a rule may name for this product code: ``080510`` → 08, 0805, 08051, 080510."""
    digits = re.sub(r"\D", "", code)
    return [digits[:n] for n in range(2, len(digits) + 1)]


def ics_prefixes(code: str) -> list[str]:
    """ICS fields enclosing this one: ``67.080.10`` → 67, 67.080, 67.080.10."""
    parts = code.strip().split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts) + 1)]


def document_start(doc: Document | DocumentRow) -> date | None:
    """When ``doc`` came into force: its effective date, else its issue date, else its year."""
    return start_of(doc.effective_from, doc.issued_on, doc.year)


def document_ref(doc: Document | DocumentRow, review: Review = NOT_REVIEWED) -> DocumentRef:
    return DocumentRef(
        id=doc.id,
        code=doc.code,
        slug=doc.slug,
        doc_type=DocType(doc.doc_type),
        title_vi=doc.title_vi,
        title_en=doc.title_en,
        status=Status(doc.status),
        effective_from=doc.effective_from,
        effective_to=doc.effective_to,
        issuer_code=doc.issuer_code,
        review=review,
    )


def _product_ref(session: Session, product: Product) -> ProductRef:
    category = session.get(ProductCategory, product.category_id) if product.category_id else None
    locality = session.get(Locality, product.locality_id) if product.locality_id else None
    return ProductRef(
        id=product.id,
        slug=product.slug,
        name_vi=product.name_vi,
        name_en=product.name_en,
        kind=str(product.kind),
        category=category.name_vi if category else None,
        locality=locality.name_vi if locality else product.locality_text,
    )


def _from(day: date | None) -> str:
    return f" (in force from {day.isoformat()})" if day else ""


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _is_local(doc: DocumentRow, issuer: IssuerRow | None) -> bool:
    return doc.doc_type == DocType.QCDP or (
        issuer is not None and issuer.kind == IssuerKind.PROVINCE
    )


class _Places:
    """Localities and issuers of the graph, and what they became by one day."""

    def __init__(self, graph: CatalogGraph, clock: _Clock) -> None:
        self.graph = graph
        self.clock = clock

    def around(self, locality_id: int | None) -> set[int]:
        """The locality, the places containing it, and what they became by the day."""
        if locality_id is None:
            return set()
        return self._closure({locality_id}, with_parents=True)

    def of_issuer(self, issuer: IssuerRow) -> set[int]:
        """The issuer's province and what it became by the day, also through issuer succession."""
        starts: set[int] = set()
        queue, seen = [issuer], set()
        while queue:
            current = queue.pop()
            if current.id in seen:
                continue
            seen.add(current.id)
            if current.locality_id is not None:
                starts.add(self._province(current.locality_id))
            for successor_id, on in self.graph.issuer_successors.get(current.id, ()):
                successor = self.graph.issuers.get(successor_id)
                if successor is not None and self.clock.reached(on):
                    queue.append(successor)
        return self._closure(starts, with_parents=False)

    def _province(self, locality_id: int) -> int:
        current, seen = locality_id, set()
        while current not in seen:
            seen.add(current)
            row = self.graph.localities.get(current)
            if row is None or row.kind == LocalityKind.PROVINCE or row.parent_id is None:
                return current
            current = row.parent_id
        return current

    def _closure(self, starts: set[int], *, with_parents: bool) -> set[int]:
        found: set[int] = set()
        frontier = set(starts)
        while frontier:
            found |= frontier
            step: set[int] = set()
            for place in frontier:
                row = self.graph.localities.get(place)
                if with_parents and row is not None and row.parent_id is not None:
                    step.add(row.parent_id)
                step.update(
                    successor
                    for successor, on in self.graph.locality_successors.get(place, ())
                    if self.clock.reached(on)
                )
            frontier = step - found
        return found

    def name(self, locality_id: int) -> str:
        row = self.graph.localities.get(locality_id)
        return row.name_vi if row else f"locality {locality_id}"
