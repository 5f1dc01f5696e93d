"""Which edition of a document is in force on a day: standings, and the walk of ``REPLACES``.

A document's standing (upcoming, in force, withdrawn) changes only on a few days: its start,
its end and the day a recorded successor takes over. :meth:`Editions.timeline` lists those days
once per graph with the standing from each, so a standing on a day is a bisection. Naming a
document leads to the edition in force that day (:meth:`Editions.walk`), forward when it was
superseded by then, back when it was not yet in force but replaced an edition that was;
:meth:`Editions.reach_timeline` is where that walk ends on every day: a lazy
:class:`~catalog.applicability.timeline.Timeline` over the days on which the standing of a
document the walk may look at changes, each segment walked once, when first asked about.

Nothing here knows about products: the resolver (:mod:`catalog.applicability.resolve`) asks
for documents, and :func:`edition_in_force` answers for one document alone.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from catalog import clock
from catalog.applicability.answer import DocumentRef, Standing, document_ref, document_start
from catalog.applicability.cache import EngineCache
from catalog.applicability.timeline import Timeline as LazyTimeline
from catalog.applicability.timeline import change_days
from catalog.readmodel import CatalogGraph, DocumentRow
from catalog.review import NOT_REVIEWED
from catalog.vocab import Status

# The days a document's standing may change (the first is date.min), and its standing from each.
StandingTimeline = tuple[tuple[date, ...], tuple["EditionState", ...]]


@dataclass(frozen=True)
class EditionState:
    standing: Standing
    successor_id: int | None = None
    since: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Reach:
    """Where a rule or citation naming a document leads on a day: the edition in force (or
    where the walk of REPLACES ends), its standing, the notes saying so, and whether the named
    edition is itself coming (then it is listed as upcoming too)."""

    final: DocumentRow
    standing: Standing
    notes: tuple[str, ...]
    named_upcoming: bool


class ReachTimeline(LazyTimeline["Reach"]):
    """Where naming a document leads on every day, and the documents whose standing the
    walk of ``REPLACES`` may look at on the way (the named one first)."""

    __slots__ = ("editions", "walked")

    def __init__(
        self, days: tuple[date, ...], editions: Editions, walked: tuple[DocumentRow, ...]
    ) -> None:
        super().__init__(days, None)  # evaluated by the method below: no closure per document
        self.editions = editions
        self.walked = walked

    def evaluate(self, day: date) -> Reach:
        return self.editions.reach_on(self.walked[0], day)


class Editions:
    """Standings and edition walks over a graph. Everything worked out is kept in the
    graph's :class:`EngineCache`; a day is asked about by passing it."""

    def __init__(self, graph: CatalogGraph) -> None:
        self.graph = graph
        self.cache = EngineCache.of(graph)

    def ref(self, doc: DocumentRow) -> DocumentRef:
        """The reference of ``doc``, made once per graph and shared between answers."""
        found = self.cache.refs.get(doc.id)
        if found is None:
            review = self.graph.document_reviews.get(doc.id, NOT_REVIEWED)
            found = self.cache.refs[doc.id] = document_ref(doc, review)
        return found

    # -- where one document stands --

    def state(self, doc: DocumentRow, day: date) -> EditionState:
        """Where ``doc`` stands on ``day``."""
        days, states = self.cache.timelines.get(doc.id) or self.timeline(doc)
        return states[bisect_right(days, day) - 1]

    def timeline(self, doc: DocumentRow) -> StandingTimeline:
        """Where ``doc`` stands on every day: the days its standing may change
        (:meth:`standing_days`) and the standing from each; made once."""
        days = self.standing_days(doc)
        timeline = self.cache.timelines[doc.id] = (
            days,
            tuple(self._state(doc, day) for day in days),
        )
        return timeline

    def standing_days(self, doc: DocumentRow) -> tuple[date, ...]:
        """The days ``doc``'s standing may change on (the first is ``date.min``): its start,
        the day its first recorded successor takes over, the day after its end. :meth:`_state`
        compares the day only with these."""
        changes = [date.min]
        if doc.start is not None and doc.start > date.min:
            changes.append(doc.start)
        switches = self.graph.switches.get(doc.id)
        if switches and switches[0][3] is not None and switches[0][3] > date.min:
            changes.append(switches[0][3])
        if doc.effective_to is not None and doc.effective_to < date.max:
            changes.append(doc.effective_to + timedelta(days=1))
        if len(changes) > 2:
            changes = sorted(set(changes))
        return tuple(changes)

    def _state(self, doc: DocumentRow, day: date) -> EditionState:
        start = doc.start
        if doc.status == Status.DRAFT:
            return EditionState(Standing.UPCOMING, note="draft, not yet issued")
        if start is not None and day < start:
            return EditionState(Standing.UPCOMING, since=start)
        switches = self.graph.switches.get(doc.id)
        if switches:  # soonest first: the first has taken over by the day, or none has
            _, _, source_id, when = switches[0]
            if when is None or when <= day:
                return EditionState(Standing.WITHDRAWN, successor_id=source_id, since=when)
        replaced_later = bool(switches)
        if doc.effective_to is not None and day > doc.effective_to:
            return EditionState(Standing.WITHDRAWN, since=doc.effective_to, note="withdrawn")
        # A status of superseded or withdrawn without an end date says how things stand now;
        # when a recorded successor takes over later, this edition is in force until then.
        if (
            doc.status in (Status.WITHDRAWN, Status.SUPERSEDED)
            and doc.effective_to is None
            and not replaced_later
        ):
            word = "withdrawn" if doc.status == Status.WITHDRAWN else "superseded"
            return EditionState(Standing.WITHDRAWN, note=f"{word} (date not recorded)")
        if doc.status == Status.NOT_YET_IN_FORCE and start is None:
            return EditionState(Standing.UPCOMING, note="not yet in force (date not recorded)")
        return EditionState(Standing.IN_FORCE, since=start)

    # -- where naming a document leads --

    def walk(self, doc: DocumentRow, day: date) -> tuple[DocumentRow, EditionState, list[str]]:
        """Walk REPLACES from ``doc`` to the edition in force on ``day`` (or where it ends)."""
        notes: list[str] = []
        state = self.state(doc, day)
        if state.standing == Standing.UPCOMING:
            earlier = self._earlier_in_force(doc, day)
            if earlier is not None:
                notes.append(
                    f"cites {doc.code}{_from(document_start(doc))}; in force is {earlier.code}"
                )
                return earlier, self.state(earlier, day), notes
            return doc, state, notes
        current, seen = doc, {doc.id}
        while state.successor_id is not None and state.successor_id not in seen:
            newer = self.graph.documents[state.successor_id]
            seen.add(newer.id)
            since = f" since {state.since.isoformat()}" if state.since else ""
            notes.append(f"{current.code} was replaced by {newer.code}{since}")
            current, state = newer, self.state(newer, day)
        if current is not doc and state.standing == Standing.IN_FORCE:
            notes.append(f"cites {doc.code}; in force is {current.code}")
        return current, state, notes

    def _earlier_in_force(self, doc: DocumentRow, day: date) -> DocumentRow | None:
        """An edition that ``doc`` replaces (directly or not) in force on ``day``."""
        queue, seen = list(self.graph.predecessors.get(doc.id, ())), {doc.id}
        while queue:
            older = self.graph.documents.get(queue.pop(0))
            if older is None or older.id in seen:
                continue
            seen.add(older.id)
            if self.state(older, day).standing == Standing.IN_FORCE:
                return older
            queue.extend(self.graph.predecessors.get(older.id, ()))
        return None

    def walked(self, doc: DocumentRow) -> tuple[DocumentRow, ...]:
        """The documents whose standing :meth:`walk` may look at from ``doc``: ``doc``, the
        successors it may be walked forward to, and every edition it replaces."""
        documents = self.graph.documents
        found, seen = [doc], {doc.id}
        current: DocumentRow | None = doc
        while current is not None:
            switches = self.graph.switches.get(current.id)
            current = documents.get(switches[0][2]) if switches else None
            if current is None or current.id in seen:
                break
            seen.add(current.id)
            found.append(current)
        queue = list(self.graph.predecessors.get(doc.id, ()))
        while queue:
            older = documents.get(queue.pop())
            if older is None or older.id in seen:
                continue
            seen.add(older.id)
            found.append(older)
            queue.extend(self.graph.predecessors.get(older.id, ()))
        return tuple(found)

    def reach(self, doc: DocumentRow, day: date) -> Reach:
        """Where naming ``doc`` leads on ``day``: a lookup in its :meth:`reach_timeline`."""
        timeline = self.cache.reaches.get(doc.id) or self.reach_timeline(doc)
        return timeline.at(day)

    def reach_timeline(self, doc: DocumentRow) -> ReachTimeline:
        """Where naming ``doc`` leads on every day, made once per graph: it may change only
        on a day the standing of a document :meth:`walked` changes; each segment is walked
        when first asked about."""
        found = self.cache.reaches.get(doc.id)
        if found is None:
            walked = self.walked(doc)
            days = change_days(day for each in walked for day in self.standing_days(each)[1:])
            found = self.cache.reaches[doc.id] = ReachTimeline(days, self, walked)
        return found

    def reach_on(self, doc: DocumentRow, day: date) -> Reach:
        """Where naming ``doc`` leads on ``day``, walked now."""
        final, state, notes = self.walk(doc, day)
        named_upcoming = final is not doc and self.state(doc, day).standing == Standing.UPCOMING
        standing = state.standing
        if standing == Standing.WITHDRAWN and state.successor_id is None:
            when = f" on {state.since.isoformat()}" if state.since else ""
            notes.append(f"{state.note or 'withdrawn'}{when}; no successor recorded")
        elif standing == Standing.UPCOMING:
            notes.append(
                f"in force from {state.since.isoformat()}" if state.since else state.note or ""
            )
        return Reach(final, standing, tuple(note for note in notes if note), named_upcoming)


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
    editions = Editions(graph)
    day = as_of or clock.today()
    cited = graph.documents[document_id]
    final, state, notes = editions.walk(cited, day)
    return EditionInForce(
        cited=editions.ref(cited),
        cited_standing=editions.state(cited, day).standing,
        edition=editions.ref(final),
        standing=state.standing,
        notes=tuple(notes),
        status_note=state.note,
    )


def _from(day: date | None) -> str:
    return f" (in force from {day.isoformat()})" if day else ""
